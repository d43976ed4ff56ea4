"""The booking and complaint forms with a keyboard alone: order, visible focus, errors, sending."""

import re

import pytest
from playwright.sync_api import expect

from iris.models import Complaint
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import Booking

# What a sighted keyboard user needs to know about the focused element.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  let label = "";
  if (el.labels && el.labels.length) label = el.labels[0].innerText;
  else label = el.getAttribute("aria-label") || el.innerText || "";
  return {
    label: label.replace(/\\s+/g, " ").replace(/\\*$/, "").trim(),
    tag: el.tagName.toLowerCase(),
    inForm: !!el.closest("main form:not([role=search])"),
    top: Math.round(box.top + window.scrollY),
    left: Math.round(box.left + window.scrollX),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""

BOOKING_FIELDS = [
    "Full name",
    "Work email",
    "Organisation",
    "Sector",
    "Job title",
    "Access or other requirements (optional)",
    "Book my seat",
]

COMPLAINT_FIELDS = [
    "Someone is in danger now",
    "A recruiter on our list",  # a radio group is one stop: its chosen option
    "The recruiter's name, accreditation number or the address of its page on our list",
    "The recruiter's name",
    "The recruiter's country (optional)",
    "Any contact details you know for the recruiter (address, phone, website) (optional)",
    "Fees charged to the worker",
    "Deception about the job or pay",
    "Passport or documents kept",
    "Debt",
    "Contract changed",
    "Threats or violence",
    "Other",
    "When did it happen? Roughly is fine (optional)",
    "Country where you were recruited (optional)",
    "Country where the job was (optional)",
    "Tell us what happened",
    "Evidence (optional): PDF, JPEG or PNG files, up to 5",
    "I want to stay anonymous: do not keep my name or contact details",
    "Your name (optional)",
    "Your email",
    "Email me the tracking code too",
    "Your phone number",
    "Safe ways and times to contact you (optional)",
    "Language for our messages",
    "IOM may pass my report to an authority that can act on it (such as a labour inspectorate "
    "or the police)",
    "Send report",
]


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab(page, *, back: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    return focused(page)


def tab_to(page, label: str, limit: int = 80) -> dict:
    """Press Tab until the control called `label` has the focus."""
    for _ in range(limit):
        now = tab(page)
        if now["label"] == label:
            return now
    raise AssertionError(f"Tab never reached {label!r}")


def form_tab_order(page) -> list[dict]:
    """Skip to the main content, then Tab through the form to its submit button."""
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Skip to main content"
    page.keyboard.press("Enter")
    stops = []
    for _ in range(120):
        now = tab(page)
        if now["inForm"]:
            stops.append(now)
            if now["tag"] == "button":
                return stops
    raise AssertionError(f"Tab never reached the form's button; stopped at {stops}")


def assert_follows_the_page(stops: list[dict]) -> None:
    """Each stop is below the one before, or beside it on the same line."""
    for before, after in zip(stops, stops[1:], strict=False):
        assert (after["top"], after["left"]) > (before["top"], before["left"]), (before, after)


def assert_focus_is_visible(stops: list[dict]) -> None:
    hidden = [stop["label"] for stop in stops if not (stop["outline"] or stop["shadow"])]
    assert hidden == [], f"no visible focus on {hidden}"


def submit_with_enter(page) -> None:
    assert focused(page)["tag"] == "button"
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def session(db):
    return SessionFactory(course__title="Recognising trafficking in housing work", capacity=5)


def test_the_booking_form_by_keyboard_alone(page, session, assert_accessible, screenshot):
    page.goto(f"/training/{session.slug}/")

    # Tab goes through the fields in the order they are shown, each visibly focused.
    stops = form_tab_order(page)
    assert [stop["label"] for stop in stops] == BOOKING_FIELDS
    assert_follows_the_page(stops)
    assert_focus_is_visible(stops)

    # Sending it empty: the error summary takes the focus, and its links lead to the fields.
    submit_with_enter(page)
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_focused()
    assert focused(page)["outline"]
    assert summary.get_by_role("link").count() == 5  # five required fields
    assert_accessible(page)
    link = tab(page)
    assert link["label"] == "Enter your full name." and link["outline"]
    page.keyboard.press("Enter")
    expect(page.get_by_label("Full name")).to_be_focused()

    # Then completed and sent with the keyboard.
    page.keyboard.type("Priya Shah")
    tab(page)
    page.keyboard.type("priya.shah@camden.example")
    tab(page)
    page.keyboard.type("Camden Council")
    assert tab(page)["label"] == "Sector"
    page.keyboard.type("Social")  # typing picks the option, as in any select
    tab(page)
    page.keyboard.type("Senior social worker")
    tab_to(page, "Book my seat")
    submit_with_enter(page)
    page.get_by_role("heading", name="Check your email").wait_for()
    booking = Booking.objects.get()
    assert (booking.name, booking.sector) == ("Priya Shah", "social_work")
    screenshot(page, "keyboard-booking-confirmed")


def test_the_complaint_form_by_keyboard_alone(page, assert_accessible, screenshot):
    RecruiterFactory(legal_name="Harvest Link Recruitment", accreditation_number="IRIS-A-000777")
    page.goto("/iris/complaints/new/")

    stops = form_tab_order(page)
    assert [stop["label"] for stop in stops] == COMPLAINT_FIELDS
    assert_follows_the_page(stops)
    assert_focus_is_visible(stops)

    submit_with_enter(page)
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_focused()
    assert "Tell us what happened." in summary.inner_text()
    assert_accessible(page)

    # From the summary, on through the form: only the keyboard.
    tab_to(page, COMPLAINT_FIELDS[2])
    page.keyboard.type("IRIS-A-000777")
    tab_to(page, "Fees charged to the worker")
    page.keyboard.press("Space")
    tab_to(page, "Tell us what happened")
    page.keyboard.type("They took 500 euros for the visa and the job did not exist.")
    tab_to(page, COMPLAINT_FIELDS[18])
    page.keyboard.press("Space")
    tab_to(page, "Send report")
    submit_with_enter(page)
    page.get_by_role("heading", name="Report received").wait_for()
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert complaint.recruiter.legal_name == "Harvest Link Recruitment"
    assert re.search(complaint.reference, page.get_by_role("main").inner_text())
    screenshot(page, "keyboard-complaint-received")
