"""A body over the largest form's limit is refused as it arrives, before any of it is read."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iris.models import Complaint, ComplaintEvidence

COMPLAINT = reverse("iris:complaint-new")


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def huge_post(client, **headers):
    return client.generic(
        "POST",
        COMPLAINT,
        content_type="multipart/form-data; boundary=xyz",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(300 * 1024 * 1024), **headers},
    )


def test_a_300_mb_post_is_refused_with_413_before_it_is_read(client, db):
    response = huge_post(client)
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert "at most 5 files, each smaller than 5 MB" in page
    assert "Exit this page" in page
    assert not Complaint.objects.exists()


def test_the_refusal_is_in_the_visitors_language(client, db):
    response = huge_post(client, HTTP_ACCEPT_LANGUAGE="ro")
    assert response.status_code == 413
    assert "Ce ați trimis este prea mare" in response.content.decode()


def test_a_body_sent_without_a_length_is_refused(client, db):
    response = huge_post(client, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 413


def test_a_huge_referral_is_refused_with_the_exit_button_too(client, db):
    response = client.generic(
        "POST",
        "/returns/referrals/new/",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(300 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "Exit this page" in response.content.decode()


def test_the_limit_fits_the_largest_form_and_django_agrees():
    assert settings.REQUEST_MAX_BYTES >= settings.UPLOAD_MAX_FILES * settings.UPLOAD_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.REQUEST_MAX_BYTES


def test_a_form_with_five_files_of_almost_5_mb_is_still_taken(
    client, db, django_capture_on_commit_callbacks, private_cache
):
    # A cache of its own: the complaint form's hourly limit counts no other test's reports.
    from tests.iris.complaints.test_complaints import form_data  # the complaint form, filled in

    big = b"%PDF-1.4\n" + b"0" * (settings.UPLOAD_MAX_BYTES - 1024)
    files = [SimpleUploadedFile(f"scan{i}.pdf", big, "application/pdf") for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(COMPLAINT, form_data(client, evidence=files), follow=True)
    assert response.status_code == 200
    assert ComplaintEvidence.objects.count() == 5
