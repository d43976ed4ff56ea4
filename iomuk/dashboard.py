"""The panels of the staff workspace: which role sees which figures, as a chart, a table and a CSV.

A panel shows counts only: no names of people or organisations, so its page and its CSV can
be read over a shoulder or forwarded without exposing anyone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iris import selectors as iris_selectors
from iris.models import AccreditationState, Application, Complaint
from returns import selectors as returns_selectors
from returns.models import CLOSED_STAGES, Country, Service, Stage
from training import selectors as training_selectors

from .charts import Chart, stacked_bars


@dataclass
class Panel:
    """A panel's summary, its table, and a chart of the same figures under the panel's title.

    The chart has a bar per row of the table (the first cell its label, the others the series
    named by the headers) unless `bars` and `series` say otherwise; `totals` adds a Total column
    to the table, not to the chart.
    """

    slug: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list]
    desc: str  # what the chart shows, for a screen reader
    links: list[tuple[str, str]] = field(default_factory=list)
    series: list[str] | None = None
    bars: list[tuple[str, list[int]]] | None = None
    colours: list[int] | None = None
    totals: bool = False
    chart: Chart = field(init=False)

    def __post_init__(self):
        self.chart = stacked_bars(
            id=f"chart-{self.slug}",
            title=self.title,
            desc=self.desc,
            series=self.headers[1:] if self.series is None else self.series,
            rows=[(row[0], row[1:]) for row in self.rows] if self.bars is None else self.bars,
            colours=self.colours,
        )
        if self.totals:
            self.headers = [*self.headers, _("Total")]
            self.rows = [[*row, sum(row[1:])] for row in self.rows]


@dataclass
class PanelSpec:
    slug: str
    team: str
    permission: str
    build: Callable[[User], Panel]


def _day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def _month(value: date) -> str:
    return formats.date_format(value, "F Y")


def _admin(name: str, **filters) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _moment(value: date | datetime) -> str:
    """A point in time for an admin filter: aware, so the admin compares it in the right zone."""
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return value.replace(microsecond=0).isoformat()


def _drop_empty_columns(headers: list[str], keys: list, rows: list[list]):
    """Leave out the series (columns after the label) that are zero in every row."""
    keep = [i for i in range(len(keys)) if any(row[1 + i] for row in rows)]
    return (
        [headers[i] for i in keep],
        [keys[i] for i in keep],
        [[row[0], *(row[1 + i] for i in keep)] for row in rows],
    )


# ---------------------------------------------------------------------------
# Training coordinators
# ---------------------------------------------------------------------------
def _roll_calls(user: User, sessions: list[dict]) -> list[tuple[str, str]]:
    """A link to the roll call of each session listed, for those who may mark attendance."""
    if not user.has_perm("training.change_booking"):
        return []
    return [
        (
            _("Roll call: %(session)s") % {"session": f"{s['course']}, {_day(s['starts_on'])}"},
            reverse("training:attendance", args=[s["slug"]]),
        )
        for s in sessions
    ]


def session_fill(user: User) -> Panel:
    sessions = training_selectors.upcoming_session_fill()
    rows = [
        [s["course"], _day(s["starts_on"]), s["booked"], s["waiting"], s["seats_left"]]
        for s in sessions
    ]
    full = sum(1 for s in sessions if not s["seats_left"])
    return Panel(
        slug="session-fill",
        title=_("Fill rate of upcoming sessions"),
        summary=_("%(n)d upcoming sessions shown; %(full)d full.") % {"n": len(rows), "full": full},
        headers=[_("Session"), _("Date"), _("Booked"), _("Waiting"), _("Seats left")],
        rows=rows,
        desc=_("One bar per session: seats booked, seats left, and people on the waiting list."),
        series=[_("Booked"), _("Seats left"), _("Waiting")],
        colours=[0, 8, 1],
        bars=[
            (
                f"{_day(s['starts_on'])} · {s['course']}",
                [s["booked"], s["seats_left"], s["waiting"]],
            )
            for s in sessions
        ],
        links=[
            (
                _("Upcoming sessions in the admin"),
                _admin(
                    "training_session",
                    state__exact="scheduled",
                    starts_at__gte=_moment(timezone.now()),
                ),
            ),
            *_roll_calls(user, sessions),
        ],
    )


def bookings_by_sector(user: User) -> Panel:
    data = training_selectors.bookings_by_sector_by_month()
    keys = [value for value, _label in data["sectors"]]
    labels = [str(label) for _value, label in data["sectors"]]
    rows = [[_month(m), *(data["counts"][(m, k)] for k in keys)] for m in data["months"]]
    labels, keys, rows = _drop_empty_columns(labels, keys, rows)
    total = sum(sum(row[1:]) for row in rows)
    return Panel(
        slug="bookings-by-sector",
        title=_("Bookings by sector by month"),
        summary=_("%(n)d bookings made in the last %(months)d months.")
        % {"n": total, "months": len(data["months"])},
        headers=[_("Month"), *labels],
        rows=rows,
        totals=True,
        desc=_("One bar per month, split by the sector of the people who booked."),
        links=[
            (
                _("Bookings in the admin"),
                _admin("training_booking", created_at__gte=_moment(data["months"][0])),
            )
        ],
    )


def attendance(user: User) -> Panel:
    sessions = training_selectors.past_session_attendance()
    rows = [
        [
            s["course"],
            _day(s["starts_on"]),
            s["confirmed"],
            s["attended"],
            s["absent"],
            s["unmarked"],
            "" if s["rate"] is None else s["rate"],
        ]
        for s in sessions
    ]
    attended = sum(s["attended"] for s in sessions)
    marked = attended + sum(s["absent"] for s in sessions)
    return Panel(
        slug="attendance",
        title=_("Attendance at past sessions"),
        summary=_("%(rate)s of the confirmed attendees marked at the last %(n)d sessions came.")
        % {"rate": f"{round(100 * attended / marked)}%" if marked else "–", "n": len(rows)},
        headers=[
            _("Session"),
            _("Date"),
            _("Confirmed"),
            _("Attended"),
            _("Did not attend"),
            _("Not marked"),
            _("Attendance rate (%)"),
        ],
        rows=rows,
        desc=_("One bar per session: attended, did not attend, and attendance not marked."),
        series=[_("Attended"), _("Did not attend"), _("Not marked")],
        colours=[2, 5, 8],
        bars=[
            (
                f"{_day(s['starts_on'])} · {s['course']}",
                [s["attended"], s["absent"], s["unmarked"]],
            )
            for s in sessions
        ],
        links=[
            (
                _("Past sessions in the admin"),
                _admin("training_session", ends_at__lt=_moment(timezone.now())),
            ),
            *_roll_calls(user, sessions),
        ],
    )


def adapted_requests(user: User) -> Panel:
    data = training_selectors.adapted_requests_awaiting()
    rows = [[str(label), n] for label, n in data["by_sector"]]
    if data["oldest_days"] is None:
        summary = _("No request for an adapted session is waiting for an answer.")
    else:
        summary = _("%(n)d requests waiting for an answer; the oldest came %(days)d days ago.") % {
            "n": data["total"],
            "days": data["oldest_days"],
        }
    return Panel(
        slug="adapted-requests",
        title=_("Adapted-session requests awaiting an answer"),
        summary=summary,
        headers=[_("Sector"), _("Requests")],
        rows=rows,
        desc=_("One bar per sector: the requests not answered yet."),
        links=[
            (
                _("Requests awaiting an answer in the admin"),
                _admin("training_adaptedsessionrequest", state__exact="new"),
            )
        ],
    )


# ---------------------------------------------------------------------------
# Caseworkers and case managers
# ---------------------------------------------------------------------------
def cases_by_country(user: User) -> Panel:
    counts = returns_selectors.cases_by_country_and_stage(user=user)
    stages = list(Stage)
    rows = [[str(c.label), *(counts.get((c.value, s.value), 0) for s in stages)] for c in Country]
    labels, stages, rows = _drop_empty_columns([str(s.label) for s in stages], stages, rows)
    open_cases = sum(n for (_c, stage), n in counts.items() if stage not in CLOSED_STAGES)
    return Panel(
        slug="cases-by-country",
        title=_("Cases by country of return and stage"),
        summary=_("%(open)d open cases of %(all)d.")
        % {"open": open_cases, "all": sum(counts.values())},
        headers=[_("Country"), *labels],
        rows=rows,
        totals=True,
        desc=_("One bar per country of return, split by the stage the cases are at."),
        links=[(_("The case list"), reverse("returns:case-list"))],
    )


def time_in_stage(user: User) -> Panel:
    data = returns_selectors.time_in_stage(user=user)
    open_stages = [s for s in Stage if s not in CLOSED_STAGES]
    rows = [
        [str(s.label), data[s]["average_days"], data[s]["stays"]] for s in open_stages if s in data
    ]
    return Panel(
        slug="time-in-stage",
        title=_("Time spent in each stage"),
        summary=_(
            "Average days from a case reaching a stage to leaving it (or until today if it is "
            "still there)."
        ),
        headers=[_("Stage"), _("Average days"), _("Times a case was at this stage")],
        rows=rows,
        desc=_("One bar per stage: the average number of days a case spends there."),
        series=[_("Average days")],
        bars=[(row[0], [row[1]]) for row in rows],
        links=[(_("The case list"), reverse("returns:case-list"))],
    )


def overdue_plan_items(user: User) -> Panel:
    data = returns_selectors.plan_items_overdue(user=user)
    rows = [[str(s.label), data[s]] for s in Service if s in data]
    return Panel(
        slug="overdue-plan-items",
        title=_("Return-plan items overdue"),
        summary=_("%(n)d return-plan items of open cases are past their due date.")
        % {"n": sum(data.values())},
        headers=[_("Service"), _("Overdue items")],
        rows=rows,
        desc=_("One bar per service: the items past their due date and not done."),
        links=[
            (
                _("Cases with an item overdue in the case list"),
                f"{reverse('returns:case-list')}?{urlencode({'overdue': 1})}",
            )
        ],
    )


def intake_queue(user: User) -> Panel:
    data = returns_selectors.intake_queue(user=user)
    rows = [[str(c.label), data["by_country"].get(c.value, 0)] for c in Country]
    if data["oldest_days"] is None:
        summary = _("No case is waiting to be assigned.")
    else:
        summary = _("%(n)d cases waiting to be assigned; the oldest for %(days)d days.") % {
            "n": data["total"],
            "days": data["oldest_days"],
        }
    return Panel(
        slug="intake-queue",
        title=_("The intake queue"),
        summary=summary,
        headers=[_("Country"), _("Unassigned cases")],
        rows=rows,
        desc=_("One bar per country of return: open cases nobody is assigned to yet."),
        links=[
            (
                _("Unassigned cases in the case list"),
                f"{reverse('returns:case-list')}?{urlencode({'caseworker': 'none'})}",
            )
        ],
    )


def my_cases(user: User) -> Panel:
    data = returns_selectors.my_cases_needing_action(user=user)
    rows = [
        [_("Open cases assigned to you"), data["open"]],
        [_("With a return-plan item overdue"), data["overdue"]],
        [
            _("No stage move for %(days)d days") % {"days": returns_selectors.STALE_AFTER_DAYS},
            data["stale"],
        ],
        [_("Needing action (either of the two)"), data["needing_action"]],
    ]
    return Panel(
        slug="my-cases",
        title=_("My cases needing action"),
        summary=_("%(n)d of your %(open)d open cases need action.")
        % {"n": data["needing_action"], "open": data["open"]},
        headers=[_("Figure"), _("Cases")],
        rows=rows,
        desc=_("Your open cases, those with an overdue plan item, and those standing still."),
        links=[
            (
                _("My cases in the case list"),
                f"{reverse('returns:case-list')}?{urlencode({'caseworker': user.pk})}",
            )
        ],
    )


# ---------------------------------------------------------------------------
# IRIS officers
# ---------------------------------------------------------------------------
def complaints_by_month(user: User) -> Panel:
    data = iris_selectors.complaints_by_month_and_stage()
    stages = list(Complaint.Stage)
    rows = [[_month(m), *(data["counts"][(m, s.value)] for s in stages)] for m in data["months"]]
    labels, stages, rows = _drop_empty_columns([str(s.label) for s in stages], stages, rows)
    return Panel(
        slug="complaints-by-month",
        title=_("Complaints received by month and stage"),
        summary=_("%(n)d complaints received in the last %(months)d months.")
        % {"n": sum(sum(row[1:]) for row in rows), "months": len(data["months"])},
        headers=[_("Month received"), *labels],
        rows=rows,
        totals=True,
        desc=_("One bar per month received, split by the stage the complaints are at now."),
        links=[
            (
                _("Complaints in the admin"),
                _admin("iris_complaint", created_at__gte=_moment(data["months"][0])),
            )
        ],
    )


def complaints_by_category(user: User) -> Panel:
    data = iris_selectors.complaints_by_category_and_stage()
    stages = list(Complaint.Stage)
    rows = [
        [name, *(data["counts"].get((code, s.value), 0) for s in stages)]
        for code, name in data["categories"]
    ]
    labels, stages, rows = _drop_empty_columns([str(s.label) for s in stages], stages, rows)
    return Panel(
        slug="complaints-by-category",
        title=_("Complaints by category and stage"),
        summary=_("A complaint about several things counts once in each of its categories."),
        headers=[_("Category"), *labels],
        rows=rows,
        totals=True,
        desc=_("One bar per category, split by the stage the complaints are at now."),
        links=[(_("Complaints in the admin"), _admin("iris_complaint"))],
    )


def unacknowledged_complaints(user: User) -> Panel:
    data = iris_selectors.complaints_unacknowledged()
    days = data["working_days"]
    rows = [
        [_("Past the deadline of %(days)d working days") % {"days": days}, data["overdue"]],
        [_("Of which someone is in danger"), data["overdue_in_danger"]],
        [_("Still within the deadline"), data["within"]],
    ]
    return Panel(
        slug="unacknowledged-complaints",
        title=_("Complaints not acknowledged in time"),
        summary=_(
            "%(n)d complaints still at Received after %(days)d working days (weekends skipped)."
        )
        % {"n": data["overdue"], "days": days},
        headers=[_("Complaints at Received"), _("Complaints")],
        rows=rows,
        desc=_("Complaints not yet acknowledged: past the deadline, and still within it."),
        links=[
            (
                _("Late complaints in the admin"),
                _admin(
                    "iris_complaint",
                    stage__exact=Complaint.Stage.RECEIVED,
                    created_at__lt=_moment(data["cutoff"]),
                ),
            )
        ],
    )


def applications_awaiting(user: User) -> Panel:
    data = iris_selectors.applications_awaiting_review()
    rows = [[str(t.label), data["by_type"].get(t.value, 0)] for t in Application.OrgType]
    if data["oldest_days"] is None:
        summary = _("No application is waiting for review.")
    else:
        summary = _("%(n)d applications waiting for review; the oldest for %(days)d days.") % {
            "n": data["total"],
            "days": data["oldest_days"],
        }
    return Panel(
        slug="applications-awaiting",
        title=_("Applications awaiting review"),
        summary=summary,
        headers=[_("Type of organisation"), _("Applications")],
        rows=rows,
        desc=_("One bar per type of organisation: applications waiting for a decision."),
        links=[
            (
                _("Applications awaiting review in the admin"),
                _admin("iris_application", state__exact=Application.State.PENDING),
            )
        ],
    )


def expiring_accreditations(user: User) -> Panel:
    data = iris_selectors.accreditations_expiring()
    rows = [
        [_("In %(first)d to %(last)d days") % {"first": first, "last": last}, n]
        for first, last, n in data["bands"]
    ]
    today = timezone.localdate()
    return Panel(
        slug="expiring-accreditations",
        title=_("Accreditations expiring in the next 60 days"),
        summary=_("%(n)d accreditations end by %(day)s.")
        % {"n": data["total"], "day": _day(data["until"])},
        headers=[_("Accreditation ends"), _("Accreditations")],
        rows=rows,
        desc=_("Accredited members grouped by how many days their accreditation has left."),
        links=[
            (
                _("Expiring accreditations in the admin"),
                _admin(
                    "iris_recruiter",
                    state__exact=AccreditationState.ACCREDITED,
                    valid_until__gte=today,
                    # (the admin's own date filter takes a range that ends the day after)
                    valid_until__lt=data["until"] + timedelta(days=1),
                ),
            )
        ],
    )


TRAINING = gettext_lazy("Training")
RETURNS = gettext_lazy("Return and reintegration")
IRIS = gettext_lazy("IRIS ethical recruitment")

PANELS = [
    PanelSpec("session-fill", TRAINING, "training.view_session", session_fill),
    PanelSpec("bookings-by-sector", TRAINING, "training.view_booking", bookings_by_sector),
    PanelSpec("attendance", TRAINING, "training.view_booking", attendance),
    PanelSpec(
        "adapted-requests", TRAINING, "training.view_adaptedsessionrequest", adapted_requests
    ),
    PanelSpec("cases-by-country", RETURNS, "returns.view_returncase", cases_by_country),
    PanelSpec("time-in-stage", RETURNS, "returns.view_casetransition", time_in_stage),
    PanelSpec("overdue-plan-items", RETURNS, "returns.view_returnplanitem", overdue_plan_items),
    PanelSpec("intake-queue", RETURNS, "returns.view_returncase", intake_queue),
    PanelSpec("my-cases", RETURNS, "returns.view_returncase", my_cases),
    PanelSpec("complaints-by-month", IRIS, "iris.view_complaint", complaints_by_month),
    PanelSpec("complaints-by-category", IRIS, "iris.view_complaint", complaints_by_category),
    PanelSpec("unacknowledged-complaints", IRIS, "iris.view_complaint", unacknowledged_complaints),
    PanelSpec("applications-awaiting", IRIS, "iris.view_application", applications_awaiting),
    PanelSpec("expiring-accreditations", IRIS, "iris.view_recruiter", expiring_accreditations),
]
PANELS_BY_SLUG = {spec.slug: spec for spec in PANELS}


def panels_for(user: User) -> list[PanelSpec]:
    """The panels the user's roles allow, in the workspace's order."""
    return [spec for spec in PANELS if user.has_perm(spec.permission)]
