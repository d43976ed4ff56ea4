from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from iomuk.models import AccessLog
from returns.models import CaseNote, CaseTransition, ReturnCase
from returns.services import case_document_add, cases_purge_expired
from returns.tasks import purge_expired_cases

from .conftest import PDF_BYTES
from .factories import CaseNoteFactory, CaseTransitionFactory, ReturnCaseFactory

pytestmark = pytest.mark.django_db


def _finished(stage: str, days_ago: int) -> ReturnCase:
    case = ReturnCaseFactory(stage=stage)
    move = CaseTransitionFactory(case=case, to_stage=stage)
    CaseTransition.objects.filter(pk=move.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return case


def test_finished_cases_past_retention_are_deleted_with_notes_and_files(
    settings, django_capture_on_commit_callbacks
):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("closed", days_ago=31)
    CaseNoteFactory(case=old)
    document = case_document_add(
        case=old, by=old.referred_by, kind="consent", upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    storage, name = document.file.storage, document.file.name
    AccessLog.objects.create(action="view", object_type="returns.case", object_ref=old.reference)
    with django_capture_on_commit_callbacks(execute=True):
        purged = cases_purge_expired()
    assert purged == [old.reference]
    assert not ReturnCase.objects.filter(pk=old.pk).exists()
    assert not CaseNote.objects.exists()
    assert not storage.exists(name)
    assert AccessLog.objects.filter(object_ref=old.reference).exists()


def test_open_and_recent_cases_are_kept(settings):
    settings.RETURNS_RETENTION_DAYS = 30
    recent = _finished("withdrawn", days_ago=29)
    still_open = _finished("departed", days_ago=400)
    assert purge_expired_cases() == 0
    assert ReturnCase.objects.filter(pk__in=[recent.pk, still_open.pk]).count() == 2


def test_the_command_prints_what_it_deleted(settings, capsys):
    settings.RETURNS_RETENTION_DAYS = 30
    old = _finished("not_eligible", days_ago=90)
    call_command("purgereturns")
    out = capsys.readouterr().out
    assert old.reference in out and "1 case(s)" in out
