import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from iris.models import Complaint, ComplaintEvidence
from tests.pictures import png_bytes

from ..factories import RecruiterFactory

URL = reverse("iris:complaint-new")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = png_bytes()  # a real picture: photos are drawn again without their metadata


@pytest.fixture
def recruiter(db):
    return RecruiterFactory(legal_name="Chişinău Work Abroad SRL")


def token_from(client):
    page = client.get(URL).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def form_data(client, recruiter=None, **overrides):
    data = {
        "token": token_from(client),
        "about": "listed" if recruiter else "unlisted",
        "recruiter_ref": recruiter.accreditation_number if recruiter else "",
        "unlisted_name": "" if recruiter else "Fast Jobs Abroad",
        "unlisted_country": "" if recruiter else "RO",
        "categories": ["fees", "documents"],
        "happened_when": "March 2026",
        "recruitment_country": "MD",
        "destination_country": "GB",
        "description": "They took 900 euros and my passport.",
        "name": "Ion Rusu",
        "email": "ion@example.org",
        "phone": "",
        "safe_contact": "Evenings only",
        "preferred_language": "ro",
        "consent_to_referral": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, data, capture):
    with capture(execute=True):
        return client.post(URL, data, follow=True)


def test_anyone_can_report_a_listed_recruiter_and_gets_a_reference_and_code(
    client, recruiter, django_capture_on_commit_callbacks
):
    response = submit(client, form_data(client, recruiter), django_capture_on_commit_callbacks)
    page = response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.recruiter == recruiter
    assert re.fullmatch(r"IRIS-C-[2-9A-HJKMNP-Z]{6}", complaint.reference)
    assert complaint.reference in page
    code = re.search(r'Tracking code</dt><dd class="col-sm-9"><code class="fs-4">([^<]+)<', page)
    assert code and code.group(1) not in complaint.tracking_code_hash
    assert {c.code for c in complaint.categories.all()} == {"fees", "documents"}
    # Emailed once, in Romanian, with no details of the case in the subject.
    sent = mail.outbox[-1]
    assert sent.to == ["ion@example.org"]
    assert complaint.reference in sent.body
    assert "Ion" not in sent.subject and "Chi" not in sent.subject
    # The tracking code is shown once: the page does not show it again.
    again = client.get(reverse("iris:complaint-submitted")).content.decode()
    assert code.group(1) not in again


def _tracking_code(page: str) -> str:
    return re.search(r'Tracking code</dt><dd class="col-sm-9"><code class="fs-4">([^<]+)<', page)[1]


def test_the_receipt_emails_only_the_reference_unless_the_person_asks_for_the_code(
    client, recruiter, django_capture_on_commit_callbacks
):
    # Whoever reads the inbox must not be able to open the report: by default the tracking
    # code is not emailed, and the page says so.
    data = form_data(client, recruiter, preferred_language="en-gb")
    page = submit(client, data, django_capture_on_commit_callbacks).text
    code = _tracking_code(page)
    complaint = Complaint.objects.get()
    sent = mail.outbox[-1]
    for body in (sent.body, sent.alternatives[0][0]):
        assert complaint.reference in body
        assert code not in body
        assert "Tracking code:" not in body
        assert "/iris/complaints/track/" in body
    assert "does not carry your tracking code" in sent.body
    assert "We have also sent them to your email." not in page
    assert "We have emailed you the reference only, not the tracking code." in page


def test_the_tracking_code_is_emailed_when_the_person_chooses_it(
    client, recruiter, django_capture_on_commit_callbacks
):
    form = client.get(URL).text
    assert "Only choose this if nobody else reads your email." in form
    assert not re.search(r'<input[^>]*name="email_code"[^>]*checked', form)
    data = form_data(client, recruiter, preferred_language="en-gb", email_code="on")
    page = submit(client, data, django_capture_on_commit_callbacks).text
    code = _tracking_code(page)
    sent = mail.outbox[-1]
    assert Complaint.objects.get().reference in sent.body
    assert code in sent.body and code in sent.alternatives[0][0]
    assert "We have also sent them to your email." in page
    assert "reference only" not in page


def test_an_anonymous_report_emails_nothing_even_with_the_box_ticked(
    client, recruiter, django_capture_on_commit_callbacks
):
    data = form_data(client, recruiter, anonymous="on", phone="+44 7700 900000", email_code="on")
    page = submit(client, data, django_capture_on_commit_callbacks).text
    assert not mail.outbox
    assert "sent them to your email" not in page and "emailed you" not in page


def test_the_recruiter_can_be_given_by_its_roster_page_address(
    client, recruiter, django_capture_on_commit_callbacks
):
    data = form_data(
        client, recruiter, recruiter_ref=f"https://x.example/iris/recruiters/{recruiter.slug}/"
    )
    submit(client, data, django_capture_on_commit_callbacks)
    assert Complaint.objects.get().recruiter == recruiter


def test_the_recruiter_page_link_fills_in_the_recruiter(client, recruiter):
    page = client.get(URL, {"recruiter": recruiter.slug}).content.decode()
    assert f'value="{recruiter.legal_name}"' in page


def test_a_recruiter_not_on_the_roster_can_be_reported(
    client, db, django_capture_on_commit_callbacks
):
    submit(
        client,
        form_data(client, unlisted_contact="+40 700 000 000"),
        django_capture_on_commit_callbacks,
    )
    complaint = Complaint.objects.get()
    assert complaint.recruiter is None
    assert complaint.unlisted_name == "Fast Jobs Abroad"
    assert complaint.unlisted_contact == "+40 700 000 000"


def test_an_anonymous_complaint_stores_no_name_email_or_phone(
    client, recruiter, django_capture_on_commit_callbacks
):
    data = form_data(client, recruiter, anonymous="on", phone="+44 7700 900000")
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert (complaint.name, complaint.email, complaint.phone, complaint.safe_contact) == ("",) * 4
    # Not even encrypted: the raw row holds nothing in those columns.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, email, phone, safe_contact FROM iris_complaint WHERE id = %s",
            [complaint.pk],
        )
        assert cursor.fetchone() == ("", "", "", "")
    assert mail.outbox == []  # nobody to write to


def test_personal_data_is_encrypted_at_rest(client, recruiter, django_capture_on_commit_callbacks):
    submit(client, form_data(client, recruiter), django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, name, email FROM iris_complaint")
        row = cursor.fetchone()
    assert "passport" not in row[0] and "Ion" not in row[1] and "ion@" not in row[2]


def test_someone_in_danger_shows_999_and_the_helpline_and_alerts_officers_at_once(
    client, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.IRIS_OFFICERS_EMAIL = "officers@iom.example"
    data = form_data(client, recruiter, anonymous="on", in_danger="on")
    page = submit(client, data, django_capture_on_commit_callbacks).content.decode()
    assert 'class="alert alert-danger iris-danger iris-urgent"' in page
    assert 'href="tel:999"' in page and "08000 121 700" in page
    alert = [m for m in mail.outbox if m.to == ["officers@iom.example"]]
    assert len(alert) == 1
    assert "URGENT" in alert[0].subject
    assert "Chi" not in alert[0].subject and "passport" not in alert[0].body
    assert Complaint.objects.get().reference in alert[0].body


def test_without_danger_no_urgent_alert_is_sent(
    client, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.IRIS_OFFICERS_EMAIL = "officers@iom.example"
    submit(client, form_data(client, recruiter), django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to == ["officers@iom.example"]]


def test_a_double_submit_of_the_same_form_makes_one_complaint(
    client, recruiter, django_capture_on_commit_callbacks
):
    data = form_data(client, recruiter)
    submit(client, data, django_capture_on_commit_callbacks)
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Report received" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_a_flood_from_one_address_gets_the_polite_429_and_nothing_is_stored_twice(
    client, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.IRIS_COMPLAINT_LIMIT = (3, 3600)
    for _ in range(3):
        submit(client, form_data(client, recruiter), django_capture_on_commit_callbacks)
    response = client.post(URL, form_data(client, recruiter))
    assert response.status_code == 429
    assert "What you have just sent was not received." in response.content.decode()
    assert Complaint.objects.count() == 3


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"description": ""}, "Tell us what happened."),
        ({"categories": []}, "Tick at least one thing that happened."),
        ({"email": "", "phone": ""}, "Give an email or phone number"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"description": "x" * 6000}, "at most 5000 characters"),
        ({"token": ""}, "Please send the form again."),
        ({"token": "bad token!"}, "Please send the form again."),
        ({"about": "listed", "recruiter_ref": ""}, "Give the recruiter&#x27;s name."),
    ],
)
def test_bad_input_is_answered_on_the_page_and_nothing_is_saved(
    client, recruiter, overrides, message
):
    response = client.post(URL, form_data(client, recruiter, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error:" in page
    assert not Complaint.objects.exists()


def test_an_unlisted_report_needs_the_recruiters_name(client, db):
    response = client.post(URL, form_data(client, unlisted_name=""))
    assert "Give the recruiter&#x27;s name." in response.content.decode()


def test_an_applicant_cannot_be_chosen_as_a_listed_recruiter(client, db):
    applicant = RecruiterFactory(applicant=True)
    client.post(URL, form_data(client, recruiter_ref=applicant.slug, about="listed"))
    assert not Complaint.objects.filter(recruiter=applicant).exists()


def test_evidence_files_are_checked_by_content_and_stored_privately(
    client, recruiter, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    ]
    submit(client, form_data(client, recruiter, evidence=files), django_capture_on_commit_callbacks)
    evidence = ComplaintEvidence.objects.order_by("pk")
    assert [e.content_type for e in evidence] == ["application/pdf", "image/png"]
    for item in evidence:
        assert "contract" not in item.file.name and "photo" not in item.file.name
        assert default_storage.exists(item.file.name)


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
            "Files must be PDF documents or JPEG or PNG pictures.",
        ),
        (
            SimpleUploadedFile("run.png", b"MZ\x90\x00 windows program", "image/png"),
            "Files must be PDF documents or JPEG or PNG pictures.",
        ),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, "application/pdf"),
            "Each file must be smaller than",
        ),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "The submitted file is empty."),
    ],
)
def test_disguised_or_oversized_files_are_refused(client, recruiter, settings, upload, message):
    settings.UPLOAD_MAX_BYTES = 1024
    response = client.post(URL, form_data(client, recruiter, evidence=[upload]))
    assert message in response.content.decode()
    assert not Complaint.objects.exists()
    assert not ComplaintEvidence.objects.exists()


def test_script_in_the_form_is_shown_back_as_text(client, recruiter):
    hostile = "<script>alert('x')</script>"
    response = client.post(
        URL, form_data(client, recruiter, description=hostile, name=hostile, email="bad")
    )
    page = response.content.decode()
    assert hostile not in page
    assert "&lt;script&gt;" in page


def test_two_identical_submissions_racing_store_one_complaint(db, recruiter):
    from iris.complaints.services import DuplicateSubmission, complaint_submit

    kwargs = {
        "recruiter": recruiter,
        "categories": [],
        "description": "Fees.",
        "submission_token": "same-token-from-one-form-0123",
    }
    complaint_submit(**kwargs)
    with pytest.raises(DuplicateSubmission):
        complaint_submit(**kwargs)
    assert Complaint.objects.count() == 1


def test_a_clashing_reference_is_drawn_again(db, recruiter, monkeypatch):
    from iris.complaints import services as complaints

    first, _ = complaints.complaint_submit(recruiter=recruiter, categories=[], description="A")
    references = iter([first.reference.removeprefix("IRIS-C-"), "XYZ234"])
    monkeypatch.setattr(
        complaints, "_new_code", lambda length: next(references) if length == 6 else "ABCDEFGHJKMN"
    )
    second, _ = complaints.complaint_submit(recruiter=recruiter, categories=[], description="B")
    assert second.reference == "IRIS-C-XYZ234"
    assert Complaint.objects.count() == 2


def test_a_garbled_form_token_gets_a_message_not_an_error(client, db):
    # PostgreSQL refuses a NUL even in a lookup: the token is checked before it is looked up.
    data = form_data(client, RecruiterFactory(), token="\x00\x01" + "a" * 30)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Complaint.objects.exists()
