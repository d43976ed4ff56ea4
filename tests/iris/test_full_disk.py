"""A full or read-only uploads disk: the complaint form comes back with everything typed and a
plain message, never a 500; no partial file is left and no half-saved report is stored."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iris.models import Complaint, ComplaintEvidence
from tests.iris.complaints.test_complaints import PDF, URL, form_data
from tests.uploads_disk import NOT_STORED, files_in, uploads_disk

from .factories import RecruiterFactory


@pytest.fixture
def recruiter(db):
    return RecruiterFactory()


@pytest.mark.parametrize("read_only", [False, True], ids=["full", "read-only"])
def test_a_complaint_on_a_full_uploads_disk_comes_back_with_what_was_typed(
    recruiter, settings, read_only
):
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    os.makedirs(root / "iris" / "evidence", exist_ok=True)  # the volume is mounted
    client = Client(raise_request_exception=False)  # as in production: a fault is a page
    photo = SimpleUploadedFile("photo.pdf", PDF + b"%" + b"x" * 300_000, "application/pdf")
    data = form_data(client, recruiter, evidence=[photo])
    with uploads_disk(root, read_only=read_only):
        response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_STORED in page
    assert "They took 900 euros and my passport." in page
    assert "Evenings only" in page
    assert Complaint.objects.count() == 0
    assert ComplaintEvidence.objects.count() == 0
    assert files_in(root) == []


def test_a_complaint_with_a_mistake_on_a_full_uploads_disk_shows_its_mistake_not_a_500(
    recruiter, settings
):
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    client = Client(raise_request_exception=False)
    photo = SimpleUploadedFile("photo.pdf", PDF + b"%" + b"x" * 300_000, "application/pdf")
    data = form_data(client, recruiter, description="", evidence=[photo])
    with uploads_disk(root):  # the attachment cannot be held for the form's second sending
        response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tell us what happened." in page
    assert NOT_STORED in page
    assert "Evenings only" in page
    assert files_in(root) == []
