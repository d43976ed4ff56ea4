"""Booking with an address that already has a booking tells a stranger nothing about it."""

import pytest
from django.core import mail
from django.test import Client

from training.models import Booking

from .conftest import booking_data
from .factories import BookingFactory
from .test_booking_wording import visible_text

pytestmark = pytest.mark.django_db


def _stranger_books(session, email, capture):
    with capture(execute=True):
        response = Client().post(f"/training/{session.slug}/", booking_data(email=email))
    return visible_text(response.text)


def test_a_stranger_is_not_told_the_address_is_booked(session, django_capture_on_commit_callbacks):
    BookingFactory(session=session, email="priya.shah@camden.example")
    BookingFactory(session=session, email="tom.reid@camden.example", state=Booking.State.WAITING)

    booked = _stranger_books(
        session, "priya.shah@camden.example", django_capture_on_commit_callbacks
    )
    waiting = _stranger_books(
        session, "tom.reid@camden.example", django_capture_on_commit_callbacks
    )

    assert "Check your email" in booked
    assert "we have sent the details" in booked
    for text in (booked, waiting):
        assert "already" not in text.lower()
        assert "waiting list" not in text.lower()
        assert "See your booking" not in text
    assert booked.replace("priya.shah", "") == waiting.replace("tom.reid", "")


def test_five_tries_with_a_booked_address_send_one_email(
    session, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, email="priya.shah@camden.example")
    for _ in range(5):
        text = _stranger_books(
            session, "priya.shah@camden.example", django_capture_on_commit_callbacks
        )
        assert "Check your email" in text
    assert [m.to for m in mail.outbox] == [["priya.shah@camden.example"]]


def test_the_browser_that_made_the_booking_still_sees_its_link(client, session):
    first = client.post(f"/training/{session.slug}/", booking_data())
    assert first.status_code == 302
    again = client.post(f"/training/{session.slug}/", booking_data())
    assert "See your booking" in again.text
