"""Finished complaints are anonymised after IRIS_RETENTION_DAYS and their evidence deleted;
decided applications lose their contact's details."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from iomuk.models import AccessLog
from iris.complaints.retention import complaints_anonymise_expired
from iris.complaints.services import complaint_advance, complaint_message_add, complaint_submit
from iris.models import Application, Complaint, ComplaintEvidence, ComplaintTransition
from iris.recruiters.services import (
    application_accept,
    application_reject,
    applications_anonymise_expired,
)

from .factories import ApplicationFactory, RecruiterFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def _finished(officer, days_ago: int, stage: str = "resolved") -> Complaint:
    complaint, _code = complaint_submit(
        recruiter=RecruiterFactory(),
        categories=[],
        description="They kept my passport.",
        name="Maria Ionescu",
        email="maria@example.org",
        phone="+40 700 000 000",
        evidence=(SimpleUploadedFile("my passport.pdf", PDF),),
    )
    complaint_message_add(
        complaint=complaint,
        body="Maria, we spoke to them.",
        shared_with_complainant=True,
        by=officer,
    )
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    complaint_advance(complaint=complaint, to_stage=stage, by=officer)
    ComplaintTransition.objects.filter(complaint=complaint).update(
        at=timezone.now() - timedelta(days=days_ago)
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        updated_at=timezone.now() - timedelta(days=days_ago)
    )
    return complaint


def test_a_resolved_complaint_past_retention_is_anonymised_and_evidence_deleted(
    settings, officer, django_capture_on_commit_callbacks
):
    settings.IRIS_RETENTION_DAYS = 60
    old = _finished(officer, days_ago=61)
    evidence = ComplaintEvidence.objects.get(complaint=old)
    storage, name = evidence.file.storage, evidence.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_anonymise_expired() == [old.reference]

    complaint = Complaint.objects.get(pk=old.pk)
    assert (complaint.name, complaint.email, complaint.phone, complaint.description) == (
        "",
        "",
        "",
        "",
    )
    assert (complaint.stage, complaint.recruiter_id) == ("resolved", old.recruiter_id)
    assert complaint.anonymised_at is not None
    assert set(complaint.messages.values_list("body", flat=True)) == {""}
    assert not ComplaintEvidence.objects.filter(complaint=complaint).exists()
    assert not storage.exists(name)
    entry = AccessLog.objects.get(action="anonymise")
    assert (entry.object_type, entry.object_ref) == ("iris.complaint", old.reference)


def test_its_history_keeps_no_personal_data(settings, officer):
    settings.IRIS_RETENTION_DAYS = 60
    old = _finished(officer, days_ago=61, stage="closed")
    complaints_anonymise_expired()
    assert {(v.name, v.email, v.description) for v in old.history.all()} == {("", "", "")}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, description FROM iris_historicalcomplaint")
        assert {value for row in cursor.fetchall() for value in row} == {""}


def test_open_and_recent_complaints_are_kept(settings, officer):
    settings.IRIS_RETENTION_DAYS = 60
    recent = _finished(officer, days_ago=59)
    still_open, _code = complaint_submit(
        recruiter=RecruiterFactory(), categories=[], description="Fees", name="Ana"
    )
    Complaint.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - timedelta(days=400),
        updated_at=timezone.now() - timedelta(days=400),
    )
    assert complaints_anonymise_expired() == []
    assert (
        Complaint.objects.filter(pk__in=[recent.pk, still_open.pk], anonymised_at=None).count() == 2
    )
    assert Complaint.objects.get(pk=recent.pk).name == "Maria Ionescu"


def test_a_dry_run_changes_nothing(settings, officer, capsys):
    settings.IRIS_RETENTION_DAYS = 60
    old = _finished(officer, days_ago=61)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert old.reference in out and "IRIS complaints would be anonymised" in out
    assert "Maria" not in out
    assert Complaint.objects.get(pk=old.pk).name == "Maria Ionescu"
    evidence = ComplaintEvidence.objects.get(complaint=old)
    assert evidence.file.storage.exists(evidence.file.name)
    assert not AccessLog.objects.filter(action="anonymise").exists()


def _decided(officer, days_ago: int, decide=application_reject) -> Application:
    application = ApplicationFactory(
        contact_name="Ana Popescu",
        contact_phone="+40 700 000 111",
        about="Ana runs our placements in Iasi.",
    )
    application = decide(application=application, by=officer)
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=days_ago)
    )
    return application


def test_applications_decided_past_retention_lose_the_contact_and_free_text(settings, officer):
    settings.IRIS_RETENTION_DAYS = 60
    rejected = _decided(officer, days_ago=61)
    accepted = _decided(officer, days_ago=61, decide=application_accept)

    assert sorted(applications_anonymise_expired()) == sorted([str(rejected.pk), str(accepted.pk)])

    for application in Application.objects.filter(pk__in=[rejected.pk, accepted.pk]):
        assert (
            application.contact_name,
            application.contact_email,
            application.contact_phone,
            application.about,
        ) == ("",) * 4
        assert application.anonymised_at is not None
        assert application.organisation_name.startswith("Applicant Organisation")
        assert {(v.contact_name, v.contact_email, v.about) for v in application.history.all()} == {
            ("",) * 3
        }
    # The accepted recruiter's own record is the alliance's working relationship: it stays.
    assert Application.objects.get(pk=accepted.pk).recruiter.legal_name
    entries = AccessLog.objects.filter(action="anonymise", object_type="iris.application")
    assert sorted(entries.values_list("object_ref", flat=True)) == sorted(
        [str(rejected.pk), str(accepted.pk)]
    )


def test_pending_and_recently_decided_applications_are_kept(settings, officer):
    settings.IRIS_RETENTION_DAYS = 60
    pending = ApplicationFactory(contact_name="Ana Popescu")
    Application.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    recent = _decided(officer, days_ago=59)
    assert applications_anonymise_expired() == []
    kept = Application.objects.filter(pk__in=[pending.pk, recent.pk])
    assert {a.contact_name for a in kept} == {"Ana Popescu"}


def test_a_contact_copied_onto_the_recruiter_by_an_earlier_acceptance_goes_too(settings, officer):
    # Before the fix, accepting copied the contact's email and phone onto the recruiter.
    settings.IRIS_RETENTION_DAYS = 60
    accepted = _decided(officer, days_ago=61, decide=application_accept)
    recruiter = accepted.recruiter
    recruiter.contact_email, recruiter.contact_phone = accepted.contact_email, "+40 700 000 111"
    recruiter.save()  # a version in its history holding both
    recruiter.contact_email = "office@recruiter.example"  # its own address, later: kept
    recruiter.save()

    assert applications_anonymise_expired() == [str(accepted.pk)]

    recruiter.refresh_from_db()
    assert (recruiter.contact_email, recruiter.contact_phone) == ("office@recruiter.example", "")
    versions = {(v.contact_email, v.contact_phone) for v in recruiter.history.all()}
    assert accepted.contact_email not in str(versions) and "000 111" not in str(versions)
    assert ("office@recruiter.example", "") in versions
