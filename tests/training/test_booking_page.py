import pytest
from django.core import mail

from training.models import Booking, Session

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def online():
    return SessionFactory(
        format=Session.Format.ONLINE, venue="", address="", region="",
        online_link="https://meet.example/j/secret-room",
    )  # fmt: skip


def test_a_confirmed_attendee_sees_the_joining_link(client, online):
    booking = BookingFactory(session=online)
    page = client.get(f"/training/bookings/{booking.token}/")
    assert "https://meet.example/j/secret-room" in page.text
    assert "Download the calendar file" in page.text


@pytest.mark.parametrize("state", ["waiting", "cancelled"])
def test_nobody_else_sees_the_joining_link(client, online, state):
    booking = BookingFactory(session=online, state=state)
    page = client.get(f"/training/bookings/{booking.token}/")
    assert page.status_code == 200
    assert "secret-room" not in page.text
    assert "secret-room" not in client.get(f"/training/{online.slug}/").text


def test_the_calendar_file_downloads_in_london_time(client, online):
    booking = BookingFactory(session=online)
    response = client.get(f"/training/bookings/{booking.token}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/London:" in body
    assert "BEGIN:VTIMEZONE" in body
    assert "secret-room" in body


def test_a_waiting_attendee_calendar_has_no_joining_link(client, online):
    booking = BookingFactory(session=online, state=Booking.State.WAITING)
    body = client.get(f"/training/bookings/{booking.token}/calendar.ics").content.decode()
    assert "secret-room" not in body


def test_an_attendee_cancels_their_booking(client, django_capture_on_commit_callbacks):
    booking = BookingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/bookings/{booking.token}/cancel/", follow=True)
    assert "Your booking is cancelled" in response.text
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert "cancelled" in mail.outbox[0].body


def test_cancelling_twice_gets_a_plain_message(client):
    booking = BookingFactory(state=Booking.State.CANCELLED)
    response = client.post(f"/training/bookings/{booking.token}/cancel/", follow=True)
    assert response.status_code == 200
    assert "This booking is already cancelled." in response.text


def test_only_the_confirming_post_cancels(client):
    booking = BookingFactory()
    assert client.get(f"/training/bookings/{booking.token}/cancel/").status_code == 200
    assert client.head(f"/training/bookings/{booking.token}/cancel/").status_code == 200
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_accepting_without_an_offer_gets_a_plain_message(client):
    booking = BookingFactory(state=Booking.State.WAITING)
    response = client.post(f"/training/bookings/{booking.token}/accept/", follow=True)
    assert "This offer is no longer open." in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/training/bookings/not-a-real-token/",
        "/training/no-such-session/booked/",
        "/training/bookings/not-a-real-token/calendar.ics",
        "/training/certificates/CPD-NOPE-NOPE/",
    ],
)
def test_an_unknown_token_is_404(client, path):
    assert client.get(path).status_code == 404


def test_an_unknown_token_cannot_be_cancelled(client):
    assert client.post("/training/bookings/not-a-real-token/cancel/").status_code == 404
