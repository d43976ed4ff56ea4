"""Our quicker select template draws exactly the HTML of Django's own."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

CHOICES = [("", "- Select an option -"), ("PL", "Poland"), ("RO", 'Romania & "Moldova"')]
GROUPED = [("Europe", [("PL", "Poland"), ("HU", "Hungary")]), ("Asia", [("NP", "Nepal")])]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "id": "id_c"}), "RO"),
        (forms.Select(choices=CHOICES), None),
        (forms.Select(choices=GROUPED, attrs={"aria-describedby": "c_help"}), "NP"),
        (forms.SelectMultiple(choices=GROUPED), ["PL", "NP"]),
        (forms.NullBooleanSelect(), True),
    ],
)
def test_a_select_reads_the_same_as_with_djangos_own_templates(widget, value):
    ours = widget.render("country", value, renderer=TemplatesSetting())
    djangos = widget.render("country", value, renderer=DjangoTemplates())
    assert ours == djangos
    assert "<option" in ours
