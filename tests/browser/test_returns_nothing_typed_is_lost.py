"""What a caseworker types on a case page is never thrown away: the whole return plan saves at
once, and a save refused because a colleague saved first keeps her text beside their change."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from returns.models import ReturnCase, ReturnPlanItem, Stage
from tests.returns.factories import ReturnCaseFactory

PASSWORD = "a-long-test-password-for-staff"
LONG_NOTE = (
    "Seen by the GP on Monday. Needs insulin twice a day and a cool bag for the journey; "
    "the clinic in Iasi has her records and expects her in the first week after arrival. " * 5
).strip()


@pytest.fixture
def caseworker(db):
    user = User.objects.create_user(
        "caseworker", email="caseworker@iom-uk.example", password=PASSWORD, first_name="Cara"
    )
    user.groups.add(Group.objects.get(name=roles.CASEWORKERS))
    return user


@pytest.fixture
def case(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.APPROVED)
    for service in ("travel_document", "flight", "land_transport", "shelter", "medical"):
        ReturnPlanItem.objects.create(case=case, service=service)
    return case


def _row(page, service: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=service))


def test_setting_flight_then_shelter_and_saving_once_keeps_both_rows(
    page, caseworker, case, sign_in, assert_accessible
):
    due = timezone.localdate() + timedelta(days=21)
    sign_in(page, "caseworker", PASSWORD, next_path=f"/returns/cases/{case.reference}/")
    page.get_by_role("heading", name=f"Case {case.reference}").wait_for()

    flight = _row(page, "Flight")
    flight.get_by_label("Status").select_option(label="In progress")
    flight.get_by_label("Due date").fill(due.isoformat())
    flight.get_by_label("Notes").fill("Wizz Air from Luton, seat held until Friday")
    shelter = _row(page, "Shelter")
    shelter.get_by_label("Status").select_option(label="Done")
    shelter.get_by_label("Notes").fill("Place confirmed at the Iasi shelter")
    # The save button by the Shelter row (once each row had its own; now the plan has one).
    page.get_by_role("button", name=re.compile(r"^Save (Shelter|the return plan)$")).click()
    page.get_by_text("The return plan is saved.").wait_for()

    # Both rows show what she set, on the page and in the record.
    assert flight.get_by_label("Status").input_value() == "in_progress"
    assert flight.get_by_label("Due date").input_value() == due.isoformat()
    assert shelter.get_by_label("Status").input_value() == "done"
    saved = {item.service: item for item in case.plan_items.all()}
    assert (saved["flight"].status, saved["flight"].due_date) == ("in_progress", due)
    assert saved["flight"].notes == "Wizz Air from Luton, seat held until Friday"
    assert (saved["shelter"].status, saved["shelter"].notes) == (
        "done",
        "Place confirmed at the Iasi shelter",
    )
    assert_accessible(page)


def test_a_health_note_refused_because_another_tab_saved_first_stays_in_the_form(
    page, caseworker, case, sign_in, assert_accessible, screenshot
):
    path = f"/returns/cases/{case.reference}/"
    sign_in(page, "caseworker", PASSWORD, next_path=path)
    second = page.context.new_page()
    second.goto(path)

    # Tab 1 raises the risk and saves.
    page.get_by_text("Change these details").click()
    page.get_by_label("Risk of re-trafficking").select_option(label="High")
    page.get_by_role("button", name="Save the details").click()
    page.get_by_text("The case details are saved.").wait_for()

    # Tab 2, drawn before that save, writes a long health note and saves.
    second.get_by_text("Change these details").click()
    second.get_by_label("Health and medical notes").fill(LONG_NOTE)
    second.get_by_role("button", name="Save the details").click()
    second.get_by_text("Someone else changed this case").wait_for()

    assert second.get_by_label("Health and medical notes").input_value() == LONG_NOTE
    changed = second.get_by_role("region", name="What changed while you were working")
    assert "Risk of re-trafficking" in changed.inner_text()
    assert "High" in changed.inner_text()
    assert_accessible(second)
    screenshot(second, "returns-refused-save-keeps-the-note")

    # Saved again, against the new version: her note and the risk tab 1 set are both kept.
    second.get_by_role("button", name="Save the details").click()
    second.get_by_text("The case details are saved.").wait_for()
    case = ReturnCase.objects.get(pk=case.pk)
    assert (case.risk, case.health_notes) == ("high", LONG_NOTE)
