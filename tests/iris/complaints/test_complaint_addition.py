"""A complainant adds information and evidence to their report from the tracking page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog, OutboxMessage
from iris.complaints.retention import complaints_anonymise_expired
from iris.models import Complaint, ComplaintEvidence

from ..factories import ComplaintFactory

TRACK = reverse("iris:complaint-track")
CODE = "ABCD-EFGH-JKMN"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ADDED = "We have received what you added."


@pytest.fixture
def complaint(db):
    return ComplaintFactory(reference="IRIS-C-4H8M2P", stage="under_review")


def track(client, reference="IRIS-C-4H8M2P", code=CODE):
    return client.post(TRACK, {"reference": reference, "code": code})


def addition_form(page: str) -> tuple[str, dict[str, str]]:
    """The add-information form on the tracking page: its address and its hidden fields."""
    forms = re.finditer(r"<form([^>]*)>(.*?)</form>", page, re.S)
    form = next((f for f in forms if 'name="body"' in f.group(2)), None)
    assert form, "no form to add information on the tracking page"
    assert 'enctype="multipart/form-data"' in form.group(1)
    action = re.search(r'action="([^"]+)"', form.group(1)).group(1)
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return action, hidden


def add(client, page: str, capture, **fields):
    action, hidden = addition_form(page)
    with capture(execute=True):
        return client.post(action, {**hidden, **fields}, follow=True)


def test_a_complainant_adds_information_and_a_file_and_the_officers_see_it(
    client, officer_client, complaint, django_capture_on_commit_callbacks
):
    page = track(client).content.decode()
    response = add(
        client,
        page,
        django_capture_on_commit_callbacks,
        body="The recruiter phoned me again yesterday and asked for 500 euros.",
        evidence=SimpleUploadedFile("receipt from Ion.pdf", PDF, "application/pdf"),
    )

    shown = response.content.decode()
    assert ADDED in shown
    assert "Under review" in shown  # still the report's own page
    assert "500 euros" not in shown  # what was added is not read back to whoever holds the code
    for url, _status in response.redirect_chain:
        assert "4H8M2P" not in url and "ABCD" not in url

    addition = complaint.additions.get()
    assert addition.body == "The recruiter phoned me again yesterday and asked for 500 euros."
    evidence = ComplaintEvidence.objects.get(complaint=complaint)
    assert (evidence.addition, evidence.content_type, evidence.size) == (
        addition,
        "application/pdf",
        len(PDF),
    )
    alert = OutboxMessage.objects.get(template="iris-complaint-addition")
    assert alert.to == settings.IRIS_OFFICERS_EMAIL
    assert complaint.reference in alert.body_text
    for private in ("500 euros", "Maria", "maria@example.org", "receipt", complaint.reference):
        assert private not in alert.subject
    assert "500 euros" not in alert.body_text
    log = AccessLog.objects.get(object_ref=complaint.reference, action="add")
    assert log.ip is None and log.username == ""

    officer_page = officer_client.get(
        reverse("iris-complaints:detail", args=[complaint.reference])
    ).content.decode()
    assert "The recruiter phoned me again yesterday" in officer_page
    assert reverse("iris:evidence-download", args=[evidence.pk]) in officer_page


def test_the_page_says_what_was_added_and_when_after_a_later_visit(
    client, complaint, django_capture_on_commit_callbacks
):
    add(client, track(client).text, django_capture_on_commit_callbacks, body="One more thing.")
    again = track(client).content.decode()
    assert "Information you added" in again
    assert timezone.localdate().strftime("%-d") in again
    assert "One more thing." not in again


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"body": "  "}, "Tell us what you want to add."),
        (
            {"body": "A file", "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)},
            "Files must be PDF documents or JPEG or PNG pictures.",
        ),
        (
            {"body": "A file", "evidence": SimpleUploadedFile("empty.pdf", b"")},
            "The submitted file is empty.",
        ),
    ],
)
def test_a_blank_message_or_a_wrong_or_empty_file_is_refused_and_explained(
    client, complaint, django_capture_on_commit_callbacks, fields, error
):
    response = add(client, track(client).text, django_capture_on_commit_callbacks, **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert "There is a problem" in page
    assert "Under review" in page
    assert not complaint.additions.exists()
    assert not ComplaintEvidence.objects.exists()
    assert not OutboxMessage.objects.filter(template="iris-complaint-addition").exists()


def test_a_file_too_large_is_refused(
    client, complaint, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_MAX_BYTES = 40
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 40)
    response = add(
        client, track(client).text, django_capture_on_commit_callbacks, body="Big", evidence=big
    )
    assert "Each file must be smaller than" in response.content.decode()
    assert not complaint.additions.exists()


def test_nothing_can_be_added_without_the_reference_and_code(client, complaint):
    response = client.post(reverse("iris:complaint-tracked"), {"body": "Guess"}, follow=True)
    assert response.redirect_chain[-1][0] == TRACK
    assert "Enter your reference and tracking code again" in response.content.decode()
    assert not complaint.additions.exists()


def test_done_forgets_the_report_on_this_browser(
    client, complaint, django_capture_on_commit_callbacks
):
    page = track(client).text
    client.get(TRACK)  # "Done"
    response = add(client, page, django_capture_on_commit_callbacks, body="Too late")
    assert response.redirect_chain[-1][0] == TRACK
    assert not complaint.additions.exists()


def test_a_second_click_on_the_same_form_adds_it_once(
    client, complaint, django_capture_on_commit_callbacks
):
    page = track(client).text
    add(client, page, django_capture_on_commit_callbacks, body="Once, please.")
    response = add(client, page, django_capture_on_commit_callbacks, body="Once, please.")
    assert ADDED in response.content.decode()
    assert complaint.additions.count() == 1
    assert OutboxMessage.objects.filter(template="iris-complaint-addition").count() == 1


def test_a_finished_report_takes_nothing_more_and_says_what_to_do(
    client, db, django_capture_on_commit_callbacks
):
    ComplaintFactory(reference="IRIS-C-4H8M2P", stage="closed")
    page = track(client).content.decode()
    assert 'name="body"' not in page
    assert "make a new report" in page
    response = client.post(reverse("iris:complaint-tracked"), {"body": "Reopen it"}, follow=True)
    assert "make a new report" in response.content.decode()
    assert not Complaint.objects.get().additions.exists()


def test_adding_is_limited_per_address(client, complaint, settings):
    settings.IRIS_COMPLAINT_LIMIT = (2, 600)
    page = track(client).text
    action, hidden = addition_form(page)
    for _ in range(2):
        client.post(action, {**hidden, "body": "More"})
    assert client.post(action, {**hidden, "body": "More"}).status_code == 429


def test_the_addition_is_in_the_complainants_language(
    client, complaint, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    page = track(client).content.decode()
    assert "Adăugați informații sau dovezi" in page
    response = add(client, page, django_capture_on_commit_callbacks, body="Încă ceva.")
    assert "Am primit ce ați adăugat." in response.content.decode()


def test_retention_removes_what_the_complainant_added(
    client, complaint, settings, django_capture_on_commit_callbacks
):
    add(
        client,
        track(client).text,
        django_capture_on_commit_callbacks,
        body="My new address is 1 High Street.",
        evidence=SimpleUploadedFile("letter.pdf", PDF),
    )
    complaint.stage = Complaint.Stage.CLOSED
    complaint.save()
    complaint.transitions.update(at=timezone.now() - timedelta(days=3 * 365))
    Complaint.objects.filter(pk=complaint.pk).update(
        updated_at=timezone.now() - timedelta(days=3 * 365)
    )
    with django_capture_on_commit_callbacks(execute=True):
        complaints_anonymise_expired(now=timezone.now())
    assert complaint.additions.get().body == ""
    assert not ComplaintEvidence.objects.exists()
