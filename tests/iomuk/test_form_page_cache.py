"""Pages with a public form come from the cache, and every visitor still gets values of their own.

The values that belong to one visitor (the CSRF token, the signed time the form was opened and
the complaint form's one-time token) must never be shared: two people sharing a submission
token would have their complaints merged into one.
"""

import logging
import re
import secrets
import time

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import translation

from iomuk.forms import HumanCheckForm
from iomuk.public_cache import form_page
from iris.models import Complaint
from tests.conftest import free_port
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.services import booking_create, session_cancel

COMPLAINT_FORM = "/iris/complaints/new/"
BOOKER = {
    "name": "Ada Lovelace",
    "email": "ada@council.example",
    "organisation": "Camden Council",
    "sector": "social_work",
    "job_title": "Social worker",
}


@pytest.fixture(autouse=True)
def _own_cache(settings, private_cache):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def hidden(html: str, name: str) -> str:
    found = re.findall(rf'name="{name}" value="([^"]*)"', html)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def visitor_values(response) -> tuple[str, str, str | None]:
    html = response.content.decode()
    assert "placeholder" not in html.replace('placeholder="', "")
    token = hidden(html, "token") if 'name="token"' in html else None
    return hidden(html, "csrfmiddlewaretoken"), hidden(html, "form_started"), token


def complaint_answers(response, recruiter, description: str) -> dict:
    csrf, started, token = visitor_values(response)
    return {
        "csrfmiddlewaretoken": csrf,
        "form_started": started,
        "token": token,
        "about": "listed",
        "recruiter_ref": recruiter.accreditation_number,
        "categories": ["fees"],
        "description": description,
        "anonymous": "on",
        "preferred_language": "en-gb",
    }


@pytest.mark.django_db
def test_two_visitors_get_one_stored_complaint_form_each_with_their_own_values():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(COMPLAINT_FORM), second.get(COMPLAINT_FORM)

    assert "X-Page-Cache" not in page_one
    assert page_two["X-Page-Cache"] == "hit"
    (csrf_one, started_one, token_one) = visitor_values(page_one)
    (csrf_two, started_two, token_two) = visitor_values(page_two)
    assert csrf_one != csrf_two
    assert token_one and token_two and token_one != token_two
    # The fill-time stamp is the time the page was served, not the time it was stored.
    for started in (started_one, started_two):
        assert time.time() - int(HumanCheckForm._signer.unsign(started).split(".")[0]) < 5
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


@pytest.mark.django_db
def test_two_visitors_sending_the_stored_form_file_two_separate_complaints():
    recruiter = RecruiterFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(COMPLAINT_FORM), second.get(COMPLAINT_FORM)

    sent_one = first.post(COMPLAINT_FORM, complaint_answers(page_one, recruiter, "Passport taken."))
    sent_two = second.post(COMPLAINT_FORM, complaint_answers(page_two, recruiter, "Fees charged."))

    assert sent_one.status_code == sent_two.status_code == 302
    descriptions = sorted(c.description for c in Complaint.objects.all())
    assert descriptions == ["Fees charged.", "Passport taken."]


@pytest.mark.django_db
def test_a_visitor_cannot_send_the_form_with_someone_elses_csrf_token():
    recruiter = RecruiterFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(COMPLAINT_FORM)
    second.get(COMPLAINT_FORM)

    sent = second.post(COMPLAINT_FORM, complaint_answers(page_one, recruiter, "Fees charged."))

    assert sent.status_code == 403
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_each_language_has_its_own_stored_form():
    english = Client().get(COMPLAINT_FORM)
    romanian = Client(headers={"accept-language": "ro"}).get(COMPLAINT_FORM)
    assert "X-Page-Cache" not in romanian
    assert 'lang="ro"' in romanian.content.decode()
    assert 'lang="en' in english.content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_session_gets_the_form_drawn_for_them():
    Client().get(COMPLAINT_FORM)
    visitor = Client()
    visitor.cookies["sessionid"] = "someone"

    page = visitor.get(COMPLAINT_FORM)

    assert "X-Page-Cache" not in page
    assert all(visitor_values(page))


@pytest.mark.django_db
def test_the_session_page_shows_a_seat_booked_since_it_was_stored(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(capacity=5)
    path = f"/training/{session.slug}/"
    assert "5 seats left" in Client().get(path).content.decode()
    assert Client().get(path)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session_id=session.pk, **BOOKER)

    page = Client().get(path)
    assert "X-Page-Cache" not in page
    assert "4 seats left" in page.content.decode()
    assert visitor_values(page)[2] is None  # the booking form has no one-time token


@pytest.mark.django_db
def test_the_session_page_shows_a_cancellation_at_once(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=5)
    path = f"/training/{session.slug}/"
    Client().get(path)

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session)

    page = Client().get(path).content.decode()
    assert "This session has been cancelled." in page
    assert "Book my seat" not in page


class Drawn:
    """A form page that counts its draws and may add a value of its own per draw."""

    def __init__(self, *, own_value=False, real_token=False):
        self.draws = 0
        self.own_value = own_value
        self.real_token = real_token

    def __call__(self, request, values):
        self.draws += 1
        csrf = get_token(request) if self.real_token else values["csrf_token"]
        extra = secrets.token_hex(8) if self.own_value else ""
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{csrf}">{extra}')


def serve(page: Drawn):
    request = RequestFactory().get("/a/form/")
    return form_page(request, lambda values: page(request, values))


def test_a_page_that_changes_between_draws_is_never_stored(caplog):
    page = Drawn(own_value=True)
    with caplog.at_level(logging.WARNING, logger="iomuk.public_cache"):
        serve(page)
        serve(page)
    assert page.draws == 4  # drawn twice on each visit, and stored neither time
    assert "not cached: it changes between draws" in caplog.text


def test_a_page_drawn_with_a_real_csrf_token_is_never_stored():
    page = Drawn(real_token=True)
    first, second = serve(page), serve(page)
    assert page.draws == 2
    assert first.content != second.content


def test_a_page_with_only_placeholders_is_stored_once():
    page = Drawn()
    with translation.override("en-gb"):
        first, second = serve(page), serve(page)
    assert page.draws == 2  # drawn twice before it was stored, then served from the cache
    assert second["X-Page-Cache"] == "hit"
    assert first.content != second.content  # each with a token of its own


@pytest.mark.django_db
def test_the_forms_still_open_when_the_cache_is_down(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    session = SessionFactory(capacity=5)

    complaint_form = Client().get(COMPLAINT_FORM)
    session_page = Client().get(f"/training/{session.slug}/")

    assert complaint_form.status_code == session_page.status_code == 200
    assert all(visitor_values(complaint_form))
    assert "5 seats left" in session_page.content.decode()
    assert "page cache unavailable" in caplog.text
