"""A caseworker's dates stay put: a plan item's due date and the earliest travel date, saved
and saved again in Chromium, as the date pickers show and send them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from iomuk import roles
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

    # She sets the flight's due date and saves it.
    row.get_by_label("Due date").fill(due.isoformat())
    row.get_by_role("button", name="Save Flight").click()
    page.get_by_text("The return plan is saved.").wait_for()

    # On reload the date is there.
    page.reload()
    assert row.get_by_label("Due date").input_value() == due.isoformat()

    # She moves the flight on; the due date stays, on the page and in the record.
    row.get_by_label("Status").select_option(label="In progress")
    row.get_by_role("button", name="Save Flight").click()
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
