"""Journey 1: a frontline worker books a session, then gives the seat up to the next in line."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.training.factories import CourseFactory, SessionFactory
from training.models import Booking

from .conftest import email_to, link_in


@pytest.fixture
def sessions(db):
    """A one-seat session in London, and a session elsewhere that the filter must hide."""
    starts = (timezone.now() + timedelta(days=20)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    london = SessionFactory(
        course=CourseFactory(title="Spotting the signs of modern slavery"),
        slug="signs-london",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
        region="london",
        venue="Friends House",
        capacity=1,
    )
    SessionFactory(
        course=CourseFactory(title="Trafficking awareness for housing teams"),
        region="north_west",
        venue="Manchester Central Library",
        address="St Peter's Square, Manchester M2 5PD",
    )
    return {"london": london}


def book(page, *, name: str, email: str, button: str) -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Organisation").fill("Camden Council")
    page.get_by_label("Sector").select_option(label="Social work")
    page.get_by_label("Job title").fill("Senior social worker")
    page.get_by_role("button", name=button).click()


def test_a_frontline_worker_books_cancels_and_the_next_in_line_takes_the_seat(
    page, new_page, sessions, assert_accessible, screenshot
):
    session = sessions["london"]

    # Priya finds the London session by filtering the list.
    page.goto("/training/")
    assert_accessible(page)
    page.get_by_label("Region").select_option(label="London")
    page.get_by_role("button", name="Show sessions").click()
    page.get_by_role("heading", name="1 session open for booking").wait_for()
    assert page.get_by_role("link", name="Trafficking awareness for housing teams").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Spotting the signs of modern slavery").click()

    # She books the one seat and is told to check her email, where her reference is.
    page.get_by_role("heading", name="Book a seat").wait_for()
    assert "Open for booking." in page.get_by_role("status").first.inner_text()
    assert_accessible(page)
    book(page, name="Priya Shah", email="priya.shah@camden.example", button="Book my seat")
    page.get_by_role("heading", name="Check your email").wait_for()
    priya = Booking.objects.get(email="priya.shah@camden.example")
    assert priya.state == Booking.State.CONFIRMED
    assert priya.reference not in page.content() and priya.token not in page.content()
    assert_accessible(page)

    # Sam, in another browser, finds it full and joins the waiting list.
    sam_page = new_page()
    sam_page.goto(f"/training/{session.slug}/")
    assert "This session is full." in sam_page.get_by_role("status").first.inner_text()
    assert_accessible(sam_page)
    book(
        sam_page, name="Sam Okafor", email="sam.okafor@met.example", button="Join the waiting list"
    )
    sam_page.get_by_role("heading", name="Check your email").wait_for()
    joined = email_to("sam.okafor@met.example", "training-waiting-list-joined")
    sam_page.goto(link_in(joined.body_text, "/training/bookings/"))
    assert "You are number 1 in line." in sam_page.get_by_role("status").first.inner_text()
    assert_accessible(sam_page)

    # Later, Priya opens the link in her confirmation email.
    confirmation = email_to("priya.shah@camden.example", "training-booking-confirmed")
    assert priya.reference in confirmation.body_text
    page.goto(link_in(confirmation.body_text, "/training/bookings/"))
    page.get_by_role("heading", name=f"Your booking {priya.reference}").wait_for()
    assert "Your seat is confirmed." in page.get_by_role("status").first.inner_text()
    assert_accessible(page)

    # She downloads the calendar file: one event, this session, at its time.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Spotting the signs of modern slavery"
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert "Friends House" in str(event["location"])
    assert priya.reference in str(event["uid"])
    assert "status" not in event  # not cancelled

    # She cannot come after all, and cancels.
    page.get_by_role("link", name="Cancel my booking").click()
    page.get_by_role("heading", name="Are you sure you want to cancel your booking?").wait_for()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    page.get_by_text("Your booking is cancelled. We have sent you an email to confirm.").wait_for()
    assert page.get_by_text("This booking is cancelled.").is_visible()
    assert page.get_by_role("link", name="Cancel my booking").count() == 0
    assert_accessible(page)
    email_to("priya.shah@camden.example", "training-booking-cancelled")

    # Sam is emailed the seat and accepts it from the link.
    offer = email_to("sam.okafor@met.example", "training-seat-offered")
    # (His booking page is still open from the first email, so the link is opened afresh.)
    sam_page.goto("about:blank")
    sam_page.goto(link_in(offer.body_text, "/training/bookings/"))
    page_text = sam_page.get_by_role("status").first.inner_text()
    assert "A seat is free and it is yours if you want it." in page_text
    assert_accessible(sam_page)
    sam_page.get_by_role("button", name="Accept the seat").click()
    sam_page.get_by_text("The seat is yours.").wait_for()
    assert sam_page.get_by_text("Your seat is confirmed.").is_visible()
    assert sam_page.get_by_role("button", name="Accept the seat").count() == 0
    assert_accessible(sam_page)
    screenshot(sam_page, "journey-1-waiting-list-seat-accepted")
    assert Booking.objects.get(email="sam.okafor@met.example").state == Booking.State.CONFIRMED
    email_to("sam.okafor@met.example", "training-booking-confirmed")
