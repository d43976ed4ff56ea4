from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from iris.complaints.services import ComplaintError, complaint_advance, complaint_refer
from iris.models import Complaint

from ..factories import ComplaintFactory, country


def test_each_move_records_who_and_when_and_tells_the_complainant_without_details(
    db, officer, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(preferred_language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    transition = complaint.transitions.get()
    assert (transition.from_stage, transition.to_stage, transition.by) == (
        "received",
        "under_review",
        officer,
    )
    assert transition.at is not None
    sent = mail.outbox[-1]
    assert sent.to == ["maria@example.org"]
    assert "passport" not in sent.body and "Maria" not in sent.body
    assert complaint.reference not in sent.subject


def test_the_complainant_is_written_to_in_their_language(db, officer, monkeypatch):
    calls = []
    monkeypatch.setattr("iris.complaints.news.outbox_enqueue", lambda **kw: calls.append(kw))
    complaint = ComplaintFactory(preferred_language="ro")
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    assert [(c["to"], c["template"], c["language"]) for c in calls] == [
        ("maria@example.org", "iris-complaint-update", "ro")
    ]


def test_an_anonymous_complainant_is_never_emailed(db, officer, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(anonymous=True, name="", email="")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    assert mail.outbox == []


def test_a_referral_records_the_authority_country_date_and_their_reference(db, officer):
    complaint = ComplaintFactory(stage="under_review")
    referral = complaint_refer(
        complaint=complaint,
        authority="Gangmasters and Labour Abuse Authority",
        country=country("GB"),
        referred_on=timezone.localdate(),
        their_reference="GLAA-1234",
        by=officer,
    )
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.REFERRED
    assert referral.their_reference == "GLAA-1234"
    assert complaint.transitions.filter(to_stage="referred", by=officer).exists()


def test_no_referral_without_the_complainants_consent(db, officer):
    complaint = ComplaintFactory(stage="under_review", consent_to_referral=False)
    with pytest.raises(ComplaintError, match="consent"):
        complaint_refer(
            complaint=complaint,
            authority="Police",
            country=country("RO"),
            referred_on=timezone.localdate(),
            by=officer,
        )
    assert not complaint.referrals.exists()


def test_a_referral_cannot_be_dated_in_the_future(db, officer):
    complaint = ComplaintFactory(stage="under_review")
    with pytest.raises(ComplaintError):
        complaint_refer(
            complaint=complaint,
            authority="Police",
            country=country("RO"),
            referred_on=timezone.localdate() + timedelta(days=3),
            by=officer,
        )


@pytest.mark.parametrize(
    "stage, to_stage",
    [
        ("received", "resolved"),
        ("received", "referred"),
        ("closed", "under_review"),
        ("withdrawn", "received"),
        ("resolved", "closed"),
    ],
)
def test_it_refuses_moves_the_workflow_does_not_allow(db, officer, stage, to_stage):
    complaint = ComplaintFactory(stage=stage)
    with pytest.raises(ComplaintError):
        complaint_advance(complaint=complaint, to_stage=to_stage, by=officer)
    complaint.refresh_from_db()
    assert complaint.stage == stage
    assert not complaint.transitions.exists()


def test_the_whole_path_to_resolved(db, officer):
    complaint = ComplaintFactory()
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    complaint_refer(
        complaint=complaint,
        authority="Labour inspectorate",
        country=country("RO"),
        referred_on=timezone.localdate(),
        by=officer,
    )
    complaint_advance(complaint=complaint, to_stage="resolved", by=officer)
    assert list(complaint.transitions.values_list("to_stage", flat=True)) == [
        "under_review",
        "referred",
        "resolved",
    ]
