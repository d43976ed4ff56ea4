from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from training import services
from training.models import Booking, Session

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_confirmed_attendees_are_reminded_once_two_days_before(django_capture_on_commit_callbacks):
    soon = SessionFactory(starts_at=timezone.now() + timedelta(days=1, hours=20))
    later = SessionFactory(starts_at=timezone.now() + timedelta(days=10))
    booked = BookingFactory(session=soon)
    BookingFactory(session=soon, state=Booking.State.WAITING)
    BookingFactory(session=soon, state=Booking.State.CANCELLED)
    BookingFactory(session=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert [m.to for m in mail.outbox] == [[booked.email]]
    assert "A reminder of your session" in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][0].endswith(".ics")


def test_the_reminder_task_is_on_the_beat_schedule(settings):
    from training.tasks import send_reminders

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "training.tasks.send_reminders" in tasks
    assert "training.tasks.expire_offers" in tasks
    assert send_reminders.delay().get() == 0


def test_moving_a_session_tells_everyone_booked_and_waiting(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    confirmed = BookingFactory(session=session)
    waiting = BookingFactory(session=session, state=Booking.State.WAITING)
    BookingFactory(session=session, state=Booking.State.CANCELLED)
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, changed=["starts_at", "ends_at"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([confirmed.email, waiting.email])
    assert all("has changed" in m.body for m in mail.outbox)


def test_a_change_of_title_only_tells_nobody(django_capture_on_commit_callbacks):
    session = SessionFactory()
    BookingFactory(session=session)
    session.capacity = 12
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, changed=["capacity"])
    assert mail.outbox == []


def test_cancelling_a_session_tells_everyone_and_ends_their_bookings(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory()
    BookingFactory(session=session)
    BookingFactory(session=session, state=Booking.State.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session)
    session.refresh_from_db()
    assert session.state == Session.State.CANCELLED
    assert len(mail.outbox) == 2
    assert all("had to cancel this session" in m.body for m in mail.outbox)
    assert not session.bookings.filter(state__in=Booking.ACTIVE_STATES).exists()
