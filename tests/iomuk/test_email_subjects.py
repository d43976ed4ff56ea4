"""An email subject is read by whoever sees the inbox: to the public it names no report or booking.

The body, after the greeting, says what the message is about.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from iomuk.models import OutboxMessage
from tests.iris.test_complaints import form_data, submit

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
    "iris-urgent",
    "returns-case-assigned",
    "returns-case-moved",
    "returns-referral-moved",
}
TOPIC = re.compile(
    r"report|complaint|case|booking|booked|IRIS|training|session|seat|waiting|application"
    r"|certificate|referral|danger|urgent|trafficking|slavery",
    re.IGNORECASE,
)


def test_every_email_is_known_as_public_or_staff():
    templates = {p.name.removesuffix("-subject.txt") for p in EMAILS.glob("*-subject.txt")}
    assert templates == PUBLIC | STAFF


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
