from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from training import services
from training.models import Booking, Session

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session():
    session = SessionFactory(capacity=2)
    BookingFactory.create_batch(2, session=session)
    now = timezone.now()
    for n in range(3):
        BookingFactory(
            session=session,
            state=Booking.State.WAITING,
            email=f"waiting{n}@nhs.example",
            created_at=now + timedelta(seconds=n),
        )
    return session


def waiting(session):
    return list(session.bookings.filter(state=Booking.State.WAITING).order_by("created_at"))


def test_a_cancellation_offers_the_seat_to_the_first_in_line(
    client, full_session, django_capture_on_commit_callbacks
):
    first = waiting(full_session)[0]
    confirmed = full_session.bookings.filter(state=Booking.State.CONFIRMED).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/bookings/{confirmed.token}/cancel/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == Booking.State.OFFERED
    hold = first.offer_expires_at - first.offered_at
    assert hold == timedelta(hours=48)
    offer = next(m for m in mail.outbox if m.to == [first.email])
    assert "a seat has come free" in offer.body
    assert f"/training/bookings/{first.token}/#offer" in offer.body
    page = client.get(f"/training/bookings/{first.token}/")
    assert "Accept the seat" in page.text and "Turn down the seat" in page.text


def test_the_hold_time_is_a_setting(full_session, settings):
    settings.TRAINING_OFFER_HOLD_HOURS = 6
    services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    first = full_session.bookings.get(state=Booking.State.OFFERED)
    assert first.offer_expires_at - first.offered_at == timedelta(hours=6)


def test_accepting_an_offer_confirms_the_seat_with_a_calendar_file(
    client, full_session, django_capture_on_commit_callbacks
):
    # Each step commits, as each request does: its mail goes when it commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    offered = full_session.bookings.get(state=Booking.State.OFFERED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/bookings/{offered.token}/accept/", follow=True)
    assert "The seat is yours" in response.text
    offered.refresh_from_db()
    assert offered.state == Booking.State.CONFIRMED
    assert mail.outbox[0].attachments[0][0].endswith(".ics")
    # A second click changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/bookings/{offered.token}/accept/")
    assert len(mail.outbox) == 1


def test_turning_down_the_seat_passes_it_to_the_next_in_line(client, full_session):
    first, second, _third = waiting(full_session)
    services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    response = client.post(f"/training/bookings/{first.token}/cancel/", follow=True)
    assert "You have turned down the seat" in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Booking.State.CANCELLED
    assert second.state == Booking.State.OFFERED


def test_an_unanswered_offer_passes_to_the_next_person(
    full_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    offered = full_session.bookings.get(state=Booking.State.OFFERED)
    later = timezone.now() + timedelta(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire(now=later) == 1
    offered.refresh_from_db()
    assert offered.state == Booking.State.CANCELLED
    assert full_session.bookings.filter(state=Booking.State.OFFERED).count() == 1
    assert any("did not hear back in time" in m.body for m in mail.outbox)


def test_an_expired_offer_can_no_longer_be_accepted(client, full_session):
    services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    offered = full_session.bookings.get(state=Booking.State.OFFERED)
    Booking.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now())
    response = client.post(f"/training/bookings/{offered.token}/accept/", follow=True)
    assert "This offer is no longer open." in response.text
    offered.refresh_from_db()
    assert offered.state == Booking.State.OFFERED


def test_the_expiry_task_passes_offers_on(full_session):
    from training.tasks import expire_offers

    services.booking_cancel(booking=full_session.bookings.filter(state="confirmed").first())
    Booking.objects.filter(state=Booking.State.OFFERED).update(offer_expires_at=timezone.now())
    assert expire_offers.delay().get() == 1


def test_raising_capacity_offers_the_new_seats(full_session):
    full_session.capacity = 4
    services.session_save(session=full_session, changed=["capacity"])
    assert full_session.bookings.filter(state=Booking.State.OFFERED).count() == 2


def test_an_attendee_can_leave_the_waiting_list(client, full_session):
    leaving = waiting(full_session)[1]
    page = client.get(f"/training/bookings/{leaving.token}/")
    assert "number 2 in line" in page.text
    response = client.post(f"/training/bookings/{leaving.token}/cancel/", follow=True)
    assert "You have left the waiting list" in response.text
    last = waiting(full_session)[-1]
    assert "number 2 in line" in client.get(f"/training/bookings/{last.token}/").text
    assert full_session.bookings.filter(state=Booking.State.OFFERED).count() == 0


def test_no_offer_is_made_for_a_cancelled_session(full_session):
    Session.objects.filter(pk=full_session.pk).update(state=Session.State.CANCELLED)
    Booking.objects.filter(session=full_session, state="confirmed").update(state="cancelled")
    assert services.waiting_list_advance(session=full_session) == []
