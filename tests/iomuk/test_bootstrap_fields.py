"""A field drawn in Python writes what templates/bootstrap5/field.html writes, byte for byte
(iomuk/templatetags/bootstrap_fields.py; issue 30)."""

import pytest
from django import forms
from django.template.loader import get_template
from django.utils import translation

from iomuk.templatetags.bootstrap_fields import FIELD_TEMPLATE, as_bootstrap_field, draw
from tests.iomuk.test_form_renderer import forms_to_draw


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), list(forms_to_draw()))
@pytest.mark.parametrize("language", ["en-gb", "ro"])
def test_each_field_is_drawn_as_the_template_draws_it(form_class, kwargs, language):
    template = get_template(FIELD_TEMPLATE)
    with translation.override(language):
        by_template = form_class(**kwargs)
        in_python = form_class(**kwargs)
        for name in by_template.fields:
            context = {
                "field": by_template[name],
                "form_show_errors": True,
                "form_show_labels": True,
            }
            expected = template.render(
                {**context, "form_show_errors": True, "form_show_labels": True}
            )
            assert as_bootstrap_field(in_python[name]) == expected, name


class WithFile(forms.Form):
    evidence = forms.FileField(help_text="A photo or a PDF.")
    stored = forms.FileField(required=False, widget=forms.ClearableFileInput)


class Held:
    def __init__(self, token, name):
        self.token, self.name = token, name


@pytest.mark.parametrize("data", [None, {}])
@pytest.mark.parametrize("language", ["en-gb", "ro"])
def test_a_file_input_is_drawn_as_the_template_draws_it(data, language):
    template = get_template(FIELD_TEMPLATE)
    with translation.override(language):
        drawn = []
        for _ in range(2):
            form = WithFile(data)
            form.fields["evidence"].held = [Held("t1", "passport <1>.jpg"), Held("t2", "b&c.pdf")]
            drawn.append(form)
        context = {"label_class": "", "field_class": ""}
        context |= {"form_show_errors": True, "form_show_labels": True}
        for name in ("evidence", "stored"):
            expected = template.render({**context, "field": drawn[0][name]})
            assert as_bootstrap_field(drawn[1][name]) == expected, name
            assert draw(WithFile(data)[name]) is not None  # drawn in Python, not by the template


def test_a_file_already_stored_is_left_to_the_template():
    class Stored:
        url, name = "/files/1", "contract.pdf"

    form = WithFile(initial={"stored": Stored()})
    assert draw(form["stored"]) is None
    assert "contract.pdf" in as_bootstrap_field(form["stored"])
