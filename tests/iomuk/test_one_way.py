"""One way to do each thing: read from the code, so a second copy cannot creep back in."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]
APPS = ("training", "returns", "iris")


def _calls(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            names.append((name, node.lineno))
    return names


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_retention_loop_goes_through_anonymise_each():
    """Only iomuk.anonymise anonymises one record: each app hands its due records to
    anonymise_each, which locks and anonymises each in a transaction of its own."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _app_modules()
        for name, line in _calls(path)
        if name == "anonymise"
    ]
    assert found == []


def test_codes_people_read_are_made_in_one_place():
    """References and codes come from iomuk.references: no app picks random characters itself."""
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in _app_modules()
        for word in ("secrets.choice", "random.choice", "get_random_string", "ALPHABET =")
        if word in path.read_text()
    ]
    assert found == []


QUERYSET_METHODS = {
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "order_by",
    "select_related",
    "prefetch_related",
    "values_list",
    "exists",
    "only",
    "defer",
    "select_for_update",
}


def test_views_in_training_and_returns_leave_queries_to_the_selectors():
    """A view parses, calls a selector or a service, and renders: no ORM query of its own."""
    found = []
    for app in ("training", "returns"):
        path = ROOT / app / "views.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{app}/views.py:{node.lineno} .objects")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERYSET_METHODS
            ):
                found.append(f"{app}/views.py:{node.lineno} .{node.func.attr}()")
    assert found == []


def test_uploads_are_checked_in_one_place():
    """The kinds of file the portal takes are known once, in iomuk.uploads."""
    found = [
        str(path.relative_to(ROOT)) for path in _app_modules() if 'b"%PDF-"' in path.read_text()
    ]
    assert found == []


def _upload_fields():
    from tests.iomuk.test_model_forms_round_trip import project_forms

    return [
        (form, name)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    ]


def test_every_upload_field_is_found():
    names = {f"{form.__name__}.{name}" for form, name in _upload_fields()}
    assert len(names) >= 4, names


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"MZ\x90\x00 a program", "Files must be PDF documents or JPEG or PNG pictures."),
    ],
)
def test_every_upload_field_refuses_an_empty_or_wrong_file_in_plain_words(content, message):
    for form_class, name in _upload_fields():
        field = form_class.base_fields[name]
        upload = SimpleUploadedFile("file.pdf", content, content_type="application/pdf")
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        with pytest.raises(ValidationError) as refused:
            field.clean([upload] if multiple else upload)
        assert refused.value.messages == [message], f"{form_class.__name__}.{name}"
