"""Point 12: cancelling is confirmed first and leads on to other sessions; waiting-list pages
and emails never speak of a seat the person does not have; one name for each action."""

import re

import pytest
from django.core import mail

from training.models import Booking

from .conftest import booking_data
from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_cancelling_asks_for_confirmation_before_anything_changes(client):
    booking = BookingFactory()
    page = client.get(f"/training/bookings/{booking.token}/")
    assert f'href="/training/bookings/{booking.token}/cancel/"' in page.text

    confirm = client.get(f"/training/bookings/{booking.token}/cancel/")

    assert confirm.status_code == 200
    assert "Are you sure you want to cancel your booking?" in confirm.text
    assert "Keep my booking" in confirm.text
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_the_cancelled_page_links_to_other_sessions(client, django_capture_on_commit_callbacks):
    booking = BookingFactory()
    other = SessionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/bookings/{booking.token}/cancel/", follow=True)

    assert "Your booking is cancelled" in response.text
    assert f'href="/training/{other.slug}/"' in response.text
    assert 'href="/training/"' in response.text
    assert f'href="/training/{booking.session.slug}/"' not in response.text.split("<main")[1]


def test_a_waiting_list_page_speaks_of_no_seat_or_calendar_file(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    client.post(f"/training/{session.slug}/", booking_data())
    booking = Booking.objects.get(email="priya.shah@camden.example")
    assert booking.state == Booking.State.WAITING

    for path in (f"/training/{session.slug}/booked/", f"/training/bookings/{booking.token}/"):
        text = visible_text(client.get(path).text)
        assert "your seat" not in text.lower(), text
        assert "the seat" not in text.lower(), text
        assert "calendar" not in text.lower(), text


def test_leaving_the_waiting_list_is_not_called_giving_up_a_seat(
    client, django_capture_on_commit_callbacks
):
    booking = BookingFactory(state=Booking.State.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/bookings/{booking.token}/cancel/", follow=True)

    assert "You have left the waiting list." in response.text
    email = mail.outbox[-1]
    assert "seat goes to the next person" not in email.body
    assert "You have left the waiting list" in email.body


def test_a_session_change_email_to_a_waiting_person_speaks_of_no_seat(
    django_capture_on_commit_callbacks,
):
    from training import services

    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    waiting = BookingFactory(session=session, state=Booking.State.WAITING)
    session.venue = "Another hall"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, changed=["venue"])

    body = next(m.body for m in mail.outbox if m.to == [waiting.email])
    assert "someone else can have the seat" not in body
    assert "leave the waiting list" in body


def test_an_offer_has_one_name_for_turning_the_seat_down(client):
    booking = BookingFactory(state=Booking.State.WAITING)
    from training import services

    services.booking_cancel(booking=BookingFactory(session=booking.session, state="confirmed"))
    booking.refresh_from_db()
    assert booking.state == Booking.State.OFFERED

    text = visible_text(client.get(f"/training/bookings/{booking.token}/").text)

    assert "Accept the seat" in text
    assert "Turn down the seat" in text
    assert "Decline the seat" not in text
    assert "Cancel my booking" not in text


def test_the_duplicate_booking_message_promises_only_what_exists(
    client, session, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, email="priya.shah@camden.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/{session.slug}/", booking_data(), follow=True)

    text = visible_text(response.text)
    assert "change" not in text
    assert "we have not made a second one" in text
    assert "the link to see or cancel your booking" in text
    assert [m.to for m in mail.outbox] == [["priya.shah@camden.example"]]


def test_the_join_the_waiting_list_form_promises_no_calendar_file(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)

    text = visible_text(client.get(f"/training/{session.slug}/").text)

    assert "Join the waiting list" in text
    assert "calendar" not in text.lower()
