"""The staff workspace: each role sees its own panels of figures, as charts, tables and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from iris.complaints.services import complaint_advance, complaint_message_add
from iris.models import AccreditationState, Application, Complaint, ComplaintCategory
from returns.models import CaseTransition, PlanStatus, ReturnCase, Stage
from tests.iris.factories import ApplicationFactory, ComplaintFactory, RecruiterFactory
from tests.returns.factories import ReturnCaseFactory, ReturnPlanItemFactory
from tests.training.factories import BookingFactory, SessionFactory
from training.models import AdaptedSessionRequest, Booking

TRAINING_PANELS = {"session-fill", "bookings-by-sector", "attendance", "adapted-requests"}
RETURNS_PANELS = {
    "cases-by-country",
    "time-in-stage",
    "overdue-plan-items",
    "intake-queue",
    "my-cases",
    "follow-ups-due",
    "follow-ups-reached",
    "follow-up-scores",
}
IRIS_PANELS = {
    "complaints-by-month",
    "complaints-by-category",
    "overdue-complaints",
    "applications-awaiting",
    "expiring-accreditations",
}


def _user(username: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password="a-long-password-1", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _panels_on(html: str) -> set[str]:
    return set(re.findall(r'data-panel="([a-z-]+)"', html))


def _csv(client, slug: str) -> list[list[str]]:
    response = client.get(f"/staff/{slug}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row[0] == label)


# ---------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "panels"),
    [
        (roles.TRAINING_COORDINATORS, TRAINING_PANELS),
        (roles.CASEWORKERS, RETURNS_PANELS),
        (roles.CASE_MANAGERS, RETURNS_PANELS),
        (roles.IRIS_OFFICERS, IRIS_PANELS),
    ],
)
def test_each_role_sees_its_panels_and_no_others(client, db, role, panels):
    client.force_login(_user("someone", role))
    response = client.get("/staff/")
    assert response.status_code == 200
    assert _panels_on(response.content.decode()) == panels


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (roles.TRAINING_COORDINATORS, "session-fill", "cases-by-country"),
        (roles.CASEWORKERS, "intake-queue", "complaints-by-month"),
        (roles.CASE_MANAGERS, "my-cases", "attendance"),
        (roles.IRIS_OFFICERS, "overdue-complaints", "time-in-stage"),
    ],
)
def test_a_panels_csv_follows_the_same_permission(client, db, role, allowed, refused):
    client.force_login(_user("someone", role))
    assert client.get(f"/staff/{allowed}.csv").status_code == 200
    assert client.get(f"/staff/{refused}.csv").status_code == 403


def test_an_administrator_sees_every_panel(client, db):
    client.force_login(_user("root", is_superuser=True, is_staff=True))
    html = client.get("/staff/").content.decode()
    assert _panels_on(html) == TRAINING_PANELS | RETURNS_PANELS | IRIS_PANELS


def test_a_partner_referrer_is_sent_to_their_referrals(client, db):
    client.force_login(_user("partner", roles.PARTNER_REFERRERS))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url == "/returns/referrals/"


def test_an_account_without_a_role_gets_neither_page_nor_csv(client, db):
    client.force_login(_user("nobody"))
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/session-fill.csv").status_code == 403


def test_a_csv_needs_sign_in(client, db):
    response = client.get("/staff/session-fill.csv")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_unknown_panel_is_not_found(client, db):
    client.force_login(_user("root", is_superuser=True))
    assert client.get("/staff/no-such-panel.csv").status_code == 404


def test_caseworkers_get_links_to_their_case_pages(client, db):
    client.force_login(_user("someone", roles.CASEWORKERS))
    html = client.get("/staff/").content.decode()
    for url in ["/returns/cases/", "/returns/referrals/new/", "/returns/referrals/"]:
        assert f'href="{url}"' in html


def test_coordinators_get_no_links_to_case_pages(client, db):
    client.force_login(_user("someone", roles.TRAINING_COORDINATORS))
    html = client.get("/staff/").content.decode()
    assert "/returns/cases/" not in html
    assert "/returns/referrals/" not in html


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------
def test_every_panel_has_an_svg_chart_with_a_text_alternative_and_a_table(client, db):
    client.force_login(_user("root", is_superuser=True, is_staff=True))
    SessionFactory()
    html = client.get("/staff/").content.decode()
    charts = re.findall(r"<svg class=\"dash-chart-svg\"[^>]*>", html)
    assert len(charts) == len(TRAINING_PANELS | RETURNS_PANELS | IRIS_PANELS)
    for tag in charts:
        assert 'role="img"' in tag
        chart_id = re.search(r'aria-labelledby="([\w-]+)-title', tag).group(1)
        assert f'<title id="{chart_id}-title">' in html
        assert f'<desc id="{chart_id}-desc">' in html
    assert html.count("<table") == len(charts)


def test_the_workspace_has_no_inline_style_the_csp_would_block(client, db):
    client.force_login(_user("root", is_superuser=True, is_staff=True))
    BookingFactory()
    html = client.get("/staff/").content.decode()
    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html


# ---------------------------------------------------------------------------
# Training figures
# ---------------------------------------------------------------------------
@pytest.fixture
def coordinator_client(client, db):
    client.force_login(_user("coord", roles.TRAINING_COORDINATORS))
    return client


def test_the_fill_rate_counts_seats_booked_waiting_and_left(coordinator_client):
    session = SessionFactory(capacity=10, course__title="Spotting exploitation")
    BookingFactory.create_batch(3, session=session)
    BookingFactory(
        session=session,
        state=Booking.State.OFFERED,
        offer_expires_at=timezone.now() + timedelta(days=1),
    )
    BookingFactory.create_batch(2, session=session, state=Booking.State.WAITING)
    BookingFactory(session=session, state=Booking.State.CANCELLED)
    rows = _csv(coordinator_client, "session-fill")
    assert rows[0] == ["Session", "Date", "Booked", "Waiting", "Seats left"]
    assert _row(rows, "Spotting exploitation")[2:] == ["4", "2", "6"]


def test_past_and_cancelled_sessions_are_not_upcoming(coordinator_client):
    SessionFactory(course__title="Yesterday's", starts_at=timezone.now() - timedelta(days=1))
    SessionFactory(course__title="Called off", state="cancelled")
    rows = _csv(coordinator_client, "session-fill")
    assert rows[1:] == []


def test_attendance_counts_who_came_of_the_confirmed(coordinator_client):
    session = SessionFactory(
        course__title="Last month's", starts_at=timezone.now() - timedelta(days=30)
    )
    BookingFactory.create_batch(3, session=session, attended=True)
    BookingFactory(session=session, attended=False)
    BookingFactory(session=session, attended=None)
    BookingFactory(session=session, state=Booking.State.CANCELLED)
    rows = _csv(coordinator_client, "attendance")
    # confirmed, attended, did not attend, not marked, rate of those marked
    assert _row(rows, "Last month's")[2:] == ["5", "3", "1", "1", "75"]


def test_bookings_are_counted_by_sector_and_month(coordinator_client):
    now = timezone.now()
    BookingFactory.create_batch(2, sector="police", created_at=now)
    BookingFactory(sector="health", created_at=now)
    BookingFactory(sector="police", created_at=now - timedelta(days=400))  # too old to show
    rows = _csv(coordinator_client, "bookings-by-sector")
    assert rows[0] == ["Month", "Police", "NHS and health", "Total"]
    this_month = timezone.localdate().strftime("%B %Y")
    assert _row(rows, this_month)[1:] == ["2", "1", "3"]


def test_adapted_requests_waiting_are_counted_by_sector(coordinator_client):
    base = {
        "organisation": "Camden Council",
        "contact_name": "Ann Lee",
        "email": "ann@camden.example",
        "people": 12,
        "preferred_dates": "March",
        "format": "online",
        "needs": "For our duty team.",
    }
    AdaptedSessionRequest.objects.create(reference="AR-1", sector="housing", **base)
    AdaptedSessionRequest.objects.create(reference="AR-2", sector="housing", **base)
    AdaptedSessionRequest.objects.create(
        reference="AR-3", sector="police", state="answered", **base
    )
    rows = _csv(coordinator_client, "adapted-requests")
    assert rows[1:] == [["Housing", "2"]]
    html = coordinator_client.get("/staff/").content.decode()
    assert "2 requests waiting for an answer" in html
    assert "Ann Lee" not in html and "Camden Council" not in html


# ---------------------------------------------------------------------------
# Returns figures
# ---------------------------------------------------------------------------
@pytest.fixture
def caseworker(db):
    return _user("cw", roles.CASEWORKERS)


@pytest.fixture
def casemanager(db):
    return _user("cm", roles.CASE_MANAGERS)


def test_cases_are_counted_by_country_and_stage(client, casemanager):
    ReturnCaseFactory.create_batch(2, country="RO", stage=Stage.REFERRED)
    ReturnCaseFactory(country="RO", stage=Stage.APPROVED)
    ReturnCaseFactory(country="BG", stage=Stage.CLOSED)
    client.force_login(casemanager)
    rows = _csv(client, "cases-by-country")
    assert rows[0] == ["Country", "Referred", "Approved", "Closed", "Total"]
    assert _row(rows, "Romania") == ["Romania", "2", "1", "0", "3"]
    assert _row(rows, "Bulgaria") == ["Bulgaria", "0", "0", "1", "1"]


def test_a_caseworker_counts_only_the_cases_they_may_see(client, caseworker):
    colleague = _user("cw2", roles.CASEWORKERS)
    ReturnCaseFactory(country="HU", assigned_caseworker=caseworker)
    ReturnCaseFactory(country="HU")  # the intake queue
    ReturnCaseFactory.create_batch(3, country="HU", assigned_caseworker=colleague)
    client.force_login(caseworker)
    assert _row(_csv(client, "cases-by-country"), "Hungary")[-1] == "2"


def test_the_intake_queue_counts_open_unassigned_cases(client, casemanager):
    ReturnCaseFactory.create_batch(2, country="CZ")
    ReturnCaseFactory(country="CZ", stage=Stage.WITHDRAWN)
    ReturnCaseFactory(country="CZ", assigned_caseworker=casemanager)
    client.force_login(casemanager)
    rows = _csv(client, "intake-queue")
    assert _row(rows, "Czech Republic (Czechia)") == ["Czech Republic (Czechia)", "2"]


def test_overdue_plan_items_are_counted_per_service(client, casemanager):
    yesterday = timezone.localdate() - timedelta(days=1)
    case = ReturnCaseFactory(stage=Stage.APPROVED)
    ReturnPlanItemFactory(case=case, service="flight", due_date=yesterday)
    ReturnPlanItemFactory(case=case, service="shelter", due_date=yesterday, status="in_progress")
    ReturnPlanItemFactory(case=case, service="medical", due_date=yesterday, status="done")
    ReturnPlanItemFactory(case=case, service="psychosocial", due_date=timezone.localdate())
    closed = ReturnCaseFactory(stage=Stage.CLOSED)
    ReturnPlanItemFactory(case=closed, service="flight", due_date=yesterday)
    client.force_login(casemanager)
    rows = _csv(client, "overdue-plan-items")
    assert rows[1:] == [["Flight", "1"], ["Shelter", "1"]]


def _link(html: str, slug: str) -> str:
    panel = html[html.index(f'data-panel="{slug}"') :]
    return re.search(r'<li><a href="(/returns/cases/[^"]*)"', panel).group(1).replace("&amp;", "&")


def _references(html: str) -> set[str]:
    return set(re.findall(r"/returns/cases/(RR-[0-9-]+)/", html))


@pytest.mark.parametrize("who", ["casemanager", "caseworker"])
def test_the_overdue_panel_links_to_exactly_the_cases_it_counts(client, db, request, who):
    user = request.getfixturevalue(who)
    colleague = _user("cw2", roles.CASEWORKERS)
    yesterday = timezone.localdate() - timedelta(days=1)
    mine = ReturnCaseFactory(stage=Stage.APPROVED, assigned_caseworker=user)
    ReturnPlanItemFactory(case=mine, service="flight", due_date=yesterday)
    ReturnPlanItemFactory(case=mine, service="shelter", due_date=yesterday, status="in_progress")
    queued = ReturnCaseFactory()
    ReturnPlanItemFactory(case=queued, service="medical", due_date=yesterday)
    theirs = ReturnCaseFactory(assigned_caseworker=colleague)
    ReturnPlanItemFactory(case=theirs, service="flight", due_date=yesterday)
    done = ReturnCaseFactory()
    ReturnPlanItemFactory(case=done, service="flight", due_date=yesterday, status="done")
    closed = ReturnCaseFactory(stage=Stage.CLOSED)
    ReturnPlanItemFactory(case=closed, service="flight", due_date=yesterday)
    ReturnCaseFactory()
    client.force_login(user)
    expected = {mine.reference, queued.reference}
    if who == "casemanager":
        expected.add(theirs.reference)
    counted = sum(int(row[1]) for row in _csv(client, "overdue-plan-items")[1:])
    link = _link(client.get("/staff/").content.decode(), "overdue-plan-items")
    assert link == "/returns/cases/?overdue=1"
    assert _references(client.get(link).content.decode()) == expected
    assert counted == len(expected) + 1  # the case of mine has two items overdue


def test_an_administrators_my_cases_link_lists_their_cases(client, db):
    admin = _user("root", is_superuser=True, is_staff=True)
    own = ReturnCaseFactory(assigned_caseworker=admin)
    ReturnCaseFactory()
    client.force_login(admin)
    link = _link(client.get("/staff/").content.decode(), "my-cases")
    html = client.get(link).content.decode()
    assert "There is a problem" not in html
    assert _references(html) == {own.reference}


def test_time_in_stage_averages_from_arrival_to_leaving(client, casemanager):
    now = timezone.now()
    for days_at_referred in (2, 4):
        case = ReturnCaseFactory(stage=Stage.ELIGIBILITY_CHECKED)
        arrived = CaseTransition.objects.create(
            case=case, to_stage=Stage.REFERRED, by=casemanager, reason="in"
        )
        moved = CaseTransition.objects.create(
            case=case,
            from_stage=Stage.REFERRED,
            to_stage=Stage.ELIGIBILITY_CHECKED,
            by=casemanager,
            reason="checked",
        )
        CaseTransition.objects.filter(pk=arrived.pk).update(at=now - timedelta(days=10))
        CaseTransition.objects.filter(pk=moved.pk).update(
            at=now - timedelta(days=10 - days_at_referred)
        )
    client.force_login(casemanager)
    rows = _csv(client, "time-in-stage")
    assert _row(rows, "Referred")[1:] == ["3.0", "2"]
    # Both are still at "eligibility checked": counted until now, 8 and 6 days.
    assert _row(rows, "Eligibility checked")[1:] == ["7.0", "2"]


def test_my_cases_needing_action_counts_only_my_open_cases(client, caseworker):
    now = timezone.now()
    overdue = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.APPROVED)
    ReturnPlanItemFactory(
        case=overdue, due_date=timezone.localdate() - timedelta(days=3), status=PlanStatus.TO_DO
    )
    CaseTransition.objects.create(case=overdue, to_stage=Stage.APPROVED, by=caseworker, reason="-")
    standing_still = ReturnCaseFactory(assigned_caseworker=caseworker)
    old = CaseTransition.objects.create(
        case=standing_still, to_stage=Stage.REFERRED, by=caseworker, reason="-"
    )
    CaseTransition.objects.filter(pk=old.pk).update(at=now - timedelta(days=30))
    fine = ReturnCaseFactory(assigned_caseworker=caseworker)
    CaseTransition.objects.create(case=fine, to_stage=Stage.REFERRED, by=caseworker, reason="-")
    ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.CLOSED)
    ReturnCaseFactory()  # unassigned: not mine
    client.force_login(caseworker)
    rows = _csv(client, "my-cases")
    assert [row[1] for row in rows[1:]] == ["3", "1", "1", "2"]


def test_no_names_appear_on_the_dashboard_or_in_its_csv(client, casemanager):
    case = ReturnCaseFactory(
        full_name="Ilinca Vasilescu", preferred_name="Ilinca", assigned_caseworker=casemanager
    )
    ReturnPlanItemFactory(case=case, due_date=timezone.localdate() - timedelta(days=2))
    client.force_login(casemanager)
    html = client.get("/staff/").content.decode()
    assert "Ilinca" not in html and case.reference not in html
    assert "Alex Referrer" not in html  # the referrer's name
    for slug in RETURNS_PANELS:
        body = client.get(f"/staff/{slug}.csv").content.decode()
        assert "Ilinca" not in body and case.reference not in body


# ---------------------------------------------------------------------------
# IRIS figures
# ---------------------------------------------------------------------------
@pytest.fixture
def officer_client(client, db):
    client.force_login(_user("officer", roles.IRIS_OFFICERS, is_staff=True))
    return client


def _complaint_received(days_ago: int, **extra) -> Complaint:
    complaint = ComplaintFactory(**extra)
    Complaint.objects.filter(pk=complaint.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return complaint


def test_complaints_past_their_deadlines_are_flagged(officer_client, settings):
    settings.IRIS_ACKNOWLEDGE_DAYS = 7
    settings.IRIS_ANSWER_MONTHS = 3
    officer = User.objects.get(username="officer")
    _complaint_received(8)  # not acknowledged in 7 days
    _complaint_received(9, in_danger=True)  # the same, and someone is in danger
    written_to = _complaint_received(10)  # a message to the complainant acknowledges it
    complaint_message_add(
        complaint=written_to, shared_with_complainant=True, by=officer, body="We have it."
    )
    late_answer = _complaint_received(100)  # acknowledged, not answered in 3 months
    complaint_advance(complaint=late_answer, to_stage="under_review", by=officer)
    closed = _complaint_received(100, in_danger=True)  # answered: no longer counted
    complaint_advance(complaint=closed, to_stage="closed", by=officer)
    _complaint_received(1)  # within its deadlines
    rows = _csv(officer_client, "overdue-complaints")
    assert rows[1:] == [
        ["Not acknowledged within 7 days", "2"],
        ["Acknowledged, not answered within 3 months", "1"],
        ["Within their deadlines", "2"],
        ["Someone in danger, not answered yet", "1"],
    ]
    html = officer_client.get("/staff/").content.decode()
    assert "Overdue: 3 open complaints are past a deadline." in html
    # The panel opens the officers' queue filtered to the overdue ones.
    assert 'href="/staff/iris/complaints/?overdue=on"' in html


def test_the_deadlines_are_settings(officer_client, settings):
    settings.IRIS_ACKNOWLEDGE_DAYS = 30
    _complaint_received(20)
    rows = _csv(officer_client, "overdue-complaints")
    assert rows[1] == ["Not acknowledged within 30 days", "0"]
    assert "No open complaint is past a deadline" in officer_client.get("/staff/").content.decode()


def test_complaints_are_counted_by_month_and_current_stage(officer_client):
    ComplaintFactory.create_batch(2)
    ComplaintFactory(stage=Complaint.Stage.REFERRED)
    rows = _csv(officer_client, "complaints-by-month")
    assert rows[0] == ["Month received", "Received", "Referred to an authority", "Total"]
    this_month = timezone.localdate().strftime("%B %Y")
    assert _row(rows, this_month)[1:] == ["2", "1", "3"]


def test_complaints_are_counted_by_category(officer_client):
    fees, threats = ComplaintCategory.objects.filter(code__in=["fees", "threats"]).order_by("code")
    both = ComplaintFactory()
    both.categories.set([fees, threats])
    ComplaintFactory().categories.set([fees])
    rows = _csv(officer_client, "complaints-by-category")
    assert _row(rows, fees.name)[-1] == "2"
    assert _row(rows, threats.name)[-1] == "1"


def test_applications_awaiting_review_are_counted(officer_client):
    ApplicationFactory.create_batch(2)
    ApplicationFactory(organisation_type=Application.OrgType.EMPLOYER)
    ApplicationFactory(state=Application.State.ACCEPTED)
    rows = _csv(officer_client, "applications-awaiting")
    assert _row(rows, "Recruiter or labour provider")[1] == "2"
    assert _row(rows, "Employer")[1] == "1"


def test_accreditations_expiring_within_60_days_are_counted_by_days_left(officer_client):
    today = timezone.localdate()
    for days in (3, 20, 45, 90, -5):
        RecruiterFactory(valid_until=today + timedelta(days=days))
    RecruiterFactory(valid_until=today + timedelta(days=10), state=AccreditationState.SUSPENDED)
    rows = _csv(officer_client, "expiring-accreditations")
    assert [row[1] for row in rows[1:]] == ["1", "1", "1"]
    html = officer_client.get("/staff/").content.decode()
    assert "Fair Work Recruiter" not in html


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------
def _world(n: int, staff: User) -> None:
    today = timezone.localdate()
    for i in range(n):
        upcoming = SessionFactory()
        past = SessionFactory(starts_at=timezone.now() - timedelta(days=10 + i))
        BookingFactory.create_batch(2, session=upcoming)
        BookingFactory(session=upcoming, state=Booking.State.WAITING)
        BookingFactory.create_batch(2, session=past, attended=True)
        case = ReturnCaseFactory(assigned_caseworker=staff if i % 2 else None)
        CaseTransition.objects.create(case=case, to_stage=Stage.REFERRED, by=staff, reason="-")
        ReturnPlanItemFactory(case=case, due_date=today - timedelta(days=1))
        ComplaintFactory(recruiter=RecruiterFactory(valid_until=today + timedelta(days=20)))
        ApplicationFactory()


def test_the_number_of_queries_stays_the_same_as_the_data_grows_tenfold(client, db):
    admin = _user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    _world(2, admin)
    client.get("/staff/")  # warm the session and permission caches alike
    with CaptureQueriesContext(connection) as small:
        assert client.get("/staff/").status_code == 200
    _world(18, admin)
    assert ReturnCase.objects.count() == 20
    with CaptureQueriesContext(connection) as large:
        assert client.get("/staff/").status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]


def test_every_panel_link_opens_the_list_behind_it(client, db):
    admin = _user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    _world(1, admin)
    html = client.get("/staff/").content.decode()
    links = set(re.findall(r'<li><a href="(/(?:admin|returns)/[^"]*)"', html))
    assert len(links) >= 10
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "?e=1" not in response.request["QUERY_STRING"], link  # admin: a refused filter
