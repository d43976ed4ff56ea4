"""The bot check on public forms turns bots away and never a person, however quick they are."""

import re
import time

import pytest
from django import forms

from iomuk import settings as portal_settings
from iomuk.forms import HumanCheckForm
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import Booking


class ContactForm(HumanCheckForm):
    message = forms.CharField()


@pytest.fixture
def real_human_check(settings):
    """The bot check as the portal is configured, not as tests/conftest.py relaxes it."""
    for name in dir(portal_settings):
        if name.startswith("HUMAN_CHECK_"):
            setattr(settings, name, getattr(portal_settings, name))


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


def _started(seconds_ago):
    signer = HumanCheckForm._signer
    return signer.sign(str(int(time.time() - seconds_ago)))


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def _send_soon_after_loading(client, path: str, answers: dict, *, after: float = 0.1):
    """Open the page, then send the form `after` seconds later, as a browser's autofill does."""
    page = client.get(path).content.decode()
    time.sleep(after)
    sent = {
        **answers,
        "csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken"),
        "form_started": _hidden(page, "form_started"),
    }
    return client.post(path, sent)


def test_a_person_who_took_their_time_gets_through(real_human_check):
    form = ContactForm({"message": "hello", "form_started": _started(10)})
    assert form.is_valid(), form.errors


def test_a_person_who_sends_the_form_at_once_gets_through(real_human_check):
    form = ContactForm({"message": "hello", "form_started": _started(0)})
    assert form.is_valid(), form.errors


def test_a_bot_that_fills_the_hidden_field_is_turned_away():
    form = ContactForm({"message": "hello", "homepage": "http://spam.example"})
    assert not form.is_valid()
    assert "Turn off autofill for this page" in str(form.non_field_errors())


def test_a_form_sent_without_loading_the_page_is_refused(real_human_check):
    form = ContactForm({"message": "hello"})
    assert not form.is_valid()
    assert "expired" in str(form.non_field_errors())


def test_a_forged_start_time_is_refused(real_human_check):
    form = ContactForm({"message": "hello", "form_started": "1000:forged"})
    assert not form.is_valid()
    assert "expired" in str(form.non_field_errors())


def test_a_refused_start_time_is_replaced_so_sending_again_works(real_human_check):
    form = ContactForm({"message": "hello", "form_started": "1000:forged"})
    assert not form.is_valid()
    resent = ContactForm({"message": "hello", "form_started": form["form_started"].value()})
    assert resent.is_valid(), resent.errors


def test_the_hidden_field_is_hidden_from_people_and_screen_readers():
    html = str(ContactForm())
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html


def test_a_number_pasted_into_verify_and_sent_at_once_is_checked(client, db, real_human_check):
    recruiter = RecruiterFactory()
    response = _send_soon_after_loading(
        client, "/iris/verify/", {"number": recruiter.accreditation_number}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "quicker than we expected" not in body
    assert recruiter.legal_name in body


def test_a_booking_autofilled_and_sent_at_once_is_taken(client, db, real_human_check):
    session = SessionFactory(capacity=5)
    answers = {
        "name": "Ada Lovelace",
        "email": "ada@council.example",
        "organisation": "Camden Council",
        "sector": "social_work",
        "job_title": "Social worker",
        "requirements": "",
        "consent_contact": "on",
    }
    response = _send_soon_after_loading(client, f"/training/{session.slug}/", answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Booking.objects.filter(session=session, email="ada@council.example").exists()
