"""The change history of complaints and accreditations."""

import pytest
from django.db import connection

from iomuk.models import User
from iris.complaints.services import complaint_advance
from iris.models import AccreditationState
from iris.recruiters.services import accreditations_expire

from .factories import ComplaintFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def test_an_officer_moving_a_complaint_is_recorded(officer):
    complaint = ComplaintFactory()
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    latest = complaint.history.first()
    assert latest.stage == "under_review"
    assert latest.prev_record.stage == "received"


def test_an_officer_moving_a_complaint_in_the_staff_pages_is_recorded_as_them(
    officer_client, officer
):
    complaint = ComplaintFactory()
    officer_client.post(
        f"/staff/iris/complaints/{complaint.reference}/move/",
        {"from_stage": "received", "to_stage": "under_review"},
    )
    latest = complaint.history.first()
    assert (latest.stage, latest.history_user) == ("under_review", officer)


def test_the_complaint_history_is_encrypted_in_the_database(db):
    complaint = ComplaintFactory(description="They kept my passport.", name="Maria Ionescu")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, name, email FROM iris_historicalcomplaint WHERE id = %s",
            [complaint.pk],
        )
        (row,) = cursor.fetchall()
    assert all(value.startswith("gAAAA") for value in row)
    assert "passport" not in "".join(row) and "Maria" not in "".join(row)


def test_expired_accreditations_are_in_the_history(db):
    recruiter = RecruiterFactory(lapsed=True)
    assert accreditations_expire() == 1
    latest = recruiter.history.first()
    assert latest.state == AccreditationState.EXPIRED
    assert latest.history_change_reason == "accreditation date passed"


def test_an_officer_cannot_read_complaint_history_but_an_administrator_can(officer_client, client):
    complaint = ComplaintFactory()
    url = f"/admin/iris/complaint/{complaint.pk}/history/"
    assert officer_client.get(url).status_code == 403
    client.force_login(User.objects.create_superuser("root", password="x" * 14))
    page = client.get(url)
    assert page.status_code == 200 and "Revert" not in page.text
