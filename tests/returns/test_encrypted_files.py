"""Uploaded documents are encrypted on disk and readable by the portal's user only."""

import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from returns.models import CaseDocument
from tests.returns.factories import ReturnCaseFactory, UserFactory

PASSPORT = b"%PDF-1.4 Passport of Maria Popescu, born 1990"


@pytest.mark.django_db
def test_a_document_on_disk_holds_no_plaintext_and_only_its_owner_may_read_it(settings):
    document = CaseDocument.objects.create(
        case=ReturnCaseFactory(),
        uploaded_by=UserFactory(),
        kind="identity",
        original_name="passport.pdf",
        file=ContentFile(PASSPORT, name="passport.pdf"),
        size=len(PASSPORT),
        content_type="application/pdf",
    )
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    on_disk = location / document.file.name
    raw = on_disk.read_bytes()
    assert b"Popescu" not in raw and b"%PDF" not in raw
    assert stat.S_IMODE(on_disk.stat().st_mode) == 0o600
    assert stat.S_IMODE(on_disk.parent.stat().st_mode) == 0o700
    with CaseDocument.objects.get().file.open("rb") as handle:
        assert handle.read() == PASSPORT
