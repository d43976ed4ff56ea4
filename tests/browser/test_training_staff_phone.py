"""A training coordinator works from a phone (390 px): the roll call and the admin lists of
bookings, the waiting list and requests fit the screen, however long the names and addresses
in them, with no sideways scroll of the page."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from tests.training.factories import (
    AdaptedSessionRequestFactory,
    BookingFactory,
    CourseFactory,
    SessionFactory,
)
from training.models import Booking

PASSWORD = "a-long-test-password-for-staff"
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Maximiliana-Alexandrina Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"
LONG_EMAIL = (
    "maximiliana.alexandrina.wolfeschlegelsteinhausenbergerdorff"
    "@royal-borough-of-kensington-and-chelsea.gov.example"
)
LONG_ORGANISATION = "Royal Borough of Kensington and Chelsea Adult Safeguarding Partnership Board"


@pytest.fixture
def busy_session(db):
    starts = timezone.now() - timedelta(hours=2)
    session = SessionFactory(
        course=CourseFactory(
            title="Recognising and responding to human trafficking and modern slavery in "
            "multi-agency safeguarding work"
        ),
        slug="safeguarding-this-morning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
        capacity=2,
        venue="Kensington Town Hall Council Chamber and Adjoining Meeting Rooms",
    )
    for n in range(2):
        BookingFactory(
            session=session,
            name=f"{LONG_NAME} {n}",
            email=f"{n}.{LONG_EMAIL}",
            organisation=LONG_ORGANISATION,
        )
    later = SessionFactory(course=session.course, capacity=1)
    BookingFactory(session=later, name=LONG_NAME, email=LONG_EMAIL, organisation=LONG_ORGANISATION)
    BookingFactory(
        session=later,
        name=f"{LONG_NAME} waiting",
        email=f"waiting.{LONG_EMAIL}",
        organisation=LONG_ORGANISATION,
        state=Booking.State.WAITING,
    )
    AdaptedSessionRequestFactory(
        organisation=LONG_ORGANISATION, contact_name=LONG_NAME, email=LONG_EMAIL
    )
    return session


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user(
        "coordinator", email="coordinator@iom-uk.example", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


def test_the_training_staff_pages_fit_a_phone(
    new_page, busy_session, coordinator, sign_in, screenshot
):
    page = new_page(viewport=PHONE)
    sign_in(page, "coordinator", PASSWORD)
    pages = {
        "roll call": f"/training/{busy_session.slug}/attendance/",
        "session bookings": f"/admin/training/booking/?session__id__exact={busy_session.pk}",
        "waiting list": "/admin/training/booking/?state__exact=waiting",
        "sessions": "/admin/training/session/",
        "requests": "/admin/training/adaptedsessionrequest/",
    }
    widths = {}
    for name, path in pages.items():
        page.goto(path)
        assert page.locator("body").inner_text(), name
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"training-staff-390-{name.replace(' ', '-')}")
    assert all(width <= 390 for width in widths.values()), widths


def test_the_roll_call_is_taken_on_a_phone(
    new_page, busy_session, coordinator, sign_in, assert_accessible
):
    page = new_page(viewport=PHONE)
    sign_in(page, "coordinator", PASSWORD, next_path=f"/training/{busy_session.slug}/attendance/")
    assert_accessible(page)
    for n in range(2):
        attendance = page.get_by_role("group", name=f"Attendance of {LONG_NAME} {n}")
        present = attendance.get_by_label("Present")
        present.check()
        box = present.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # in reach, not off to the side
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved (2 changed).").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
