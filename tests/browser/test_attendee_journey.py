"""Journey: an attendee's own pages, before and after the session (issue 16, points 8 and 12).

A frontline worker books and cancels, with a confirmation step and other sessions offered; a
person on the waiting list sees nothing about a seat they do not have; an attendee who came
downloads the certificate from the booking page; an employer mistypes the certificate's code.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from training import services
from training.models import Booking

from .conftest import email_to, link_in

WIDTHS = (390, 1280)


@pytest.fixture
def shoot(screenshot):
    """Screenshots of the page at a phone's width and a laptop's, for people to look at."""

    def both(page, name):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"attendee-{name}-{width}")
        page.set_viewport_size({"width": 1280, "height": 900})

    return both


def _starts(days: int):
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


@pytest.fixture
def sessions(db):
    """A session with one seat left, another date of the same course, and a past session."""
    course = CourseFactory(title="Spotting the signs of modern slavery")
    soon, later = _starts(20), _starts(40)
    return {
        "soon": SessionFactory(
            course=course,
            slug="signs-soon",
            starts_at=soon,
            ends_at=soon + timedelta(hours=3),
            booking_deadline=soon - timedelta(days=1),
            capacity=1,
        ),
        "later": SessionFactory(
            course=course,
            slug="signs-later",
            starts_at=later,
            ends_at=later + timedelta(hours=3),
            booking_deadline=later - timedelta(days=1),
            venue="Manchester Central Library",
            region="north_west",
        ),
    }


def book(page, *, name: str, email: str, button: str) -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Organisation").fill("Camden Council")
    page.get_by_label("Sector").select_option(label="Social work")
    page.get_by_label("Job title").fill("Senior social worker")
    page.get_by_role("button", name=button).click()


def test_an_attendee_cancels_after_confirming_and_is_offered_other_sessions(
    page, sessions, assert_accessible, shoot
):
    page.goto(f"/training/{sessions['soon'].slug}/")
    # No consent box stands between the person and the booking.
    assert page.get_by_role("checkbox").count() == 0
    book(page, name="Priya Shah", email="priya.shah@camden.example", button="Book my seat")
    # The page says only to check the inbox: the link to the booking comes by email.
    page.get_by_role("heading", name="Check your email").wait_for()

    confirmation = email_to("priya.shah@camden.example", "training-booking-confirmed")
    page.goto(link_in(confirmation.body_text, "/training/bookings/"))
    page.get_by_role("link", name="Cancel my booking").click()

    # A confirmation step first: going back changes nothing.
    page.get_by_role("heading", name="Are you sure you want to cancel your booking?").wait_for()
    assert_accessible(page)
    shoot(page, "cancel-confirm")
    page.get_by_role("link", name="Keep my booking").click()
    page.get_by_text("Your seat is confirmed.").wait_for()
    assert Booking.objects.get().state == Booking.State.CONFIRMED

    page.get_by_role("link", name="Cancel my booking").click()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    page.get_by_text("Your booking is cancelled. We have sent you an email to confirm.").wait_for()
    assert Booking.objects.get().state == Booking.State.CANCELLED
    page.get_by_role("heading", name="Other sessions you can book").wait_for()
    assert_accessible(page)
    shoot(page, "cancelled")

    # The other date of the same course is one click away.
    page.get_by_role("link", name="Spotting the signs of modern slavery").click()
    page.wait_for_url(f"**/training/{sessions['later'].slug}/")
    page.get_by_role("heading", name="Book a seat").wait_for()


def test_a_person_on_the_waiting_list_is_told_of_no_seat_or_calendar_file(
    page, sessions, assert_accessible, shoot
):
    BookingFactory(session=sessions["soon"])  # the last seat goes to someone else
    page.goto(f"/training/{sessions['soon'].slug}/")
    book(page, name="Sam Okafor", email="sam.okafor@met.example", button="Join the waiting list")

    page.get_by_role("heading", name="Check your email").wait_for()
    main = page.get_by_role("main").inner_text().lower()
    assert "your seat" not in main and "the seat" not in main and "calendar" not in main
    assert_accessible(page)
    shoot(page, "waiting-list-joined")

    joined = email_to("sam.okafor@met.example", "training-waiting-list-joined")
    page.goto(link_in(joined.body_text, "/training/bookings/"))
    page.get_by_text("You are number 1 in line.").wait_for()
    main = page.get_by_role("main").inner_text().lower()
    assert "your seat" not in main and "the seat" not in main and "calendar" not in main
    assert page.get_by_role("link", name="Cancel my booking").count() == 0
    assert_accessible(page)
    shoot(page, "waiting-list-booking")

    page.get_by_role("link", name="Leave the waiting list").click()
    page.get_by_role("heading", name="Are you sure you want to leave the waiting list?").wait_for()
    assert "seat" not in page.get_by_role("main").inner_text().lower()
    page.get_by_role("button", name="Yes, leave the waiting list").click()
    page.get_by_text("You have left the waiting list.").wait_for()
    email = email_to("sam.okafor@met.example", "training-booking-cancelled")
    assert "seat" not in email.body_text


def test_an_attendee_downloads_the_certificate_from_the_booking_page(
    page, db, assert_accessible, shoot
):
    starts = timezone.now() - timedelta(days=3)
    past = SessionFactory(
        course=CourseFactory(title="Modern slavery for NHS staff"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
    )
    booking = BookingFactory(session=past, name="Grace Okafor", attended=True)
    certificate = services.certificates_issue(session=past)[0]

    page.goto(f"/training/bookings/{booking.token}/")
    page.get_by_text("You attended this session.").wait_for()
    assert "Your seat is confirmed" not in page.get_by_role("main").inner_text()
    assert certificate.code in page.get_by_role("main").inner_text()
    assert_accessible(page)
    shoot(page, "attended-with-certificate")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "cpd-certificate.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")


def test_an_employer_mistypes_a_certificate_code_then_finds_it(page, db, assert_accessible, shoot):
    starts = timezone.now() - timedelta(days=3)
    past = SessionFactory(
        course=CourseFactory(title="Modern slavery for NHS staff"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
    )
    BookingFactory(session=past, name="Grace Okafor", attended=True)
    code = services.certificates_issue(session=past)[0].code
    wrong = code[:-1] + ("Z" if code[-1] != "Z" else "Y")

    page.goto("/training/certificates/")
    page.get_by_role("heading", name="Check a CPD certificate").wait_for()
    assert_accessible(page)
    page.get_by_label("Certificate code").fill(wrong.lower())
    with page.expect_response(lambda r: "/training/certificates/CPD-" in r.url) as answer:
        page.get_by_role("button", name="Check the certificate").click()
    assert answer.value.status == 404
    page.get_by_role("heading", name="Certificate not found").wait_for()
    assert page.get_by_text(f"We cannot find a certificate with the code {wrong}.").is_visible()
    assert_accessible(page)
    shoot(page, "certificate-not-found")

    # Typed again from the paper, in lower case with spaces: found.
    page.get_by_label("Certificate code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_role("heading", name="This CPD certificate is genuine").wait_for()
    assert "Grace Okafor" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    shoot(page, "certificate-found")
