"""A full uploads disk: a referral with its consent PDF comes back with what was typed and a
plain message, never a 500, and stores no case and no file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from returns.models import CaseDocument, ReturnCase
from tests.uploads_disk import NOT_STORED, files_in, uploads_disk

from .conftest import PDF_BYTES
from .test_intake import URL, referral


def test_a_referral_on_a_full_uploads_disk_comes_back_with_what_was_typed(caseworker, settings):
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    consent = PDF_BYTES + b"%" + b"x" * 300_000
    document = SimpleUploadedFile("consent.pdf", consent, content_type="application/pdf")
    data = referral()
    with uploads_disk(root):
        response = client.post(URL, {**data, "document": document})
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_STORED in page
    assert data["full_name"] in page
    assert not ReturnCase.objects.exists()
    assert not CaseDocument.objects.exists()
    assert files_in(root) == []
