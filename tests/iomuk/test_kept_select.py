"""A <select> of fixed choices drawn from its kept options (iomuk.forms.KeptSelect) writes what
Django's own `Select` writes, byte for byte: in two languages, with nothing, the blank, a choice
or a value not on the list chosen, through the portal's renderer and through the templates."""

import re
from datetime import date

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from iomuk.form_renderer import FormRenderer
from iomuk.forms import KeptSelect
from iris.complaints.forms import ComplaintForm
from iris.recruiters.forms import WatchForm
from tests.training.factories import SessionFactory
from training.forms import BookingForm, SessionFilterForm
from training.models import Region

CHOICES = [("", _("Get help")), ("a&b", "A & B"), ("c", "<C>"), *Region.choices]
ATTRS = {"id": "id_where", "class": "form-select", "aria-describedby": "where_help"}


@pytest.mark.parametrize("language", ["en-gb", "ro"])
@pytest.mark.parametrize("value", [None, "", "a&b", "c", "london", "not-on-the-list", ["c"]])
@pytest.mark.parametrize("renderer", [FormRenderer(), TemplatesSetting()])
def test_a_kept_select_is_djangos_select(language, value, renderer):
    kept = KeptSelect(key="test-kept-select", choices=CHOICES)
    plain = forms.Select(choices=CHOICES)
    with translation.override(language):
        for _twice in range(2):  # drawn, then from what was kept
            drawn = kept.render("where", value, ATTRS, renderer=renderer)
            assert drawn == plain.render("where", value, ATTRS, renderer=renderer)
    assert drawn.count(" selected>") == (0 if value == "not-on-the-list" else 1)


def test_each_language_keeps_its_own_options():
    kept = KeptSelect(key="test-kept-languages", choices=CHOICES)
    with translation.override("ro"):
        romanian = kept.render("where", None)
    with translation.override("en-gb"):
        english = kept.render("where", None)
    assert ">Get help</option>" in english and ">Ajutor</option>" in romanian
    assert ">London</option>" in english


@pytest.mark.parametrize(
    "form",
    [
        lambda data: SessionFilterForm(data, today=date(2026, 12, 7)),
        lambda data: BookingForm(data),
        lambda data: WatchForm(data),
        lambda data: ComplaintForm(data),
    ],
)
def test_each_forms_kept_selects_are_its_plain_selects(form, db):
    chosen = {"format": "online", "region": "wales", "sector": "police", "language": "hu"}
    for data in (None, chosen, {"x": "1"}):
        bound = form(data)
        for field in bound:
            widget = field.field.widget
            if not isinstance(widget, KeptSelect):
                continue
            plain = forms.Select(attrs=widget.attrs, choices=widget.choices)
            as_kept = field.as_widget()
            as_plain = field.as_widget(widget=plain)
            assert as_kept == as_plain, field.name


def _options_chosen(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, flags=re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_a_booking_sent_back_with_a_mistake_keeps_the_sector_chosen(client, db):
    session = SessionFactory(capacity=5)
    page = client.post(
        f"/training/{session.slug}/",
        {"name": "Ana Pop", "email": "not an address", "sector": "police", "job_title": "PC"},
    )
    assert page.status_code == 400
    assert _options_chosen(page.content.decode(), "sector") == ["police"]
    assert "Ana Pop" in page.content.decode()


def test_the_training_filter_shows_the_choices_made(client, db):
    html = client.get("/training/?format=online&region=wales&audience=police").content.decode()
    assert _options_chosen(html, "format") == ["online"]
    assert _options_chosen(html, "region") == ["wales"]
    assert _options_chosen(html, "audience") == ["police"]
    assert _options_chosen(client.get("/training/").content.decode(), "region") == [""]


def test_a_complaint_sent_back_with_a_mistake_keeps_the_language_chosen(client, db):
    page = client.post(
        "/iris/complaints/new/",
        {"token": "t" * 32, "description": "They kept my passport.", "preferred_language": "hu"},
    )
    assert "There is a problem" in page.content.decode()  # sent back, with its mistakes
    assert _options_chosen(page.content.decode(), "preferred_language") == ["hu"]
