"""The calendar event a confirmation adds follows the booking: a change of time or place
updates it, a cancellation removes it. Each file emailed for a booking carries the
confirmation's UID and a higher SEQUENCE than the file before, as calendars require."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from icalendar import Calendar

from iomuk import roles
from iomuk.models import User
from training import services
from training.models import Booking, Session

from .conftest import booking_data
from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def _event(message):
    """The method and the event of the one calendar file attached to an email."""
    files = [content for name, content, _type in message.attachments if name.endswith(".ics")]
    assert len(files) == 1, f"{message.subject}: {len(files)} calendar files"
    calendar = Calendar.from_ical(files[0])
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def _book(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/{session.slug}/", booking_data())
    booking = Booking.objects.get()
    assert booking.state == Booking.State.CONFIRMED
    method, event = _event(mail.outbox[-1])
    assert method == "REQUEST"
    return booking, event


@pytest.fixture
def coordinator_client(db):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    staff = Client()
    staff.force_login(user)
    return staff


def assert_cancels(message, confirmed):
    method, event = _event(message)
    assert method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(confirmed["UID"])
    assert int(event["SEQUENCE"]) > int(confirmed["SEQUENCE"])


def test_an_attendee_who_cancels_gets_a_calendar_cancellation_of_the_same_event(
    client, session, django_capture_on_commit_callbacks
):
    booking, confirmed = _book(client, session, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/bookings/{booking.token}/cancel/")
    assert "cancelled" in mail.outbox[-1].body
    assert_cancels(mail.outbox[-1], confirmed)


def test_a_cancelled_session_removes_the_event_from_each_attendees_calendar(
    client, session, coordinator_client, django_capture_on_commit_callbacks
):
    _booking, confirmed = _book(client, session, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            "/admin/training/session/",
            {"action": "cancel_sessions", "_selected_action": [session.pk]},
        )
    assert Session.objects.get().state == Session.State.CANCELLED
    assert_cancels(mail.outbox[-1], confirmed)


def test_a_moved_session_updates_the_event_and_a_later_cancellation_still_wins(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=2)
    booking, confirmed = _book(client, session, django_capture_on_commit_callbacks)
    session = Session.objects.get()
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(
            session=session, changed=["starts_at", "ends_at"], expected_version=session.version
        )
    method, moved = _event(mail.outbox[-1])
    assert method == "REQUEST"
    assert str(moved["UID"]) == str(confirmed["UID"])
    assert int(moved["SEQUENCE"]) > int(confirmed["SEQUENCE"])
    assert moved.decoded("DTSTART") == confirmed.decoded("DTSTART") + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/bookings/{booking.token}/cancel/")
    assert_cancels(mail.outbox[-1], moved)
