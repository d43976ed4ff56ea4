"""The training coordinators' panels of the staff workspace (registered in apps.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomuk.dashboard import Panel, PanelSpec, admin_link, day, drop_empty_columns, moment, month
from iomuk.models import User

from . import selectors

TEAM = gettext_lazy("Training")


def _roll_calls(user: User, sessions: list[dict]) -> list[tuple[str, str]]:
    """A link to the roll call of each session listed, for those who may mark attendance."""
    if not user.has_perm("training.change_booking"):
        return []
    return [
        (
            _("Roll call: %(session)s") % {"session": f"{s['course']}, {day(s['starts_on'])}"},
            reverse("training:attendance", args=[s["slug"]]),
        )
        for s in sessions
    ]


def session_fill(user: User) -> Panel:
    sessions = selectors.upcoming_session_fill()
    rows = [
        [s["course"], day(s["starts_on"]), s["booked"], s["waiting"], s["seats_left"]]
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
                f"{day(s['starts_on'])} · {s['course']}",
                [s["booked"], s["seats_left"], s["waiting"]],
            )
            for s in sessions
        ],
        links=[
            (
                _("Upcoming sessions in the admin"),
                admin_link(
                    "training_session",
                    state__exact="scheduled",
                    starts_at__gte=moment(timezone.now()),
                ),
            ),
            *_roll_calls(user, sessions),
        ],
    )


def bookings_by_sector(user: User) -> Panel:
    data = selectors.bookings_by_sector_by_month()
    keys = [value for value, _label in data["sectors"]]
    labels = [str(label) for _value, label in data["sectors"]]
    rows = [[month(m), *(data["counts"][(m, k)] for k in keys)] for m in data["months"]]
    labels, keys, rows = drop_empty_columns(labels, keys, rows)
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
                admin_link("training_booking", created_at__gte=moment(data["months"][0])),
            )
        ],
    )


def attendance(user: User) -> Panel:
    sessions = selectors.past_session_attendance()
    rows = [
        [
            s["course"],
            day(s["starts_on"]),
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
                f"{day(s['starts_on'])} · {s['course']}",
                [s["attended"], s["absent"], s["unmarked"]],
            )
            for s in sessions
        ],
        links=[
            (
                _("Past sessions in the admin"),
                admin_link("training_session", ends_at__lt=moment(timezone.now())),
            ),
            *_roll_calls(user, sessions),
        ],
    )


def adapted_requests(user: User) -> Panel:
    data = selectors.adapted_requests_awaiting()
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
                admin_link("training_adaptedsessionrequest", state__exact="new"),
            )
        ],
    )


PANELS = [
    PanelSpec("session-fill", TEAM, "training.view_session", session_fill),
    PanelSpec("bookings-by-sector", TEAM, "training.view_booking", bookings_by_sector),
    PanelSpec("attendance", TEAM, "training.view_booking", attendance),
    PanelSpec("adapted-requests", TEAM, "training.view_adaptedsessionrequest", adapted_requests),
]
