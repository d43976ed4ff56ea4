"""Booking tells a stranger nothing about an address: a fresh address and one that already has a
booking get the same answer, byte for byte, and the link to a booking arrives only by email."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from training.models import Booking

from .conftest import booking_data
from .factories import BookingFactory
from .test_booking_wording import visible_text

pytestmark = pytest.mark.django_db

# Headers that differ between any two answers, whatever was booked.
VARYING_HEADERS = {"Date", "Expires", "Last-Modified"}


def _without_per_request_secrets(text: str) -> str:
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", text)
    text = re.sub(r"'nonce-[^']*'", "'nonce-'", text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text)


def _answer(response) -> tuple:
    """What a stranger can read of a response: status, headers (the cookies' values aside) and
    body, with the CSRF token and the CSP nonce taken out."""
    headers = sorted(
        (name, _without_per_request_secrets(value))
        for name, value in response.headers.items()
        if name not in VARYING_HEADERS
    )
    cookies = sorted((name, morsel["path"]) for name, morsel in response.cookies.items())
    return (
        response.status_code,
        headers,
        cookies,
        _without_per_request_secrets(response.content.decode()),
    )


def _stranger_books(session, email, capture) -> tuple:
    """A stranger books with `email` in a fresh browser: what they get back, and the page they
    are sent on to."""
    client = Client()
    client.get(f"/training/{session.slug}/")  # as a browser does, before sending the form
    with capture(execute=True):
        sent = client.post(f"/training/{session.slug}/", booking_data(email=email))
    shown = client.get(sent["Location"]) if sent.status_code == 302 else sent
    return sent, shown


def test_a_fresh_address_and_a_booked_one_get_byte_identical_answers(
    session, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, email="priya.shah@camden.example")

    booked = _stranger_books(
        session, "priya.shah@camden.example", django_capture_on_commit_callbacks
    )
    fresh = _stranger_books(session, "sam.okafor@met.example", django_capture_on_commit_callbacks)

    assert Booking.objects.filter(email="sam.okafor@met.example").exists()  # it was booked
    for sent, shown in (booked, fresh):
        assert sent.status_code == 302
        assert "Check your email" in visible_text(shown.text)
        assert "/training/bookings/" not in shown.text
    assert _answer(booked[0]) == _answer(fresh[0])
    assert _answer(booked[1]) == _answer(fresh[1])


def test_a_waiting_address_and_a_booked_one_get_the_same_answer(
    session, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, email="priya.shah@camden.example")
    BookingFactory(session=session, email="tom.reid@camden.example", state=Booking.State.WAITING)

    booked = _stranger_books(
        session, "priya.shah@camden.example", django_capture_on_commit_callbacks
    )
    waiting = _stranger_books(
        session, "tom.reid@camden.example", django_capture_on_commit_callbacks
    )

    assert "waiting list" not in visible_text(booked[1].text).lower()
    assert _answer(booked[0]) == _answer(waiting[0])
    assert _answer(booked[1]) == _answer(waiting[1])


def test_the_link_to_a_new_booking_arrives_only_by_email(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/training/{session.slug}/", booking_data())
    booking = Booking.objects.get()
    shown = client.get(sent["Location"])
    assert booking.token not in sent["Location"] and booking.token not in shown.text
    assert booking.reference not in shown.text
    assert session.course.title in shown.text  # the session they chose, which is public

    [message] = mail.outbox
    assert message.to == ["priya.shah@camden.example"]
    link = re.search(r"https?://\S+/training/bookings/\S+/", message.body).group(0)
    page = client.get(urlsplit(link).path)
    assert booking.reference in page.text


def test_five_tries_with_a_booked_address_send_one_email(
    session, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, email="priya.shah@camden.example")
    for _ in range(5):
        _sent, shown = _stranger_books(
            session, "priya.shah@camden.example", django_capture_on_commit_callbacks
        )
        assert "Check your email" in shown.text
    assert [m.to for m in mail.outbox] == [["priya.shah@camden.example"]]


def test_the_browser_that_made_the_booking_is_told_nothing_more_the_second_time(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/training/{session.slug}/", booking_data())
        again = client.post(f"/training/{session.slug}/", booking_data())
    assert first["Location"] == again["Location"]
    assert Booking.objects.count() == 1
    assert "/training/bookings/" not in client.get(again["Location"]).text
