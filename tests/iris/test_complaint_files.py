"""Files attached to a complaint are kept when the form comes back with an error, and photos are
stored without where and with what they were taken."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from iomuk.held_uploads import FOLDER, held_uploads_prune
from iomuk.tasks import prune_held_uploads
from iris.models import Complaint, ComplaintEvidence
from tests.iris.complaints.test_complaint_addition import add, track
from tests.iris.complaints.test_complaints import PDF, URL, form_data, submit
from tests.pictures import GPS_IFD, MAKE, jpeg_with_gps, png_bytes

from .factories import ComplaintFactory, RecruiterFactory

HELD = re.compile(r'type="hidden" name="evidence-held" value="([^"]+)"')


@pytest.fixture
def recruiter(db):
    return RecruiterFactory(legal_name="Chişinău Work Abroad SRL")


@pytest.fixture
def complaint(db):
    return ComplaintFactory(reference="IRIS-C-4H8M2P", stage="under_review")


def files():
    return [
        SimpleUploadedFile("contract.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("payslip.png", png_bytes(), "image/png"),
    ]


def sent_without_description(client, recruiter):
    return client.post(URL, form_data(client, recruiter, description="", evidence=files()))


def held_files_on_disk() -> list[str]:
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def test_files_attached_to_a_complaint_sent_back_with_an_error_are_kept_and_stored_when_sent(
    client, recruiter, django_capture_on_commit_callbacks
):
    page = sent_without_description(client, recruiter).content.decode()
    assert "Tell us what happened." in page
    assert "Attached: contract.pdf" in page and "Attached: payslip.png" in page
    tokens = HELD.findall(page)
    assert len(tokens) == 2
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    data = form_data(client, recruiter, token=token)
    data["evidence-held"] = tokens
    submit(client, data, django_capture_on_commit_callbacks)

    stored = Complaint.objects.get().evidence.order_by("pk")
    assert [e.content_type for e in stored] == ["application/pdf", "image/png"]
    assert stored[0].file.open("rb").read() == PDF
    assert held_files_on_disk() == []  # the held copies are gone once stored with the report


def test_held_files_are_encrypted_on_disk(client, recruiter):
    sent_without_description(client, recruiter)
    names = held_files_on_disk()
    assert len(names) == 2
    for name in names:
        with open(default_storage.path(f"{FOLDER}/{name}"), "rb") as raw:
            assert not raw.read().startswith((b"%PDF", b"\x89PNG"))


def test_remove_drops_a_held_file_and_sends_nothing(client, recruiter):
    page = sent_without_description(client, recruiter).content.decode()
    tokens = HELD.findall(page)
    data = form_data(client, recruiter)  # the description given now: Remove still sends nothing
    data["evidence-held"] = tokens
    data["held-remove"] = tokens[0]
    page = client.post(URL, data).content.decode()
    assert "Attached: contract.pdf" not in page and "Attached: payslip.png" in page
    assert "Tell us what happened." not in page
    assert not Complaint.objects.exists()


def test_a_held_file_cannot_be_claimed_from_another_browser(
    client, recruiter, django_capture_on_commit_callbacks
):
    tokens = HELD.findall(sent_without_description(client, recruiter).content.decode())
    stranger = Client()
    data = form_data(stranger, recruiter)
    data["evidence-held"] = tokens
    page = submit(stranger, data, django_capture_on_commit_callbacks).content.decode()
    assert "contract.pdf" not in page and "payslip.png" not in page
    assert not ComplaintEvidence.objects.exists()


def test_held_and_new_files_count_together_against_the_limit_of_five(client, recruiter):
    tokens = HELD.findall(sent_without_description(client, recruiter).content.decode())
    new = [SimpleUploadedFile(f"page{i}.pdf", PDF, "application/pdf") for i in range(4)]
    data = form_data(client, recruiter, evidence=new)
    data["evidence-held"] = tokens
    page = client.post(URL, data).content.decode()
    assert "Send at most 5 files." in page
    assert not Complaint.objects.exists()


def test_held_files_not_sent_within_the_setting_are_deleted(client, recruiter, settings):
    sent_without_description(client, recruiter)
    assert len(held_files_on_disk()) == 2
    assert held_uploads_prune() == 0  # still within HELD_UPLOAD_HOURS
    settings.HELD_UPLOAD_HOURS = 0
    assert prune_held_uploads() == 2
    assert held_files_on_disk() == []
    assert "prune-held-uploads" in settings.CELERY_BEAT_SCHEDULE


def test_a_held_file_past_its_time_is_not_dropped_silently(
    client, recruiter, settings, django_capture_on_commit_callbacks
):
    tokens = HELD.findall(sent_without_description(client, recruiter).content.decode())
    settings.HELD_UPLOAD_HOURS = -1  # past its time, and the prune not run yet
    data = form_data(client, recruiter)
    data["evidence-held"] = tokens
    page = client.post(URL, data).content.decode()
    assert "A file you attached before is no longer kept" in page
    assert not Complaint.objects.exists()
    submit(client, form_data(client, recruiter), django_capture_on_commit_callbacks)  # without it
    assert Complaint.objects.exists() and not ComplaintEvidence.objects.exists()


def test_files_added_on_the_tracking_page_are_kept_after_an_error(
    client,
    complaint,
    django_capture_on_commit_callbacks,
):
    page = track(client).content.decode()
    pdf = SimpleUploadedFile("receipt.pdf", PDF, "application/pdf")
    page = add(client, page, django_capture_on_commit_callbacks, body="", evidence=pdf)
    page = page.content.decode()
    assert "Tell us what you want to add." in page
    assert "Attached: receipt.pdf" in page
    tokens = HELD.findall(page)
    assert len(tokens) == 1
    add(
        client,
        page,
        django_capture_on_commit_callbacks,
        body="The receipt they gave me.",
        **{"evidence-held": tokens},
    )
    assert complaint.evidence.get().file.open("rb").read() == PDF


def test_a_photo_is_stored_without_its_location_and_device(
    client, recruiter, django_capture_on_commit_callbacks
):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)  # the test photo has GPS
    upload = SimpleUploadedFile("IMG_0042.jpg", photo, "image/jpeg")
    submit(
        client, form_data(client, recruiter, evidence=[upload]), django_capture_on_commit_callbacks
    )
    evidence = ComplaintEvidence.objects.get()
    stored = default_storage.open(evidence.file.name, "rb").read()  # decrypted by the storage
    assert evidence.content_type == "image/jpeg"
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert MAKE not in image.getexif() and not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info and "comment" not in image.info
        assert image.size == (40, 20)
    assert b"PhoneMaker" not in stored and b"taken at home" not in stored


def test_a_photo_taken_sideways_stays_the_right_way_up(
    client, recruiter, django_capture_on_commit_callbacks
):
    # Orientation 6: the camera was turned; a viewer turns the picture 90° clockwise to show it.
    upload = SimpleUploadedFile("IMG_0043.jpg", jpeg_with_gps(orientation=6), "image/jpeg")
    submit(
        client, form_data(client, recruiter, evidence=[upload]), django_capture_on_commit_callbacks
    )
    stored = default_storage.open(ComplaintEvidence.objects.get().file.name, "rb").read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (20, 40)  # turned upright, with no orientation left to apply
        assert image.convert("RGB").getpixel((10, 5))[0] > 150  # the red half is now on top


def test_the_form_says_what_happens_to_photos_and_documents(client, db):
    page = client.get(URL).content.decode()
    assert "Photos are stored without their location and device details." in page
    assert "Documents are kept as sent." in page


@pytest.mark.parametrize("language", ["ro", "hu"])
def test_the_attached_line_is_in_the_visitors_language(client, recruiter, language):
    client.cookies["django_language"] = language
    page = sent_without_description(client, recruiter).content.decode()
    assert "Attached: contract.pdf" not in page
    assert "contract.pdf" in page
