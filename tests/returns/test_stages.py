import pytest
from django.core import mail

from iomuk.models import AccessLog, OutboxMessage
from returns.models import CaseTransition, ReturnCase, Stage
from returns.services import ALLOWED, CaseConflict, CaseError, case_advance, moves_allowed

from .factories import ReturnCaseFactory


@pytest.fixture
def case(caseworker, referrer):
    return ReturnCaseFactory(assigned_caseworker=caseworker, referred_by=referrer)


def test_every_open_stage_can_end_in_withdrawn_and_before_departure_in_not_eligible():
    for stage, moves in ALLOWED.items():
        if stage in (Stage.CLOSED, Stage.WITHDRAWN, Stage.NOT_ELIGIBLE):
            assert moves == []
        elif stage in (Stage.DEPARTED, Stage.REINTEGRATION):
            assert Stage.WITHDRAWN in moves and Stage.NOT_ELIGIBLE not in moves
        else:
            assert Stage.WITHDRAWN in moves and Stage.NOT_ELIGIBLE in moves


def test_a_case_walks_the_whole_way_and_each_move_is_recorded(case, casemanager):
    path = [
        "eligibility_checked",
        "approved",
        "travel_arranged",
        "departed",
        "reintegration_support",
        "closed",
    ]
    for number, stage in enumerate(path, start=1):
        case_advance(
            case=case,
            to_stage=stage,
            by=casemanager,
            reason=f"step {number}",
            expected_version=number,
        )
    case.refresh_from_db()
    assert case.stage == "closed" and case.version == len(path) + 1
    moves = list(CaseTransition.objects.filter(case=case).values_list("to_stage", "reason", "by"))
    assert moves == [(s, f"step {n}", casemanager.pk) for n, s in enumerate(path, start=1)]


def test_a_move_the_stage_does_not_allow_is_refused(case, casemanager):
    with pytest.raises(CaseError, match="cannot move from this stage"):
        case_advance(case=case, to_stage="departed", by=casemanager, reason="x", expected_version=1)
    assert ReturnCase.objects.get(pk=case.pk).stage == "referred"
    assert not CaseTransition.objects.filter(case=case).exists()


def test_a_closed_case_offers_no_moves(case, casemanager):
    ReturnCase.objects.filter(pk=case.pk).update(stage="withdrawn")
    case.refresh_from_db()
    assert moves_allowed(case=case, user=casemanager) == []


def test_the_second_of_two_people_moving_a_case_is_told_and_nothing_is_overwritten(
    case, caseworker, casemanager
):
    first = ReturnCase.objects.get(pk=case.pk)
    second = ReturnCase.objects.get(pk=case.pk)
    case_advance(
        case=first, to_stage="eligibility_checked", by=caseworker, reason="ok", expected_version=1
    )
    with pytest.raises(CaseConflict):
        case_advance(
            case=second, to_stage="withdrawn", by=casemanager, reason="no", expected_version=1
        )
    case.refresh_from_db()
    assert case.stage == "eligibility_checked" and case.version == 2
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_a_stale_page_gets_a_conflict_message_through_the_browser(client, case, caseworker):
    client.force_login(caseworker)
    url = f"/returns/cases/{case.reference}/advance/"
    ok = client.post(url, {"to_stage": "eligibility_checked", "version": 1, "reason": "Checked"})
    stale = client.post(url, {"to_stage": "withdrawn", "version": 1, "reason": "Changed mind"})
    assert ok.status_code == 302
    assert stale.status_code == 409
    assert "Someone else changed this case" in stale.content.decode()
    case.refresh_from_db()
    assert case.stage == "eligibility_checked"


def test_a_move_offered_only_as_allowed_buttons(client, case, caseworker):
    client.force_login(caseworker)
    html = client.get(f"/returns/cases/{case.reference}/").content.decode()
    assert "Move to Eligibility checked" in html
    assert "Move to Withdrawn" in html
    assert "Move to Departed" not in html
    assert f'name="version" value="{case.version}"' in html


def test_a_move_forged_past_the_buttons_gets_a_plain_message(client, case, caseworker):
    client.force_login(caseworker)
    response = client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "departed", "version": 1, "reason": "Skipping ahead"},
    )
    assert response.status_code == 400
    assert "cannot move from this stage" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"to_stage": "eligibility_checked", "version": 1, "reason": ""},
        {"to_stage": "eligibility_checked", "version": "x", "reason": "ok"},
        {"to_stage": "mars", "version": 1, "reason": "ok"},
        {},
    ],
)
def test_a_broken_move_form_gets_a_message_not_a_500(client, case, caseworker, data):
    client.force_login(caseworker)
    response = client.post(f"/returns/cases/{case.reference}/advance/", data)
    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).stage == "referred"


def test_a_move_emails_the_caseworker_and_the_referrer_without_personal_data(
    client, case, casemanager, caseworker, referrer, django_capture_on_commit_callbacks
):
    client.force_login(casemanager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/returns/cases/{case.reference}/advance/",
            {"to_stage": "eligibility_checked", "version": 1, "reason": "Confirmed nationality"},
        )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {caseworker.email, referrer.email}
    to_caseworker = by_recipient[caseworker.email]
    assert case.reference in to_caseworker.subject and case.reference in to_caseworker.body
    assert "Eligibility checked" in to_caseworker.body
    to_referrer = by_recipient[referrer.email]
    assert "Eligibility checked" in to_referrer.body
    assert case.reference not in to_referrer.body + to_referrer.subject
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (case.full_name, "Maria", "Confirmed nationality", "Secret"):
            assert secret not in text


def test_nobody_is_emailed_when_the_move_fails(client, case, casemanager):
    client.force_login(casemanager)
    client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "departed", "version": 1, "reason": "x"},
    )
    assert not OutboxMessage.objects.exists()


def test_a_move_is_written_to_the_access_log(client, case, caseworker):
    client.force_login(caseworker)
    client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "eligibility_checked", "version": 1, "reason": "ok"},
    )
    entry = AccessLog.objects.get(object_ref=case.reference, action="stage")
    assert entry.user == caseworker
    assert entry.detail == "referred -> eligibility_checked"
    assert entry.ip == "127.0.0.1"


def test_a_case_manager_assigns_and_the_caseworker_is_told(
    client, casemanager, other_caseworker, django_capture_on_commit_callbacks
):
    case = ReturnCaseFactory()
    client.force_login(casemanager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/returns/cases/{case.reference}/assign/",
            {"caseworker": other_caseworker.pk, "version": 1},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_caseworker == other_caseworker
    assert [m.to for m in mail.outbox] == [[other_caseworker.email]]
    assert AccessLog.objects.filter(object_ref=case.reference, action="assign").exists()


def test_assigning_to_someone_outside_the_case_roles_is_refused(client, casemanager, coordinator):
    case = ReturnCaseFactory()
    client.force_login(casemanager)
    response = client.post(
        f"/returns/cases/{case.reference}/assign/", {"caseworker": coordinator.pk, "version": 1}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).assigned_caseworker is None


def test_a_stale_assignment_is_refused(client, casemanager, caseworker):
    case = ReturnCaseFactory(version=3)
    client.force_login(casemanager)
    response = client.post(
        f"/returns/cases/{case.reference}/assign/", {"caseworker": caseworker.pk, "version": 2}
    )
    assert response.status_code == 409
    assert ReturnCase.objects.get(pk=case.pk).assigned_caseworker is None


def test_a_move_without_a_reason_points_at_the_empty_box(client, case, caseworker):
    client.force_login(caseworker)
    response = client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "withdrawn", "version": 1, "reason": " "},
    )
    html = response.content.decode()
    assert 'href="#id_reason"' in html and 'id="id_reason"' in html
    assert html.count('id="id_reason"') == 1
    assert "Say why the case is moving." in html
