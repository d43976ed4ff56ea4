"""Public pages and form pages are drawn for each visitor: what one sees is the portal now,
and the values a form carries (its CSRF token, the signed time it was opened, the complaint
form's one-time token) are that visitor's own. Two people sharing a submission token would have
their complaints merged into one.
"""

import re
import time

import pytest
from django.test import Client

from iomuk.forms import HumanCheckForm
from iris.models import Complaint
from tests.conftest import free_port
from tests.iris.factories import RecruiterFactory
from tests.training.factories import BookingFactory, SessionFactory
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
def _own_cache(private_cache):
    """Pages drawn with a cache of the test's own, as they are deployed."""


def hidden(html: str, name: str) -> str:
    found = re.findall(rf'name="{name}" value="([^"]*)"', html)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def visitor_values(response) -> tuple[str, str, str | None]:
    html = response.content.decode()
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
def test_two_visitors_get_the_complaint_form_each_with_their_own_values():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(COMPLAINT_FORM), second.get(COMPLAINT_FORM)

    (csrf_one, started_one, token_one) = visitor_values(page_one)
    (csrf_two, started_two, token_two) = visitor_values(page_two)
    assert csrf_one != csrf_two
    assert token_one and token_two and token_one != token_two
    assert started_one != started_two
    for started in (started_one, started_two):
        assert time.time() - int(HumanCheckForm._signer.unsign(started).split(".")[0]) < 5
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


@pytest.mark.django_db
def test_two_visitors_sending_the_complaint_form_file_two_separate_complaints():
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
def test_each_visitor_gets_the_form_in_their_own_language():
    english = Client().get(COMPLAINT_FORM)
    romanian = Client(headers={"accept-language": "ro"}).get(COMPLAINT_FORM)
    assert 'lang="ro"' in romanian.content.decode()
    assert 'lang="en' in english.content.decode()


@pytest.mark.django_db
def test_the_session_page_shows_a_seat_booked_a_moment_ago(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=5)
    path = f"/training/{session.slug}/"
    assert "5 seats left" in Client().get(path).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session_id=session.pk, **BOOKER)

    page = Client().get(path)
    assert "4 seats left" in page.content.decode()
    assert visitor_values(page)[2] is None  # the booking form has no one-time token


@pytest.mark.django_db
def test_the_session_page_shows_a_seat_taken_by_any_path():
    session = SessionFactory(capacity=5)
    path = f"/training/{session.slug}/"
    assert "5 seats left" in Client().get(path).content.decode()

    BookingFactory(session=session)  # an administrator's fix, a data migration, a shell

    assert "4 seats left" in Client().get(path).content.decode()


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


@pytest.mark.django_db
def test_a_recruiter_accredited_a_moment_ago_is_on_the_roster_at_once():
    before = Client().get("/iris/recruiters/").content.decode()
    recruiter = RecruiterFactory(legal_name="Newly Accredited Staffing Ltd")
    assert recruiter.legal_name not in before

    assert recruiter.legal_name in Client().get("/iris/recruiters/").content.decode()


@pytest.mark.django_db
def test_the_forms_still_open_when_the_cache_is_down(settings):
    settings.CACHES = {
        **settings.CACHES,  # (the frame's fragments stay in this process)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    session = SessionFactory(capacity=5)

    complaint_form = Client().get(COMPLAINT_FORM)
    session_page = Client().get(f"/training/{session.slug}/")

    assert complaint_form.status_code == session_page.status_code == 200
    assert all(visitor_values(complaint_form))
    assert "5 seats left" in session_page.content.decode()
