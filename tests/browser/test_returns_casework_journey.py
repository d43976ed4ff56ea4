"""A caseworker's dates stay put: a plan item's due date and the earliest travel date, saved
and saved again in Chromium, as the date pickers show and send them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from returns.models import ReturnPlanItem
from tests.returns.factories import ReturnCaseFactory

PASSWORD = "a-long-test-password-for-staff"


@pytest.fixture
def caseworker(db):
    user = User.objects.create_user(
        "caseworker", email="caseworker@iom-uk.example", password=PASSWORD, first_name="Cara"
    )
    user.groups.add(Group.objects.get(name=roles.CASEWORKERS))
    return user


def screenshots(page, screenshot, name):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_caseworker_saves_a_due_date_and_the_case_details_and_no_date_is_lost(
    page, caseworker, sign_in, assert_accessible, screenshot
):
    today = timezone.localdate()
    travel = today + timedelta(days=45)
    due = today + timedelta(days=14)
    case = ReturnCaseFactory(
        assigned_caseworker=caseworker,
        earliest_travel_date=travel,
        departure_airport="London Luton",
    )
    flight = ReturnPlanItem.objects.create(case=case, service="flight")

    sign_in(page, "caseworker", PASSWORD, next_path=f"/returns/cases/{case.reference}/")
    page.get_by_role("heading", name=f"Case {case.reference}").wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Flight"))

    # She sets the flight's due date and saves the plan.
    row.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Save the return plan").click()
    page.get_by_text("The return plan is saved.").wait_for()

    # On reload the date is there.
    page.reload()
    assert row.get_by_label("Due date").input_value() == due.isoformat()

    # She moves the flight on; the due date stays, on the page and in the record.
    row.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Save the return plan").click()
    page.get_by_text("The return plan is saved.").wait_for()
    assert row.get_by_label("Due date").input_value() == due.isoformat()
    flight.refresh_from_db()
    assert (flight.status, flight.due_date) == ("in_progress", due)
    assert_accessible(page)

    # "Change these details", then Save, with nothing changed: the travel date stays.
    page.get_by_text("Change these details").click()
    travel_box = page.get_by_label("Earliest travel date")
    assert travel_box.input_value() == travel.isoformat()
    screenshots(page, screenshot, "returns-dates-details-open")
    page.get_by_role("button", name="Save the details").click()
    page.get_by_text("The case details are saved.").wait_for()
    case.refresh_from_db()
    assert case.earliest_travel_date == travel
    assert (
        f"from {travel.day} {travel:%B %Y}"
        in page.get_by_role("region", name="Details").inner_text()
    )
    assert_accessible(page)
    screenshots(page, screenshot, "returns-dates-saved")


def account(username: str, role: str, **names) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@partner.example", password=PASSWORD, **names
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_caseworker_takes_a_case_from_the_queue_and_a_case_manager_approves_it(
    page, new_page, caseworker, sign_in, assert_accessible, screenshot
):
    account("casemanager", roles.CASE_MANAGERS)
    case = ReturnCaseFactory()

    # The intake queue offers the case; she takes it.
    sign_in(page, "caseworker", PASSWORD, next_path="/returns/cases/?caseworker=none")
    page.get_by_role("heading", name="Return cases").wait_for()
    assert_accessible(page)
    screenshots(page, screenshot, "returns-intake-queue")
    page.get_by_role("button", name=f"Take {case.reference}").click()
    page.get_by_text("You have taken this case from the intake queue.").wait_for()
    assert "caseworker: Cara" in page.locator("p.lead").inner_text()
    assert "Waiting for Cara, the caseworker, to check eligibility." in page.content()

    # After her eligibility check, the page says whose move it is.
    page.get_by_label("Why move it to “Eligibility checked”?").fill(
        "Consent and nationality checked."
    )
    page.get_by_role("button", name="Move to Eligibility checked").click()
    page.get_by_text("The case is now at: Eligibility checked.").wait_for()
    assert page.get_by_text("Waiting for a case manager's approval.").first.is_visible()
    assert_accessible(page)
    screenshots(page, screenshot, "returns-waiting-for-approval")

    # The case manager approves from the case page.
    manager = new_page()
    sign_in(manager, "casemanager", PASSWORD, next_path=f"/returns/cases/{case.reference}/")
    manager.get_by_label("Why move it to “Approved”?").fill("Funding confirmed.")
    manager.get_by_role("button", name="Move to Approved").click()
    manager.get_by_text("The case is now at: Approved.").wait_for()
    assert "Waiting for Cara, the caseworker, to arrange travel" in manager.content()
    case.refresh_from_db()
    assert (case.stage, case.assigned_caseworker) == ("approved", caseworker)


def test_a_partner_refers_from_their_own_details_and_follows_the_referral(
    page, sign_in, assert_accessible, screenshot
):
    from datetime import date

    account("referrer", roles.PARTNER_REFERRERS, first_name="Sam", last_name="Whitfield")
    sign_in(page, "referrer", PASSWORD, next_path="/returns/referrals/new/")
    page.get_by_role("heading", name="Refer someone for a voluntary return").wait_for()

    # Their name and contact are filled in; the consent wording is offered, to adjust.
    assert page.get_by_label("Referrer's name").input_value() == "Sam Whitfield"
    assert (
        page.get_by_label("Referrer's phone or email").input_value() == "referrer@partner.example"
    )
    wording = page.get_by_label("Consent wording shown to the person")
    assert wording.input_value().startswith("IOM UK can help you go home safely")
    wording.press("Control+End")
    wording.type(" Read to her by the interpreter.")
    assert_accessible(page)
    screenshots(page, screenshot, "returns-referral-prefilled")

    page.get_by_label("Organisation type").select_option(label="Charity")
    page.get_by_label("Full name").fill("Ileana Vasilescu")
    page.get_by_label("Date of birth").fill("1994-03-02")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Nationality").fill("Romanian")
    page.get_by_label("Languages spoken").fill("Romanian")
    page.get_by_label("Safe contact details").fill("Through the safe house")
    page.get_by_label("Country of return").select_option(label="Romania")
    page.get_by_role("textbox", name="Destination town").fill("Bacău")
    page.get_by_label("The person consents to return").check()
    page.get_by_label("How consent was given").select_option(label="Verbal, with an interpreter")
    page.get_by_label("Date consent was given").fill(timezone.localdate().isoformat())
    page.get_by_label("Risk of re-trafficking").select_option(label="High")
    page.get_by_role("combobox", name="Travel document").select_option(label="Valid passport")
    page.get_by_role("button", name="Submit the referral").click()
    page.get_by_role("heading", name="My referrals").wait_for()

    from returns.models import ReturnCase

    case = ReturnCase.objects.get()
    assert case.consent_wording.endswith("Read to her by the interpreter.")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("heading", name=f"Referral {case.reference}").wait_for()
    text = page.get_by_role("main").inner_text()
    assert "Referred" in text and "What happens next" in text
    assert "An IOM UK caseworker checks that the person is eligible" in text
    assert "Ileana" not in text
    assert f"{date.today().year}" in text
    assert_accessible(page)
    screenshots(page, screenshot, "returns-referral-page")
