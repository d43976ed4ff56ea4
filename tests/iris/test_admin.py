import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog, User
from iris.complaints.services import complaint_submit
from iris.models import AccreditationState, Application, ComplaintEvidence

from .factories import ApplicationFactory, ComplaintFactory, RecruiterFactory

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def complaint_with_evidence(db):
    recruiter = RecruiterFactory()
    complaint, _code = complaint_submit(
        recruiter=recruiter,
        categories=[],
        description="They kept my passport.",
        name="Maria Ionescu",
        email="maria@example.org",
        evidence=(SimpleUploadedFile("my passport.pdf", PDF),),
    )
    return complaint


def test_an_officer_viewing_a_complaint_is_written_to_the_access_log(
    officer_client, complaint_with_evidence
):
    complaint = complaint_with_evidence
    url = reverse("admin:iris_complaint_change", args=[complaint.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert "Maria Ionescu" in response.content.decode()
    log = AccessLog.objects.get(object_type="iris.complaint")
    assert (log.username, log.action, log.object_ref) == ("officer", "view", complaint.reference)


def test_the_complaint_list_shows_no_personal_data(officer_client, complaint_with_evidence):
    page = officer_client.get(reverse("admin:iris_complaint_changelist")).content.decode()
    assert complaint_with_evidence.reference in page
    assert "Maria" not in page
    page = officer_client.get(
        reverse("admin:iris_complaint_changelist"), {"categories__code__exact": "fees"}
    )
    assert page.status_code == 200


def test_evidence_downloads_as_an_attachment_for_officers_only_and_is_logged(
    client, officer_client, complaint_with_evidence
):
    evidence = ComplaintEvidence.objects.get()
    url = reverse("iris:evidence-download", args=[evidence.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "passport" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.filter(action="download").count() == 1


def test_evidence_is_refused_to_other_staff_and_to_the_public(client, complaint_with_evidence):
    url = reverse("iris:evidence-download", args=[ComplaintEvidence.objects.get().pk])
    assert client.get(url).status_code == 403
    other = User.objects.create_user("caseworker", password="x-long-password-1", is_staff=True)
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(action="download").exists()


def test_unknown_evidence_is_a_404(officer_client, db):
    assert officer_client.get(reverse("iris:evidence-download", args=[999])).status_code == 404


def test_an_anonymised_application_opens_read_only(officer_client, db):
    made = ApplicationFactory(contact_name="", contact_email="", anonymised_at=timezone.now())
    url = reverse("admin:iris_application_change", args=[made.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and made.organisation_name in page.text
    assert 'name="organisation_name"' not in page.text
    assert officer_client.post(url, {"organisation_name": "Renamed"}).status_code == 403
    made.refresh_from_db()
    assert made.organisation_name != "Renamed"


def test_a_recruiters_admin_page_shows_its_complaints(officer_client, db):
    complaint = ComplaintFactory()
    url = reverse("admin:iris_recruiter_change", args=[complaint.recruiter.pk])
    assert complaint.reference in officer_client.get(url).content.decode()


def test_the_recruiter_list_filters_by_accreditation_today(officer_client, db):
    RecruiterFactory(legal_name="Current Ltd")
    RecruiterFactory(legal_name="Lapsed Ltd", lapsed=True)
    page = officer_client.get(
        reverse("admin:iris_recruiter_changelist"), {"current": "expired"}
    ).content.decode()
    assert "Lapsed Ltd" in page and "Current Ltd" not in page


def test_officers_can_export_recruiters_as_csv_without_formula_injection(officer_client, db):
    recruiter = RecruiterFactory(legal_name='=HYPERLINK("http://evil") Ltd')
    response = officer_client.post(
        reverse("admin:iris_recruiter_changelist"),
        {"action": "export_csv", "_selected_action": [recruiter.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "legal_name"
    assert rows[1][0].startswith("'=")
    assert rows[1][3] == recruiter.accreditation_number


def test_officers_accept_an_application_from_the_admin(officer_client, db):
    application = ApplicationFactory()
    officer_client.post(
        reverse("admin:iris_application_changelist"),
        {"action": "accept", "_selected_action": [application.pk]},
    )
    application.refresh_from_db()
    assert application.state == Application.State.ACCEPTED
    assert application.recruiter.state == AccreditationState.APPLICANT


def test_officers_refer_a_complaint_through_the_admin(officer_client, db):
    complaint = ComplaintFactory(stage="under_review")
    url = reverse("admin:iris_complaint_refer", args=[complaint.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "authority": "GLAA",
            "country": "GB",
            "referred_on": "2026-01-05",
            "their_reference": "R1",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == "referred"
    bad = officer_client.post(url, {"authority": "", "country": "XX", "referred_on": "soon"})
    assert bad.status_code == 200


def test_an_officer_adds_a_shared_message_and_an_internal_note_in_the_admin(
    officer_client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory()
    url = reverse("admin:iris_complaint_change", args=[complaint.pk])
    data = {
        "transitions-TOTAL_FORMS": 0,
        "transitions-INITIAL_FORMS": 0,
        "referrals-TOTAL_FORMS": 0,
        "referrals-INITIAL_FORMS": 0,
        "additions-TOTAL_FORMS": 0,
        "additions-INITIAL_FORMS": 0,
        "messages-TOTAL_FORMS": 1,
        "messages-INITIAL_FORMS": 0,
        "messages-0-body": "We are looking into it.",
        "messages-0-shared_with_complainant": "on",
        "notes-TOTAL_FORMS": 1,
        "notes-INITIAL_FORMS": 0,
        "notes-0-body": "Internal only.",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    message = complaint.messages.get()
    assert message.shared_with_complainant and message.by.username == "officer"
    assert complaint.notes.get().body == "Internal only."


def test_irisofficers_cannot_delete_complaints(officer, db):
    assert not officer.has_perm("iris.delete_complaint")
    assert officer.has_perm("iris.change_complaint")
    assert officer.has_perm("iris.download_complaintevidence")
