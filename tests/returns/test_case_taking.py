"""A case says what it waits for and from whom; a caseworker takes a case from the intake
queue; a case manager approves from the case page."""

import html
import re

import pytest
from django.urls import reverse

from iomuk.models import AccessLog
from returns.models import CaseTransition, ReturnCase, Stage
from tests.iomuk.test_model_forms_round_trip import form_as_sent

from .factories import ReturnCaseFactory


def next_step(page) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", page.content.decode()))
    match = re.search(r"What happens next:\s*(.+)", text)
    assert match, "the case page does not say what happens next"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.REFERRED, "Waiting for Cara Jones, the caseworker, to check eligibility."),
        (Stage.ELIGIBILITY_CHECKED, "Waiting for a case manager's approval."),
        (Stage.APPROVED, "Waiting for Cara Jones, the caseworker, to arrange travel"),
        (Stage.TRAVEL_ARRANGED, "Waiting for the departure, which Cara Jones, the caseworker,"),
        (Stage.DEPARTED, "Waiting for Cara Jones, the caseworker, to record that reintegration"),
        (Stage.REINTEGRATION, "Waiting for reintegration support to finish; then Cara Jones"),
        (Stage.CLOSED, "Nothing: the case is closed."),
        (Stage.WITHDRAWN, "Nothing: the case was withdrawn."),
        (Stage.NOT_ELIGIBLE, "Nothing: the person is not eligible"),
    ],
)
def test_the_case_page_says_what_the_case_waits_for_and_from_whom(
    client, caseworker, stage, expected
):
    caseworker.first_name, caseworker.last_name = "Cara", "Jones"
    caseworker.save()
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=stage)
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    assert next_step(page).startswith(expected)


def test_a_case_in_the_intake_queue_waits_for_a_caseworker_to_take_it(client, caseworker):
    case = ReturnCaseFactory()
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    assert next_step(page).startswith(
        "Waiting for a caseworker to take the case from the intake queue."
    )


def test_a_caseworker_takes_a_case_from_the_intake_queue(client, caseworker):
    case = ReturnCaseFactory()
    client.force_login(caseworker)
    queue = client.get(reverse("returns:case-list"), {"caseworker": "none"})
    take = reverse("returns:case-take", args=[case.reference])
    data = form_as_sent(queue.content.decode(), take)

    page = client.post(take, data, follow=True)

    assert page.redirect_chain[-1][0] == reverse("returns:case-detail", args=[case.reference])
    assert "You have taken this case from the intake queue." in page.content.decode()
    assert "caseworker: cw" in page.content.decode()
    assert next_step(page).startswith("Waiting for cw, the caseworker, to check eligibility.")
    case.refresh_from_db()
    assert case.assigned_caseworker == caseworker
    assert case.version == 2
    assert AccessLog.objects.filter(
        object_ref=case.reference, action="assign", detail="taken by cw"
    ).exists()
    assert case.history.first().history_user == caseworker


def test_the_take_button_is_on_the_case_page_too(client, caseworker):
    case = ReturnCaseFactory()
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    take = reverse("returns:case-take", args=[case.reference])
    assert client.post(take, form_as_sent(page.content.decode(), take)).status_code == 302
    case.refresh_from_db()
    assert case.assigned_caseworker == caseworker


def test_of_two_caseworkers_taking_one_case_the_second_is_told_it_has_gone(
    client, caseworker, other_caseworker
):
    case = ReturnCaseFactory()
    take = reverse("returns:case-take", args=[case.reference])
    client.force_login(other_caseworker)
    assert client.post(take).status_code == 302

    client.force_login(caseworker)
    page = client.post(take, follow=True)

    assert "This case is no longer in the intake queue." in page.content.decode()
    assert page.redirect_chain[-1][0] == reverse("returns:case-list") + "?caseworker=none"
    case.refresh_from_db()
    assert case.assigned_caseworker == other_caseworker


def test_a_case_already_assigned_cannot_be_taken(client, casemanager, other_caseworker):
    case = ReturnCaseFactory(assigned_caseworker=other_caseworker)
    client.force_login(casemanager)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    assert "Take this case" not in page.content.decode()
    client.post(reverse("returns:case-take", args=[case.reference]))
    case.refresh_from_db()
    assert case.assigned_caseworker == other_caseworker


def test_a_finished_case_cannot_be_taken(client, caseworker):
    case = ReturnCaseFactory(stage=Stage.WITHDRAWN)
    client.force_login(caseworker)
    client.post(reverse("returns:case-take", args=[case.reference]))
    case.refresh_from_db()
    assert case.assigned_caseworker is None


def test_a_partner_referrer_cannot_take_a_case(client, referrer):
    case = ReturnCaseFactory(referred_by=referrer)
    client.force_login(referrer)
    assert client.post(reverse("returns:case-take", args=[case.reference])).status_code == 403
    case.refresh_from_db()
    assert case.assigned_caseworker is None


def test_after_eligibility_a_caseworker_is_told_a_case_manager_approves_next(client, caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.ELIGIBILITY_CHECKED)
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    assert "Move to Approved" not in page.content.decode()
    assert next_step(page).startswith("Waiting for a case manager's approval.")


def test_a_case_manager_approves_from_the_case_page(client, casemanager, caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.ELIGIBILITY_CHECKED)
    client.force_login(casemanager)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    content = page.content.decode()
    assert "Move to Approved" in content
    advance = reverse("returns:case-advance", args=[case.reference])
    # The page has one form per move; the approval is the first.
    data = form_as_sent(content, advance)
    assert data["to_stage"] == [Stage.APPROVED]
    data["reason"] = ["Funding confirmed."]

    page = client.post(advance, data, follow=True)

    assert "The case is now at: Approved." in page.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.APPROVED
    assert CaseTransition.objects.filter(case=case, to_stage=Stage.APPROVED, by=casemanager)
    assert next_step(page).startswith("Waiting for cw, the caseworker, to arrange travel")
    assert ReturnCase.objects.get(pk=case.pk).version == 2
