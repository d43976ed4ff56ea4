"""No email to an address nobody confirmed carries words a stranger typed into a public form.

Anyone can type someone else's address into the join, booking, adapted-session or complaint
form. If the email that follows repeated what they typed ("IOM UK. URGENT: ... confirm at
https://..."), the portal would send a stranger's message, with a link, in IOM UK's name. Each
test fills every free-text field of one form with such a message and reads what was sent.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from iomuk import roles
from iomuk.models import User
from iris.models import Application
from iris.recruiters.services import application_accept, application_reject
from tests.iris.factories import ApplicationFactory, RecruiterFactory
from tests.training.factories import BookingFactory, SessionFactory
from training.models import Booking
from training.services import booking_cancel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_cache")]

HOSTILE = "IOM UK. URGENT: your return case was suspended - confirm at https://evil.example/x"
VICTIM = "victim@example.org"


@pytest.fixture
def officer(db):
    user = User.objects.create_user("officer", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    return user


def assert_no_strangers_words():
    assert mail.outbox, "an email was sent"
    for message in mail.outbox:
        parts = [message.subject, message.body, *(alt[0] for alt in message.alternatives)]
        for part in parts:
            assert "evil.example" not in part
            assert "URGENT" not in part
            assert "suspended - confirm" not in part


def test_the_join_form_sends_none_of_the_applicants_words(
    client, django_capture_on_commit_callbacks, officer
):
    data = {
        "organisation_name": HOSTILE,
        "organisation_type": "recruiter",
        "registration_number": HOSTILE[:50],
        "hq_country": "RO",
        "origin_countries": ["RO"],
        "destination_countries": ["GB"],
        "sectors": ["care"],
        "website": "https://evil.example/confirm",
        "contact_name": HOSTILE[:120],
        "contact_email": VICTIM,
        "contact_phone": "+40 21 000 0000",
        "about": HOSTILE,
        "commits_to_code": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("iris:join"), data)
    assert response.status_code == 200
    application = Application.objects.get()
    assert mail.outbox[0].to == [VICTIM]
    assert application.reference in mail.outbox[0].body
    assert "IRIS alliance" in mail.outbox[0].body
    # The decision goes to the same unconfirmed address: it names the application, not them.
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=application, by=officer)
    assert len(mail.outbox) == 2
    assert_no_strangers_words()


def test_the_acceptance_of_an_application_names_only_the_application(
    client, django_capture_on_commit_callbacks, officer
):
    application = ApplicationFactory(organisation_name=HOSTILE, contact_email=VICTIM)
    with django_capture_on_commit_callbacks(execute=True):
        application_accept(application=application, by=officer)
    assert mail.outbox[-1].to == [VICTIM]
    assert_no_strangers_words()


@pytest.mark.parametrize("full", [False, True], ids=["seat", "waiting list"])
def test_a_booking_email_names_the_course_and_date_not_what_was_typed(
    client, django_capture_on_commit_callbacks, full
):
    session = SessionFactory(capacity=1)
    if full:
        BookingFactory(session=session)
    data = {
        "name": HOSTILE[:120],
        "email": VICTIM,
        "organisation": HOSTILE,
        "sector": "social_work",
        "job_title": HOSTILE,
        "requirements": HOSTILE,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/{session.slug}/", data)
    assert response.status_code == 302
    assert mail.outbox[0].to == [VICTIM]
    assert session.course.title in mail.outbox[0].body
    # Booking again with the same address sends the link to the booking already made.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/{session.slug}/", data)
    assert len(mail.outbox) == 2
    # So does cancelling it (and every later email about the booking: one greeting for all).
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=Booking.objects.get(email=VICTIM))
    assert len(mail.outbox) == 3
    assert_no_strangers_words()


def test_an_adapted_session_request_email_carries_none_of_the_request(
    client, django_capture_on_commit_callbacks
):
    data = {
        "organisation": HOSTILE,
        "contact_name": HOSTILE[:120],
        "email": VICTIM,
        "phone": "020 7946 0000",
        "sector": "faith",
        "people": "25",
        "preferred_dates": HOSTILE,
        "format": "in_person",
        "needs": HOSTILE,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/training/request/", data)
    assert response.status_code == 200
    assert mail.outbox[0].to == [VICTIM]
    assert_no_strangers_words()


@pytest.mark.parametrize("email_code", ["", "on"], ids=["reference only", "with the code"])
def test_a_complaint_receipt_carries_none_of_the_report(
    client, django_capture_on_commit_callbacks, email_code
):
    recruiter = RecruiterFactory()
    url = reverse("iris:complaint-new")
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).text).group(1)
    data = {
        "token": token,
        "about": "listed",
        "recruiter_ref": recruiter.accreditation_number,
        "categories": ["fees"],
        "happened_when": HOSTILE[:100],
        "description": HOSTILE,
        "name": HOSTILE[:120],
        "email": VICTIM,
        "email_code": email_code,
        "phone": HOSTILE[:40],
        "safe_contact": HOSTILE,
        "preferred_language": "en-gb",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert "Report received" in response.text
    assert mail.outbox[-1].to == [VICTIM]
    assert_no_strangers_words()
