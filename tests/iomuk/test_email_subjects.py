"""An email subject is read by whoever sees the inbox.

About a complaint, an application, a return or a watch, a subject to the public names nothing:
the body, after the greeting, says what the message is about. A training email is one a social
worker must find again in her inbox, so its subject says what it is, with the course and the
day (neither is personal data), and never the attendee's name, address or booking reference.
"""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from iomuk.models import OutboxMessage
from tests.iris.complaints.test_complaints import form_data, submit
from tests.training.factories import AdaptedSessionRequestFactory, BookingFactory
from training import services
from training.models import Booking

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
NEUTRAL = "A message from IOM UK"
# Emails to members of the public: complainants, applicants, people who book training.
PUBLIC = {
    "iris-application-accepted",
    "iris-application-received",
    "iris-application-rejected",
    "iris-complaint-received",
    "iris-complaint-update",
    "iris-watch-alert",
    "iris-watch-confirm",
}
# Emails to people who book training or ask for a session: the subject says what they are.
TRAINING = {
    "training-booking-cancelled",
    "training-booking-confirmed",
    "training-booking-link",
    "training-certificate",
    "training-offer-expired",
    "training-reminder",
    "training-request-received",
    "training-seat-offered",
    "training-session-cancelled",
    "training-session-changed",
    "training-waiting-list-joined",
}
# Emails to signed-in staff and partner organisations, at their work addresses.
STAFF = {
    "account-password-reset",
    "account-set-up",
    "iris-complaint-addition",
    "iris-overdue-digest",
    "iris-urgent",
    "returns-case-assigned",
    "returns-case-moved",
    "returns-follow-up-due",
    "returns-referral-moved",
    "returns-referral-outcome",
}
TOPIC = re.compile(
    r"report|complaint|case|booking|booked|IRIS|training|session|seat|waiting|application"
    r"|certificate|referral|danger|urgent|trafficking|slavery",
    re.IGNORECASE,
)


def test_every_email_is_known_as_public_or_staff():
    templates = {p.name.removesuffix("-subject.txt") for p in EMAILS.glob("*-subject.txt")}
    assert templates == PUBLIC | TRAINING | STAFF


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("template", sorted(PUBLIC))
def test_a_public_email_subject_names_no_topic(template, language):
    with translation.override(language):
        neutral = translation.gettext(NEUTRAL)
        for was in ("booked", "waiting"):  # the one subject that has two wordings
            subject = render_to_string(f"emails/{template}-subject.txt", {"was": was}).strip()
            assert subject == neutral
    assert not TOPIC.search(NEUTRAL)


def test_a_complainant_inbox_shows_a_neutral_subject_and_the_body_says_why(
    client, db, django_capture_on_commit_callbacks
):
    submit(
        client, form_data(client, preferred_language="en-gb"), django_capture_on_commit_callbacks
    )
    message = OutboxMessage.objects.get(template="iris-complaint-received")
    assert message.subject == NEUTRAL
    assert message.body_text.startswith("Thank you for your report.")


# What a stranger's inbox must never show of the person who booked or asked.
PERSONAL = ("Priya", "Shah", "priya.shah", "Camden", "TR-P12345", "AR-P123", "Liam")


def _training_context(db):
    booking = BookingFactory(
        name="Priya Shah",
        email="priya.shah@camden.example",
        organisation="Camden Council",
        reference="TR-P12345",
        session__course__title="Recognising human trafficking & exploitation",
        session__starts_at=timezone.make_aware(datetime(2031, 3, 4, 10, 0)),
        session__ends_at=timezone.make_aware(datetime(2031, 3, 4, 13, 0)),
    )
    request = AdaptedSessionRequestFactory(
        reference="AR-P123", contact_name="Liam Walsh", organisation="Camden Council"
    )
    return {
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "certificate": None,
        "position": 1,
        "request": request,
    }


@pytest.mark.parametrize("template", sorted(TRAINING))
def test_a_training_email_subject_says_what_it_is_and_names_nobody(template, db):
    context = _training_context(db)
    for was in ("booked", "waiting"):  # the one subject that has two wordings
        subject = render_to_string(
            f"emails/{template}-subject.txt", {**context, "was": was}
        ).strip()
        assert subject != NEUTRAL
        assert not any(private.lower() in subject.lower() for private in PERSONAL), subject
        if template != "training-request-received":
            assert "Recognising human trafficking & exploitation" in subject
        if template not in ("training-request-received", "training-certificate"):
            assert "4 March 2031" in subject


def test_a_booking_confirmation_and_a_certificate_can_be_found_by_their_subject(
    db, django_capture_on_commit_callbacks
):
    booking = _training_context(db)["booking"]
    with django_capture_on_commit_callbacks(execute=True):
        booked = services.booking_create(
            session_id=booking.session_id,
            name="Grace Okafor",
            email="grace@lambeth.example",
            organisation="Lambeth Council",
            sector="social_work",
            job_title="Social worker",
        )
    confirmation = OutboxMessage.objects.get(template="training-booking-confirmed")
    assert confirmation.subject == (
        "Booking confirmed: Recognising human trafficking & exploitation, 4 March 2031"
    )
    Booking.objects.filter(pk=booked.pk).update(attended=True)
    booked.session.starts_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificates_issue(session=booked.session)
    certificate = OutboxMessage.objects.get(template="training-certificate")
    assert certificate.subject == (
        "Your CPD certificate: Recognising human trafficking & exploitation"
    )
    assert "Grace" not in confirmation.subject + certificate.subject
