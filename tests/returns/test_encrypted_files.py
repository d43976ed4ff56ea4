"""Uploaded documents are encrypted on disk and readable by the portal's user only."""

import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

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


NAMED_FILE = "Elena_Popescu_passport_RO.pdf"


def _stored_names() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM returns_casedocument")
        return str(cursor.fetchall())


def test_a_database_copy_holds_no_document_file_name(client, cases, caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from returns.services import case_document_add

    from .conftest import PDF_BYTES

    case = cases["mine"]
    upload = SimpleUploadedFile(NAMED_FILE, PDF_BYTES, content_type="application/pdf")
    document = case_document_add(case=case, by=caseworker, kind="identity", upload=upload)
    assert "Popescu" not in _stored_names()
    # The caseworker still sees the name and the download still carries it.
    client.force_login(caseworker)
    assert NAMED_FILE in client.get(f"/returns/cases/{case.reference}/").content.decode()
    response = client.get(f"/returns/cases/{case.reference}/documents/{document.pk}/")
    assert response.status_code == 200
    assert f'filename="{NAMED_FILE}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


# SQLite alters tables only outside a transaction. The case needs no role: an earlier
# transactional test may have emptied the roles the data migrations made.
@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_file_names_stored_in_plain_text(as_database_owner):
    from django.db.migrations.executor import MigrationExecutor

    CaseDocument.objects.create(
        case=ReturnCaseFactory(),
        uploaded_by=UserFactory(),
        kind="identity",
        original_name=NAMED_FILE,
        file=ContentFile(PASSPORT, name="x.pdf"),
        size=len(PASSPORT),
        content_type="application/pdf",
    )
    MigrationExecutor(connection).migrate([("returns", "0002_roles")])
    assert "Elena_Popescu" in _stored_names()  # as a database from before this change holds it
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
    assert "Popescu" not in _stored_names()
    assert CaseDocument.objects.get().original_name == NAMED_FILE
