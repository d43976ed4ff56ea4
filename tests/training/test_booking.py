import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from training.models import Booking, Session

from .conftest import booking_data
from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _booking_link(body: str) -> str:
    """The path of the booking link in an email, which is the only way to the booking."""
    return urlsplit(re.search(r"https?://\S+/training/bookings/\S+/", body).group(0)).path


def book(client, session, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/training/{session.slug}/", booking_data(**overrides))


def test_it_confirms_a_seat_and_sends_the_reference_by_email(
    client, session, django_capture_on_commit_callbacks
):
    response = book(client, session, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/{session.slug}/booked/"
    assert "Check your email" in client.get(response["Location"]).text
    assert booking.state == Booking.State.CONFIRMED
    assert booking.reference.startswith("TR-") and len(booking.reference) == 9
    page = client.get(_booking_link(mail.outbox[0].body))
    assert booking.reference in page.text
    assert "Your seat is confirmed." in page.text


def test_it_emails_a_confirmation_with_a_calendar_file(
    client, session, django_capture_on_commit_callbacks
):
    book(client, session, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["priya.shah@camden.example"]
    assert "Priya" not in message.subject
    assert booking.reference in message.body
    assert f"/training/bookings/{booking.token}/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "TZID=Europe/London" in text
    assert session.course.title in text


def test_it_puts_people_on_the_waiting_list_when_full(
    client, session, django_capture_on_commit_callbacks
):
    BookingFactory.create_batch(2, session=session)
    response = book(client, session, django_capture_on_commit_callbacks)
    booking = Booking.objects.get(email="priya.shah@camden.example")
    assert booking.state == Booking.State.WAITING
    assert "Check your email" in client.get(response["Location"]).text
    page = client.get(_booking_link(mail.outbox[0].body))
    assert "You are on the waiting list" in page.text
    assert "number 1 in line" in page.text
    assert "you are on its waiting list" in mail.outbox[0].body


def test_the_session_page_says_when_it_is_full(client, session):
    BookingFactory.create_batch(2, session=session)
    page = client.get(f"/training/{session.slug}/")
    assert "This session is full." in page.text
    assert "Join the waiting list" in page.text


def test_a_double_submit_makes_one_booking_and_emails_its_link(
    client, session, django_capture_on_commit_callbacks
):
    first = book(client, session, django_capture_on_commit_callbacks)
    again = book(
        client, session, django_capture_on_commit_callbacks, email="PRIYA.SHAH@camden.example"
    )
    booking = Booking.objects.get()
    assert first["Location"] == again["Location"] == f"/training/{session.slug}/booked/"
    assert [m.to for m in mail.outbox] == [["priya.shah@camden.example"]] * 2
    assert all(f"/training/bookings/{booking.token}/" in m.body for m in mail.outbox)


def test_someone_else_typing_an_email_gets_no_link_but_the_owner_gets_an_email(
    client, session, django_capture_on_commit_callbacks
):
    existing = BookingFactory(session=session, email="priya.shah@camden.example")
    response = client.get(book(client, session, django_capture_on_commit_callbacks)["Location"])
    assert "Check your email" in response.text
    assert existing.token not in response.text
    assert Booking.objects.count() == 1
    assert mail.outbox[0].to == ["priya.shah@camden.example"]
    assert existing.token in mail.outbox[0].body


def test_a_cancelled_booking_does_not_stop_booking_again(
    client, session, django_capture_on_commit_callbacks
):
    BookingFactory(
        session=session, email="priya.shah@camden.example", state=Booking.State.CANCELLED
    )
    book(client, session, django_capture_on_commit_callbacks)
    assert Booking.objects.filter(state=Booking.State.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": Session.State.CANCELLED}, "This session has been cancelled"),
        (
            {"booking_deadline": timezone.now() - timedelta(hours=1)},
            "Booking for this session has closed",
        ),
    ],
)
def test_it_refuses_a_cancelled_or_closed_session(
    client, session, change, message, django_capture_on_commit_callbacks
):
    Session.objects.filter(pk=session.pk).update(**change)
    response = book(client, session, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.text
    assert not Booking.objects.exists()
    assert mail.outbox == []


def test_it_refuses_a_past_session(client, django_capture_on_commit_callbacks):
    starts = timezone.now() - timedelta(days=2)
    past = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    response = book(client, past, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "This session has already taken place" in response.text
    assert not Booking.objects.exists()


def test_a_full_session_without_a_seat_never_oversells(
    client, session, django_capture_on_commit_callbacks
):
    BookingFactory.create_batch(2, session=session)
    for n in range(3):
        book(client, session, django_capture_on_commit_callbacks, email=f"p{n}@nhs.example")
    assert session.bookings.filter(state=Booking.State.CONFIRMED).count() == 2
    assert session.bookings.filter(state=Booking.State.WAITING).count() == 3


def test_it_explains_an_email_in_the_wrong_form(
    client, session, django_capture_on_commit_callbacks
):
    response = book(client, session, django_capture_on_commit_callbacks, email="priya at camden")
    assert response.status_code == 400
    assert "Enter an email address like name@example.org." in response.text
    assert "<title>Error:" in response.text
    assert not Booking.objects.exists()


def test_it_explains_an_over_long_field(client, session, django_capture_on_commit_callbacks):
    response = book(
        client,
        session,
        django_capture_on_commit_callbacks,
        name="x" * 5000,
        requirements="y" * 5000,
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 120 characters" in response.text
    assert "at most 1000 characters" in response.text
    assert not Booking.objects.exists()


def test_it_asks_for_the_missing_fields(client, session, django_capture_on_commit_callbacks):
    response = book(client, session, django_capture_on_commit_callbacks, name="", sector="spy")
    assert response.status_code == 400
    assert "Enter your full name." in response.text
    assert "Select a valid choice" in response.text
    assert not Booking.objects.exists()


def test_hostile_input_is_shown_as_text(client, session, django_capture_on_commit_callbacks):
    book(
        client,
        session,
        django_capture_on_commit_callbacks,
        organisation="<script>alert(1)</script>",
    )
    booking = Booking.objects.get()
    page = client.get(f"/training/bookings/{booking.token}/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_an_unknown_session_is_404(client):
    assert client.get("/training/no-such-session/").status_code == 404


def test_it_throttles_one_address(client, session, settings, django_capture_on_commit_callbacks):
    for n in range(10):
        book(client, session, django_capture_on_commit_callbacks, email=f"p{n}@nhs.example")
    response = book(client, session, django_capture_on_commit_callbacks, email="late@nhs.example")
    assert response.status_code == 429
    assert not Booking.objects.filter(email="late@nhs.example").exists()


def test_booking_needs_no_consent_box_ticked(client, session, django_capture_on_commit_callbacks):
    form = client.get(f"/training/{session.slug}/")
    assert "consent_contact" not in form.text

    response = book(client, session, django_capture_on_commit_callbacks, consent_contact="")

    assert response.status_code == 302
    assert Booking.objects.get().state == Booking.State.CONFIRMED
