"""Django's basic widgets drawn in Python write what their templates write, byte for byte
(iomuk/form_renderer.py; issue 30)."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from iomuk.form_renderer import FormRenderer
from iomuk.forms import HumanCheckForm
from iris.models import Country
from iris.recruiters.forms import ReferenceChoiceField

CHOICES = [("", "Choose…"), ("a", "A & B"), ("c", "<C>")]
GROUPED = [("Near", [("uk", "UK"), ("ie", "Ireland")]), ("Far", [("gh", "Ghana")])]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(help_text="As on your <em>passport</em>.")
    email = forms.EmailField(required=False)
    age = forms.IntegerField(required=False, label="Age & years")
    website = forms.URLField(required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    story = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Say what happened."
    )
    sector = forms.ChoiceField(choices=CHOICES)
    country = forms.ChoiceField(choices=GROUPED, required=False)
    kinds = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.SelectMultiple, required=False
    )
    agree = forms.BooleanField(help_text="You can change your mind.")
    optional_box = forms.BooleanField(required=False)
    answer = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect, help_text="One.")
    topics = forms.MultipleChoiceField(
        choices=GROUPED, widget=forms.CheckboxSelectMultiple, required=False
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    home_country = ReferenceChoiceField(queryset=Country.objects.all(), required=False)
    flagged = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": True}))


class PublicForm(HumanCheckForm, EveryWidgetForm):
    """A public form: its optional fields say "(optional)" instead of a star on the others."""

    @classmethod
    def started_stamp(cls) -> str:
        return "the same stamp for both drawings"


FILLED = {
    "name": 'Ana "Mia" <b>',
    "email": "ana@example.org",
    "age": "1200",
    "story": "It was <bad>.",
    "sector": "a",
    "country": "gh",
    "kinds": ["a", "c"],
    "agree": "on",
    "answer": "c",
    "topics": ["uk", "gh"],
    "hidden": "x&y",
    "home_country": "RO",
    "homepage": 'a bot\'s "words" & <b>',
}


def forms_to_draw():
    for form_class in (EveryWidgetForm, PublicForm):
        yield form_class, {}
        yield form_class, {"data": {}}  # every required field in error
        yield form_class, {"data": FILLED}
        yield form_class, {"initial": {"name": "Ana", "agree": True, "topics": ["ie"]}}
        yield form_class, {"data": {"email": "not an address"}, "auto_id": False}
        yield form_class, {"data": {"age": "x"}, "prefix": "p"}


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs"), list(forms_to_draw()))
def test_each_widget_is_drawn_as_its_template_draws_it(form_class, kwargs):
    form = form_class(**kwargs)
    for field in form:
        widget = field.field.widget
        attrs = field.build_widget_attrs({}, widget)
        if field.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", field.auto_id)
        context = widget.get_context(field.html_name, field.value(), attrs)
        expected = TemplatesSetting().render(widget.template_name, context)
        assert FormRenderer().render(widget.template_name, context) == expected, field.name
