import csv
import io

from django.urls import reverse
from django.utils import timezone

from iomuk.models import User
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


def test_officers_can_suspend_an_accreditation_from_the_admin(officer_client, db):
    recruiter = RecruiterFactory()
    response = officer_client.post(
        reverse("admin:iris_recruiter_changelist"),
        {"action": "suspend_accreditation", "_selected_action": [recruiter.pk]},
        follow=True,
    )
    assert response.status_code == 200
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.SUSPENDED


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


def test_officers_can_suspend_from_the_recruiters_own_admin_page(officer_client, db):
    recruiter = RecruiterFactory()
    change = officer_client.get(reverse("admin:iris_recruiter_change", args=[recruiter.pk]))
    url = reverse("admin:iris_recruiter_suspend", args=[recruiter.pk])
    assert url in change.content.decode()
    assert "Yes, suspend" in officer_client.get(url).content.decode()
    officer_client.post(url)
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.SUSPENDED
    officer_client.post(url)  # again: a plain message, not an error
    assert officer_client.get(url).status_code == 200


def test_other_staff_cannot_suspend(client, db):
    recruiter = RecruiterFactory()
    other = User.objects.create_user("coordinator", password="x-long-password-1", is_staff=True)
    client.force_login(other)
    client.post(reverse("admin:iris_recruiter_suspend", args=[recruiter.pk]))
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.ACCREDITED
