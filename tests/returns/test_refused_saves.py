"""A save refused because someone else saved the case first keeps what the person typed, shows
what the other person changed, and saves on the second try without undoing their change."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from returns.models import ReturnCase, ReturnPlanItem, Stage
from tests.iomuk.test_model_forms_round_trip import form_as_sent

from .factories import ReturnCaseFactory

pytestmark = pytest.mark.django_db

LONG_NOTE = (
    "Seen by the GP on Monday. Needs insulin twice a day and a cool bag for the journey; "
    "the clinic in Iași has her records and expects her in the first week. " * 4
).strip()


@pytest.fixture
def case(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.APPROVED)
    for service in ("flight", "land_transport", "shelter"):
        ReturnPlanItem.objects.create(case=case, service=service)
    return case


def _page(client, case) -> str:
    return client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()


def _value(page: str, name: str) -> str:
    """What the field `name` shows (a textarea's text or an input's value)."""
    textarea = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    if textarea:
        return html.unescape(textarea.group(1)).strip()
    found = re.search(rf'<input[^>]* name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def _selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_a_refused_details_save_keeps_the_note_typed_and_shows_the_other_change(
    client, caseworker, casemanager, case
):
    details = reverse("returns:case-update", args=[case.reference])
    client.force_login(caseworker)
    mine = form_as_sent(_page(client, case), details)
    # Meanwhile the case manager raises the risk from their own copy of the page.
    client.force_login(casemanager)
    theirs = form_as_sent(_page(client, case), details)
    theirs["details-risk"] = ["high"]
    assert client.post(details, theirs).status_code == 302

    client.force_login(caseworker)
    mine["details-health_notes"] = [LONG_NOTE]
    refused = client.post(details, mine)

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Someone else changed this case" in page
    assert _value(page, "details-health_notes") == LONG_NOTE
    changed = page[page.index("What changed while you were working") :]
    assert "Risk of re-trafficking" in changed and "High" in changed
    # She did not touch the risk: the form now shows theirs, so a second save keeps it.
    assert _selected(page, "details-risk") == "high"
    again = form_as_sent(page, details)
    assert client.post(details, again).status_code == 302
    case.refresh_from_db()
    assert (case.risk, case.health_notes) == ("high", LONG_NOTE)


def test_a_refused_save_shows_both_values_of_a_field_both_people_changed(client, caseworker, case):
    details = reverse("returns:case-update", args=[case.reference])
    client.force_login(caseworker)
    mine = form_as_sent(_page(client, case), details)
    ReturnCase.objects.filter(pk=case.pk).update(version=2, health_notes="Their short note")
    mine["details-health_notes"] = [LONG_NOTE]

    page = client.post(details, mine).content.decode()

    changed = page[page.index("What changed while you were working") :]
    assert "Their short note" in changed
    assert LONG_NOTE[:60] in changed
    assert _value(page, "details-health_notes") == LONG_NOTE
    assert _value(page, "details-version") == "2"


def test_a_refused_plan_save_keeps_the_rows_typed_and_shows_the_other_change(
    client, caseworker, case
):
    plan = reverse("returns:plan-update", args=[case.reference])
    due = timezone.localdate() + timedelta(days=20)
    client.force_login(caseworker)
    mine = form_as_sent(_page(client, case), plan)
    # A colleague books the land transport in the meantime.
    land = case.plan_items.get(service="land_transport")
    land.status, land.notes = "done", "Coach to Iași booked"
    land.save()
    ReturnCase.objects.filter(pk=case.pk).update(version=2)
    mine["plan-0-status"] = ["in_progress"]
    mine["plan-0-due_date"] = [due.isoformat()]
    mine["plan-0-notes"] = ["Quote from the travel agent"]
    mine["plan-2-status"] = ["done"]

    refused = client.post(plan, mine)

    page = refused.content.decode()
    assert refused.status_code == 409
    assert (_selected(page, "plan-0-status"), _value(page, "plan-0-due_date")) == (
        "in_progress",
        due.isoformat(),
    )
    assert _value(page, "plan-0-notes") == "Quote from the travel agent"
    assert _selected(page, "plan-2-status") == "done"
    changed = page[page.index("What changed while you were working") :]
    assert "Land transport: Status" in changed and "Coach to Iași booked" in changed
    assert _selected(page, "plan-1-status") == "done"  # theirs, which she left alone
    assert ReturnPlanItem.objects.get(case=case, service="flight").status == "to_do"

    assert client.post(plan, form_as_sent(page, plan)).status_code == 302
    saved = {i.service: (i.status, i.notes) for i in case.plan_items.all()}
    assert saved == {
        "flight": ("in_progress", "Quote from the travel agent"),
        "land_transport": ("done", "Coach to Iași booked"),
        "shelter": ("done", ""),
    }


def test_a_refused_stage_move_keeps_the_reason_typed(client, caseworker, case):
    advance = reverse("returns:case-advance", args=[case.reference])
    ReturnCase.objects.filter(pk=case.pk).update(version=3)
    response = client.force_login(caseworker) or client.post(
        advance,
        {"to_stage": "withdrawn", "version": 1, "reason": "She asked to stay with her sister."},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert 'value="She asked to stay with her sister."' in page


def test_a_refused_note_keeps_its_text(client, caseworker, case):
    client.force_login(caseworker)
    text = "Called the shelter. " * 260  # over the 5,000 characters a note may hold
    response = client.post(reverse("returns:note-add", args=[case.reference]), {"text": text})
    assert response.status_code == 200
    assert _value(response.content.decode(), "text") == text.strip()


def test_a_move_no_longer_offered_still_shows_the_reason_typed(client, caseworker, case):
    advance = reverse("returns:case-advance", args=[case.reference])
    # Meanwhile a colleague withdrew the case: no move is left to make.
    ReturnCase.objects.filter(pk=case.pk).update(version=2, stage=Stage.WITHDRAWN)
    client.force_login(caseworker)
    response = client.post(
        advance,
        {"to_stage": "travel_arranged", "version": 1, "reason": "Flight booked for the 12th."},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Your move to “Travel arranged” was not saved" in page
    assert "Flight booked for the 12th." in page
