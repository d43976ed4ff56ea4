"""Finished cases are anonymised after RETURNS_RETENTION_DAYS: the person's data goes for good."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from iomuk.models import AccessLog
from returns.models import CaseDocument, CaseNote, CaseTransition, ReturnCase
from returns.selectors import cases_named
from returns.services import case_document_add, cases_anonymise_expired

from .conftest import PDF_BYTES
from .factories import (
    CaseNoteFactory,
    CaseTransitionFactory,
    ReturnCaseFactory,
    ReturnPlanItemFactory,
)

pytestmark = pytest.mark.django_db


def _finished(stage: str, days_ago: int) -> ReturnCase:
    case = ReturnCaseFactory(stage=stage, full_name="Maria Testperson")
    ReturnPlanItemFactory(case=case, notes="Shelter in Iași with her aunt")
    CaseNoteFactory(case=case)
    move = CaseTransitionFactory(case=case, to_stage=stage, reason="Maria decided to stay")
    CaseTransition.objects.filter(pk=move.pk).update(at=timezone.now() - timedelta(days=days_ago))
    case.save()  # a second version in the history
    return case


def _document(case: ReturnCase) -> CaseDocument:
    upload = SimpleUploadedFile("passport.pdf", PDF_BYTES)
    return case_document_add(case=case, by=case.referred_by, kind="identity", upload=upload)


def _history_text(case: ReturnCase) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, referrer_name, safe_times_to_call, destination_town"
            " FROM returns_historicalreturncase WHERE id = %s",
            [case.pk],
        )
        return repr(cursor.fetchall())


def test_a_finished_case_past_retention_is_anonymised_and_its_files_deleted(
    settings, django_capture_on_commit_callbacks
):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("closed", days_ago=31)
    document = _document(old)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert cases_anonymise_expired() == [old.reference]

    case = ReturnCase.objects.get(pk=old.pk)
    assert (case.full_name, case.referrer_name, case.safe_contact_details) == ("", "", "")
    assert (case.health_notes, case.safeguarding_notes, case.destination_town) == ("", "", "")
    assert case.date_of_birth == date(1990, 1, 1)
    assert case.name_index == ""
    assert not cases_named(ReturnCase.objects.all(), "Maria").exists()
    assert (case.reference, case.stage, case.country) == (old.reference, "closed", "RO")
    assert case.anonymised_at is not None
    assert not CaseNote.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not storage.exists(name)
    assert case.plan_items.get().notes == ""
    assert set(case.transitions.values_list("reason", flat=True)) == {""}


def test_the_history_of_an_anonymised_case_keeps_no_personal_data(settings):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("withdrawn", days_ago=31)
    assert "Iași" in _history_text(old)  # the name is there too, encrypted
    assert {v.full_name for v in old.history.all()} == {"Maria Testperson"}
    cases_anonymise_expired()
    assert "Iași" not in _history_text(old)
    assert all(not v.health_notes and not v.full_name for v in old.history.all())
    assert {v.date_of_birth for v in old.history.all()} == {date(1990, 1, 1)}
    assert old.history.first().history_change_reason == "retention"
    assert all(not v.notes for v in old.plan_items.get().history.all())


def test_the_consent_wording_and_the_referrers_organisation_go_too(settings):
    # Both are free text that can name the person or where they are; they went through untouched.
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("closed", days_ago=31)
    ReturnCase.objects.filter(pk=old.pk).update(
        consent_wording="Maria Testperson agreed to return to Iași",
        referrer_organisation="Iași Women's Shelter",
    )
    old.refresh_from_db()
    old.save()  # the history holds the words too

    cases_anonymise_expired()

    case = ReturnCase.objects.get(pk=old.pk)
    assert (case.consent_wording, case.referrer_organisation) == ("", "")
    for version in case.history.all():
        assert (version.consent_wording, version.referrer_organisation) == ("", "")


def test_the_anonymisation_is_written_to_the_access_log(settings):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("not_eligible", days_ago=90)
    cases_anonymise_expired()
    entry = AccessLog.objects.get(action="anonymise")
    assert (entry.object_type, entry.object_ref, entry.username) == (
        "returns.case",
        old.reference,
        "",
    )
    assert "Maria" not in entry.detail


def test_open_and_recent_cases_are_kept(settings):
    settings.RETURNS_RETENTION_DAYS = 30
    recent = _finished("withdrawn", days_ago=29)
    still_open = _finished("departed", days_ago=400)
    assert cases_anonymise_expired() == []
    for case in (recent, still_open):
        case = ReturnCase.objects.get(pk=case.pk)
        assert case.full_name == "Maria Testperson" and case.notes.exists()
    assert not AccessLog.objects.filter(action="anonymise").exists()


def test_a_dry_run_lists_the_case_and_changes_nothing(settings, capsys):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("closed", days_ago=31)
    document = _document(old)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert old.reference in out and "return cases would be anonymised" in out
    assert "Maria" not in out
    case = ReturnCase.objects.get(pk=old.pk)
    assert case.full_name == "Maria Testperson" and case.anonymised_at is None
    assert document.file.storage.exists(document.file.name)
    assert not AccessLog.objects.filter(action="anonymise").exists()


def test_an_anonymised_case_is_not_done_twice(settings):
    settings.RETURNS_RETENTION_DAYS = 30
    _finished("closed", days_ago=31)
    assert len(cases_anonymise_expired()) == 1
    assert cases_anonymise_expired() == []
    assert AccessLog.objects.filter(action="anonymise").count() == 1
