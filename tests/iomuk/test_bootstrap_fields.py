"""A field drawn in Python writes what templates/bootstrap5/field.html writes, byte for byte
(iomuk/templatetags/bootstrap_fields.py; issue 30)."""

import pytest
from django import forms
from django.template.loader import get_template
from django.utils import translation

from iomuk.templatetags.bootstrap_fields import FIELD_TEMPLATE, as_bootstrap_field, draw
from tests.iomuk.test_form_renderer import forms_to_draw


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


def test_a_file_input_is_left_to_the_template():
    class WithFile(forms.Form):
        evidence = forms.FileField(required=False)

    assert draw(WithFile()["evidence"]) is None
    assert 'type="file"' in as_bootstrap_field(WithFile()["evidence"])
