"""Every CSV the portal serves makes a hostile cell plain text: a spreadsheet runs a cell that
starts with = + - @, a tab or a carriage return as a formula. Someone who books a seat, applies
or names a recruiter writes what staff later open in a spreadsheet, email addresses included."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from iomuk.csv_export import csv_cell
from iomuk.models import User
from tests.iris.factories import RecruiterFactory
from tests.returns.factories import ReturnCaseFactory
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def staff(client):
    user = User.objects.create_user(
        "root", password="a-long-password-1", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (cell, row)


@pytest.fixture
def hostile_booking():
    session = SessionFactory(course=CourseFactory(title='=HYPERLINK("http://evil.example")'))
    return BookingFactory(
        session=session,
        name="@SUM(1+1)",
        email="=cmd@example.org",
        organisation="+1+1",
        job_title="-2+3",
        requirements="\t=1+1",
    )


def test_the_attendee_list_makes_a_hostile_email_plain_text(staff, hostile_booking):
    url = reverse("training:attendees-csv", args=[hostile_booking.session.slug])
    rows = _rows(staff.get(url))
    _assert_no_formula(rows)
    email = rows[0].index("email")
    assert rows[1][email] == "'=cmd@example.org"
    assert rows[1][rows[0].index("name")] == "'@SUM(1+1)"


def test_the_admins_attendee_export_makes_hostile_cells_plain_text(staff, hostile_booking):
    response = staff.post(
        "/admin/training/session/",
        {"action": "export_attendees", "_selected_action": [hostile_booking.session.pk]},
    )
    rows = _rows(response)
    _assert_no_formula(rows)
    assert "'=cmd@example.org" in rows[1]


def test_the_recruiter_export_makes_a_name_starting_with_a_tab_plain_text(staff):
    recruiter = RecruiterFactory(legal_name="\t=1+1 Recruiting Ltd")
    response = staff.post(
        reverse("admin:iris_recruiter_changelist"),
        {"action": "export_csv", "_selected_action": [recruiter.pk]},
    )
    rows = _rows(response)
    _assert_no_formula(rows)
    assert rows[1][0] == "'\t=1+1 Recruiting Ltd"


def test_a_staff_panel_csv_makes_a_hostile_course_title_plain_text(staff, hostile_booking):
    rows = _rows(staff.get("/staff/session-fill.csv"))
    _assert_no_formula(rows)
    assert rows[1][0] == """'=HYPERLINK("http://evil.example")"""


def test_the_case_figures_export_is_served_the_same_way(staff):
    case = ReturnCaseFactory()
    response = staff.post(
        "/admin/returns/returncase/",
        {"action": "export_figures", "_selected_action": [case.pk]},
    )
    rows = _rows(response)
    _assert_no_formula(rows)
    assert rows == [["country", "stage", "cases"], [case.country, case.stage, "1"]]


def test_the_helper_leaves_plain_values_alone():
    assert csv_cell("Camden Council") == "Camden Council"
    assert csv_cell("ana@example.org") == "ana@example.org"
    assert csv_cell(-3) == -3  # a number is not a formula
    assert csv_cell(None) == ""
    for start in FORMULA_STARTS:
        assert csv_cell(f"{start}x") == f"'{start}x"


def test_no_export_writes_csv_by_itself():
    # One helper for every export: a copy of its own drifts apart from it.
    allowed = Path(settings.BASE_DIR) / "iomuk" / "csv_export.py"
    for app in ("iomuk", "training", "returns", "iris"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path == allowed:
                continue
            text = path.read_text()
            assert "csv.writer" not in text and "text/csv" not in text, path
