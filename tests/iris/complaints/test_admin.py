"""The complaints admin is data administration only: it shows, it never writes what the
officers' services own (their work is in the staff pages)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from iomuk.models import AccessLog, User
from iris.complaints.services import complaint_submit
from iris.models import ComplaintEvidence

from ..factories import ComplaintFactory, RecruiterFactory

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


def test_irisofficers_cannot_delete_complaints(officer, db):
    assert not officer.has_perm("iris.delete_complaint")
    assert officer.has_perm("iris.change_complaint")
    assert officer.has_perm("iris.download_complaintevidence")


def test_the_admin_offers_no_way_to_write_to_the_complainant_or_move_a_stage(officer_client, db):
    complaint = ComplaintFactory()
    page = officer_client.get(reverse("admin:iris_complaint_change", args=[complaint.pk])).text
    assert 'name="messages-0-body"' not in page  # the silent "Messages" box is gone
    assert 'name="notes-0-body"' not in page
    assert 'name="_save"' not in page
    assert reverse("iris-complaints:detail", args=[complaint.reference]) in page
    for name in ("move", "message", "match", "refer"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:iris_complaint_{name}", args=[complaint.pk])


def test_a_message_posted_to_the_admin_is_not_saved(officer_client, db):
    complaint = ComplaintFactory()
    url = reverse("admin:iris_complaint_change", args=[complaint.pk])
    data = {
        "messages-TOTAL_FORMS": 1,
        "messages-INITIAL_FORMS": 0,
        "messages-0-body": "We are looking into it.",
    }
    assert officer_client.post(url, data).status_code == 403
    assert not complaint.messages.exists()
