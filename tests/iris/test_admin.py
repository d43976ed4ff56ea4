import csv
import io

from django.urls import reverse
from django.utils import timezone

from iris.models import AccreditationState, Application

from .factories import ApplicationFactory, ComplaintFactory, RecruiterFactory


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
