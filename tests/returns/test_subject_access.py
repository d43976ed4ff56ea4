"""A subject access request for a case's person: a case manager downloads everything the
returns app holds about them (JSON, on the access log), and can erase it once the case is
finished, through the retention anonymiser."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog
from returns import services
from returns.models import SurveyAnswer, SurveyIndicator

from .conftest import PDF_BYTES
from .factories import CaseNoteFactory, CaseTransitionFactory, ReturnCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(casemanager):
    case = ReturnCaseFactory(
        stage="closed", full_name="Elena Subjectperson", languages="Romani, Italian"
    )
    CaseNoteFactory(case=case, text="She wants to study nursing")
    CaseTransitionFactory(case=case, to_stage="closed", reason="Settled with her aunt")
    case.consents.create(
        purpose="follow_up",
        partner="Partner organisation",
        wording="You may call me after I go home",
        given_on=timezone.localdate(),
        recorded_by=casemanager,
    )
    follow_up = case.follow_ups.create(months=3, due_on=timezone.localdate())
    indicator = SurveyIndicator.objects.get(code="psychosocial-safety")
    follow_up.answers.create(indicator=indicator, answer="4")
    services.case_document_add(
        case=case,
        by=casemanager,
        kind="identity",
        upload=SimpleUploadedFile("Elena_passport.pdf", PDF_BYTES),
    )
    return case


def _export(client, case) -> dict:
    response = client.get(reverse("returns:subject-access-export", args=[case.reference]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_export_holds_every_personal_field_and_is_on_the_access_log(client, case, casemanager):
    client.force_login(casemanager)
    export = _export(client, case)
    for name in services.CASE_PERSONAL_DATA:
        if name == "name_index":
            continue
        assert export["case"][name] == getattr(case, name), name
    assert export["case"]["date_of_birth"] == "1990-05-17"
    assert export["notes"][0]["text"] == "She wants to study nursing"
    assert "Settled with her aunt" in [move["reason"] for move in export["timeline"]]
    assert export["consents"][0]["wording"] == "You may call me after I go home"
    assert export["documents"][0]["original_name"] == "Elena_passport.pdf"
    [answer] = export["follow_ups"][0]["answers"]
    assert answer["answer"] == "Strongly agree"
    assert ("export", "subject access request (JSON)") in AccessLog.objects.filter(
        object_ref=case.reference
    ).values_list("action", "detail")


def test_a_caseworker_cannot_export_or_erase(client, case, caseworker):
    case.assigned_caseworker = caseworker
    case.save()
    client.force_login(caseworker)
    assert (
        client.get(reverse("returns:subject-access-export", args=[case.reference])).status_code
        == 403
    )
    assert client.post(reverse("returns:case-erase", args=[case.reference])).status_code == 403


def test_erasure_leaves_none_of_the_persons_data(
    client, case, casemanager, django_capture_on_commit_callbacks
):
    client.force_login(casemanager)
    before = _export(client, case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("returns:case-erase", args=[case.reference]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.anonymised_at is not None
    after = json.dumps(_export(client, case), ensure_ascii=False)
    personal = [
        before["case"][name] for name in services.CASE_PERSONAL_DATA if name != "name_index"
    ]
    for value in [*personal, "nursing", "her aunt", "call me", "Elena_passport", "Strongly"]:
        if value:
            assert value not in after, value
    assert not SurveyAnswer.objects.filter(follow_up__case=case).exists()
    assert AccessLog.objects.filter(
        object_ref=case.reference, action="anonymise", detail__contains="request"
    ).exists()


def test_an_open_case_cannot_be_erased(client, casemanager):
    case = ReturnCaseFactory(stage="departed")
    client.force_login(casemanager)
    response = client.post(reverse("returns:case-erase", args=[case.reference]))
    assert response.status_code == 400
    assert "Close or withdraw the case before erasing" in response.content.decode()
    case.refresh_from_db()
    assert case.anonymised_at is None
