"""People who are quick (a pasted number, a browser's autofill) are served, not taken for bots."""

import pytest

from iomuk import settings as portal_settings
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import Booking

WIDTHS = (390, 1280)


@pytest.fixture(autouse=True)
def _the_real_bot_check(settings):
    """The bot check as the portal is configured, not as tests/conftest.py relaxes it."""
    for name in dir(portal_settings):
        if name.startswith("HUMAN_CHECK_"):
            setattr(settings, name, getattr(portal_settings, name))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_number_pasted_into_verify_and_sent_with_enter_is_checked(
    page, db, assert_accessible, screenshot, width
):
    recruiter = RecruiterFactory(legal_name="Fair Hire Ltd", accreditation_number="IRIS-A-000042")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/iris/verify/")
    box = page.get_by_label("Accreditation number")
    box.focus()
    page.keyboard.insert_text(recruiter.accreditation_number)  # as a paste does
    page.keyboard.press("Enter")
    page.get_by_text("IRIS-A-000042 is valid today.").wait_for()
    assert page.get_by_text("quicker than we expected").count() == 0
    assert page.get_by_text("It belongs to Fair Hire Ltd").is_visible()
    assert_accessible(page)
    screenshot(page, f"quick-verify-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_booking_form_autofilled_and_sent_at_once_is_taken(
    page, db, assert_accessible, screenshot, width
):
    session = SessionFactory(capacity=5)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/training/{session.slug}/")
    # A browser's autofill puts every answer in at once; the person presses the button at once
    # (no wait: the bot check has no minimum fill time, whatever this machine's speed).
    for name, value in {
        "name": "Ada Lovelace",
        "email": "ada@council.example",
        "organisation": "Camden Council",
        "job_title": "Social worker",
    }.items():
        page.locator(f"form [name='{name}']").fill(value)
    page.locator("form [name='sector']").select_option("social_work")
    consent = page.locator("form [name='consent_contact']")
    if consent.count():  # the form may ask for it
        consent.check()
    page.locator("form:has([name='email']) button[type='submit']").click()
    page.wait_for_url("**/booked/")
    assert page.get_by_text("quicker than we expected").count() == 0
    assert Booking.objects.filter(session=session, email="ada@council.example").exists()
    assert_accessible(page)
    screenshot(page, f"quick-booking-{width}")
