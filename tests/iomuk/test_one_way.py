"""One way to do each thing: read from the code, so a second copy cannot creep back in."""

import ast
from pathlib import Path

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
