"""A stage move the return plan does not support is refused with the reason on the page, and a
move that makes no sense at a stage is never offered."""

import re

import pytest
from django.urls import reverse

from returns.models import ReturnCase, ReturnPlanItem, Stage

from .factories import ReturnCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.TRAVEL_ARRANGED)
    for service, status in [
        ("travel_document", "not_needed"),
        ("flight", "to_do"),
        ("land_transport", "to_do"),
        ("shelter", "in_progress"),
    ]:
        ReturnPlanItem.objects.create(case=case, service=service, status=status)
    return case


def _move(client, case, to_stage: str):
    return client.post(
        reverse("returns:case-advance", args=[case.reference]),
        {"to_stage": to_stage, "version": case.version, "reason": "At the airport"},
    )


def _offered(client, case) -> set[str]:
    page = client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()
    return set(re.findall(r"Move to ([A-Za-z ]+)</button>", page))


def test_departed_is_refused_while_flight_and_land_transport_are_to_do(client, caseworker, case):
    client.force_login(caseworker)
    response = _move(client, case, "departed")
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "The case cannot move to “Departed” yet: in the return plan, Flight (To do, no date) and "
        "Land transport (To do, no date) are not done." in page
    )
    assert 'value="At the airport"' in page  # the reason typed is kept
    assert ReturnCase.objects.get(pk=case.pk).stage == Stage.TRAVEL_ARRANGED
    assert not case.transitions.filter(to_stage="departed").exists()


def test_departed_is_accepted_once_the_travel_is_done(client, caseworker, case):
    case.plan_items.filter(service__in=["flight", "land_transport"]).update(status="done")
    client.force_login(caseworker)
    assert _move(client, case, "departed").status_code == 302
    assert ReturnCase.objects.get(pk=case.pk).stage == Stage.DEPARTED


def test_the_case_page_says_before_the_move_what_the_plan_still_needs(client, caseworker, case):
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()
    assert "Flight (To do, no date) and Land transport (To do, no date) are not done" in page


def test_closing_is_refused_while_reintegration_support_is_under_way(client, caseworker, case):
    ReturnCase.objects.filter(pk=case.pk).update(stage=Stage.REINTEGRATION)
    case.plan_items.exclude(service="shelter").update(status="done")
    case.refresh_from_db()
    client.force_login(caseworker)
    response = _move(client, case, "closed")
    assert response.status_code == 400
    assert "Shelter (In progress, no date) is not done" in response.content.decode()


@pytest.mark.parametrize("stage", [Stage.DEPARTED, Stage.REINTEGRATION])
def test_not_eligible_is_never_offered_after_departure(client, caseworker, case, stage):
    ReturnCase.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    client.force_login(caseworker)
    offered = _offered(client, case)
    assert "Withdrawn" in offered
    assert "Not eligible" not in offered
    assert _move(client, case, "not_eligible").status_code == 400
    assert ReturnCase.objects.get(pk=case.pk).stage == stage
