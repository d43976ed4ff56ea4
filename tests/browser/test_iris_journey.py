"""Journey 3: a job seeker checks a recruiter, reports it anonymously and follows the report."""

import re

import pytest

from iris.models import Complaint
from tests.iris.factories import RecruiterFactory, country, sector


@pytest.fixture
def recruiters(db):
    wroclaw = RecruiterFactory(
        legal_name="Agencja Pracy Wrocław Sp. z o.o.",
        slug="agencja-pracy-wroclaw",
        hq_country=country("PL"),
        accreditation_number="IRIS-A-000123",
        sectors=[sector("agriculture")],
    )
    RecruiterFactory(legal_name="Budapest Care Partners Kft.", hq_country=country("HU"))
    return {"wroclaw": wroclaw}


def fact(page, term: str) -> str:
    """The value shown next to a term in a list of facts (a <dt> and its <dd>)."""
    return page.locator(f"dt:text-is('{term}') + dd").inner_text().strip()


def test_a_job_seeker_checks_a_recruiter_then_reports_it_anonymously_and_follows_it(
    page, recruiters, assert_accessible, screenshot
):
    # She types the town without its accent, as on a phone keyboard.
    page.goto("/iris/recruiters/")
    assert_accessible(page)
    page.get_by_label("Name or trading name").fill("Wroclaw")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 recruiter found").wait_for()
    assert page.get_by_role("link", name="Budapest Care Partners Kft.").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Agencja Pracy Wrocław Sp. z o.o.").click()

    # The recruiter's page shows its accreditation and number.
    page.get_by_role("heading", name="Agencja Pracy Wrocław Sp. z o.o.").wait_for()
    assert page.get_by_text("This recruiter's IRIS accreditation is valid until").is_visible()
    number = fact(page, "Accreditation number")
    assert number == "IRIS-A-000123"
    assert_accessible(page)

    # She checks the number she was given against the register.
    page.goto("/iris/verify/")
    page.get_by_label("Accreditation number").fill(number)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("IRIS-A-000123 is valid today.").wait_for()
    assert page.get_by_text("It belongs to Agencja Pracy Wrocław Sp. z o.o.").is_visible()
    assert_accessible(page)

    # The recruiter still took a fee and her passport: she reports it, anonymously.
    page.get_by_role("link", name="See the recruiter's page").click()
    page.get_by_role("link", name="Report this recruiter").click()
    page.get_by_role("heading", name="Report a recruiter").wait_for()
    assert page.get_by_label("A recruiter on our list").is_checked()
    assert (
        page.get_by_label(
            "The recruiter's name, accreditation number or the address of its page on our list"
        ).input_value()
        == "Agencja Pracy Wrocław Sp. z o.o."
    )
    assert_accessible(page)
    page.get_by_label("Fees charged to the worker").check()
    page.get_by_label("Passport or documents kept").check()
    page.get_by_label("When did it happen?").fill("Spring 2026")
    page.get_by_label("Tell us what happened").fill(
        "They charged me 800 euros for the job and kept my passport at the farm."
    )
    page.get_by_label("I want to stay anonymous").check()
    page.get_by_role("button", name="Send report").click()

    # She is shown a reference and a tracking code, once.
    page.get_by_role("heading", name="Report received").wait_for()
    reference, code = fact(page, "Reference"), fact(page, "Tracking code")
    assert re.fullmatch(r"IRIS-C-[A-Z0-9]+", reference)
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.recruiter == recruiters["wroclaw"]
    assert complaint.anonymous and complaint.name == complaint.email == ""
    assert_accessible(page)

    # She follows it: a wrong code tells her nothing, the right one shows the stage.
    page.get_by_role("link", name="Follow a report").click()
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Tracking code").fill("WRONG-CODE")
    page.get_by_role("button", name="Show progress").click()
    summary = page.get_by_role("alert", name="There is a problem")
    summary.get_by_text(
        "We could not find a report with that reference and tracking code."
    ).wait_for()
    assert_accessible(page)
    page.get_by_label("Tracking code").fill(code)
    page.get_by_role("button", name="Show progress").click()
    page.get_by_role("heading", name="Your report").wait_for()
    assert fact(page, "Reference") == reference
    assert fact(page, "Stage") == "Received"
    assert page.get_by_text("No messages yet.").is_visible()
    assert_accessible(page)
    screenshot(page, "journey-3-complaint-tracked")
