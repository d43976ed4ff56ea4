"""The public forms' fields, unbound, are drawn once per process and kept (issue 30): every
visitor still gets the page drawn afresh would give, in their language and with what changed
since, and a form sent back is drawn from what was sent."""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.template import Context, Template
from django.utils import translation

from iris.models import ComplaintCategory, Country
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.forms import SessionFilterForm

from .test_frame_fragments import FRAGMENTS, _kept

REFERENCE_DATA = importlib.import_module("iris.migrations.0002_reference_data_and_roles")
COMPLAINT = "/iris/complaints/new/"
KEPT_FIELD = "field."
DRAWN_AFRESH = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@pytest.fixture
def committed(transactional_db):
    # The complaint form keeps its fields only outside a transaction (its country lists may
    # hold a change that is rolled back), so these tests commit for real; the tables are
    # emptied after each, the data migration's rows too, so they are put back first.
    REFERENCE_DATA.add_reference_data(django_apps, None)


def _page(client, path: str, language: str) -> str:
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    # What is drawn for each request: the CSRF token, the page's stamp, a form's token.
    page = response.content.decode()
    for name in ("csrfmiddlewaretoken", "form_started", "token"):
        page = re.sub(rf'name="{name}" value="[^"]+"', name, page)
    return page


def test_each_form_page_is_the_page_drawn_afresh(client, committed, settings):
    session = SessionFactory()
    recruiter = RecruiterFactory()
    paths = [
        COMPLAINT,
        f"{COMPLAINT}?recruiter={recruiter.slug}",
        f"/training/{session.slug}/",
        f"/iris/recruiters/{recruiter.slug}/",
        "/training/",
    ]
    languages = ("en-gb", "ro", "cs")
    first = {(p, lang): _page(client, p, lang) for p in paths for lang in languages}
    kept_fields = len(_kept(KEPT_FIELD))
    # Complaint form 21 fields (one more for the name filled in), watch 3, booking 7, filter 4
    # (each with the field only bots see); the training pages only in English (their content's
    # language), the others in three languages.
    assert kept_fields == 3 * (21 + 1 + 3) + 7 + 4
    kept = {(p, lang): _page(client, p, lang) for p in paths for lang in languages}
    assert len(_kept(KEPT_FIELD)) == kept_fields  # drawn from what was kept: nothing new
    settings.CACHES = {**settings.CACHES, FRAGMENTS: DRAWN_AFRESH}
    afresh = {(p, lang): _page(client, p, lang) for p in paths for lang in languages}
    assert kept == first
    assert kept == afresh
    assert f'value="{recruiter.legal_name}"' in kept[paths[1], "ro"]
    assert "Tell us what happened" in kept[COMPLAINT, "en-gb"]
    assert "Spuneți-ne ce s-a întâmplat" in kept[COMPLAINT, "ro"]


def test_a_form_sent_back_shows_what_was_sent_not_what_was_kept(client, committed):
    _page(client, COMPLAINT, "en-gb")  # its fields are now kept
    sent = {"about": "unlisted", "unlisted_name": "Fast Jobs <Ltd>", "email": "not-an-email"}
    response = client.post(COMPLAINT, sent)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Fast Jobs &lt;Ltd&gt;"' in page
    assert 'value="unlisted" id="id_about_1" required checked' in page
    assert "Enter a valid email address." in page
    assert "Tell us what happened." in page  # the error under the empty description


def test_the_recruiter_a_link_names_is_filled_in_and_no_other(client, committed):
    first, second = RecruiterFactory(), RecruiterFactory()
    assert f'value="{first.legal_name}"' in _page(
        client, f"{COMPLAINT}?recruiter={first.slug}", "ro"
    )
    page = _page(client, f"{COMPLAINT}?recruiter={second.slug}", "ro")
    assert f'value="{second.legal_name}"' in page
    assert first.legal_name not in page
    page = _page(client, COMPLAINT, "ro")
    assert first.legal_name not in page and second.legal_name not in page


def test_a_category_or_a_country_added_shows_at_once(client, committed):
    assert "Threatened my family" not in _page(client, COMPLAINT, "en-gb")
    ComplaintCategory.objects.create(code="test-threats", name="Threatened my family", position=99)
    assert "Threatened my family" in _page(client, COMPLAINT, "en-gb")
    Country.objects.create(code="ZZ", name="Testland")  # a code the country library lacks
    assert _page(client, COMPLAINT, "en-gb").count('<option value="ZZ">Testland</option>') == 3


def test_nothing_is_kept_inside_a_transaction(client, db):
    """A list read inside a transaction may hold a change that is then rolled back."""
    _page(client, COMPLAINT, "en-gb")
    assert _kept(KEPT_FIELD) == []


def _filter_form(today: date, language: str) -> str:
    template = Template("{% load bootstrap_fields %}{{ form.month|as_bootstrap_field }}")
    with translation.override(language):
        return template.render(Context({"form": SessionFilterForm(today=today)}))


def test_the_months_offered_start_at_todays_month(db):
    december = _filter_form(date(2026, 12, 7), "en-gb")
    january = _filter_form(date(2027, 1, 2), "en-gb")
    assert len(_kept(KEPT_FIELD)) == 2  # one for each day
    assert '<option value="2026-12">December 2026</option>' in december
    assert '<option value="2026-12">' not in january
    assert '<option value="2027-12">December 2027</option>' in january
    assert _filter_form(date(2026, 12, 7), "ro") != december  # its label is in Romanian


def test_the_training_lists_months_are_in_the_lists_language(client, db):
    """The training pages are in English for every visitor (their sessions are held in
    English): the months offered too, not English words with Romanian month names."""
    page = _page(client, "/training/", "ro")
    assert '<main id="main" class="container py-4" tabindex="-1" lang="en-gb">' in page
    month = re.search(r'<select name="month".*?</select>', page, re.S).group(0)
    assert "Any month" in month
    months = "January|February|March|April|May|June|July|August|September|October|November"
    assert len(re.findall(rf">({months}|December) 20\d\d<", month)) == 12
    assert "ianuarie" not in month and "decembrie" not in month
