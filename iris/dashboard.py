"""The IRIS officers' panels of the staff workspace (registered in apps.py)."""

from datetime import timedelta

from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomuk.dashboard import Panel, PanelSpec, admin_link, day, drop_empty_columns, moment, month
from iomuk.models import User

from .complaints import selectors as complaints
from .complaints.models import Complaint
from .recruiters import selectors
from .recruiters.models import AccreditationState, Application

TEAM = gettext_lazy("IRIS ethical recruitment")


def complaints_by_month(user: User) -> Panel:
    data = complaints.complaints_by_month_and_stage()
    stages = list(Complaint.Stage)
    rows = [[month(m), *(data["counts"][(m, s.value)] for s in stages)] for m in data["months"]]
    labels, stages, rows = drop_empty_columns([str(s.label) for s in stages], stages, rows)
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
                admin_link("iris_complaint", created_at__gte=moment(data["months"][0])),
            )
        ],
    )


def complaints_by_category(user: User) -> Panel:
    data = complaints.complaints_by_category_and_stage()
    stages = list(Complaint.Stage)
    rows = [
        [name, *(data["counts"].get((code, s.value), 0) for s in stages)]
        for code, name in data["categories"]
    ]
    labels, stages, rows = drop_empty_columns([str(s.label) for s in stages], stages, rows)
    return Panel(
        slug="complaints-by-category",
        title=_("Complaints by category and stage"),
        summary=_("A complaint about several things counts once in each of its categories."),
        headers=[_("Category"), *labels],
        rows=rows,
        totals=True,
        desc=_("One bar per category, split by the stage the complaints are at now."),
        links=[(_("Complaints in the admin"), admin_link("iris_complaint"))],
    )


# The officers' complaint queue (iris-complaints:queue), filtered by its own form's fields.
QUEUE = reverse_lazy("iris-complaints:queue")


def overdue_complaints(user: User) -> Panel:
    data = complaints.complaints_overdue()
    days, months = data["acknowledge_days"], data["answer_months"]
    overdue = data["not_acknowledged"] + data["not_answered"]
    rows = [
        [_("Not acknowledged within %(days)d days") % {"days": days}, data["not_acknowledged"]],
        [
            _("Acknowledged, not answered within %(months)d months") % {"months": months},
            data["not_answered"],
        ],
        [_("Within their deadlines"), data["within"]],
        [_("Someone in danger, not answered yet"), data["in_danger"]],
    ]
    if overdue or data["in_danger"]:
        summary = _(
            "Overdue: %(n)d open complaints are past a deadline. "
            "Someone is in danger in %(danger)d not answered yet."
        ) % {"n": overdue, "danger": data["in_danger"]}
    else:
        summary = _("No open complaint is past a deadline, and none says someone is in danger.")
    return Panel(
        slug="overdue-complaints",
        title=_("Complaints against their deadlines"),
        summary=summary,
        headers=[_("Open complaints"), _("Complaints")],
        rows=rows,
        desc=_(
            "Complaints not answered yet: past the %(days)d-day acknowledgement or the "
            "%(months)d-month answer deadline, within them, and with someone in danger."
        )
        % {"days": days, "months": months},
        links=[
            (_("Overdue complaints"), f"{QUEUE}?overdue=on"),
            (_("Complaints where someone is in danger"), f"{QUEUE}?danger=on"),
        ],
    )


def applications_awaiting(user: User) -> Panel:
    data = selectors.applications_awaiting_review()
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
                admin_link("iris_application", state__exact=Application.State.PENDING),
            )
        ],
    )


def expiring_accreditations(user: User) -> Panel:
    data = selectors.accreditations_expiring()
    rows = [
        [_("In %(first)d to %(last)d days") % {"first": first, "last": last}, n]
        for first, last, n in data["bands"]
    ]
    today = timezone.localdate()
    return Panel(
        slug="expiring-accreditations",
        title=_("Accreditations expiring in the next 60 days"),
        summary=_("%(n)d accreditations end by %(day)s.")
        % {"n": data["total"], "day": day(data["until"])},
        headers=[_("Accreditation ends"), _("Accreditations")],
        rows=rows,
        desc=_("Accredited recruiters grouped by how many days their accreditation has left."),
        links=[
            (
                _("Expiring accreditations in the admin"),
                admin_link(
                    "iris_recruiter",
                    state__exact=AccreditationState.ACCREDITED,
                    valid_until__gte=today,
                    # (the admin's own date filter takes a range that ends the day after)
                    valid_until__lt=data["until"] + timedelta(days=1),
                ),
            ),
            (_("Renew, suspend or withdraw on the staff pages"), reverse("iris-recruiters:list")),
        ],
    )


PANELS = [
    PanelSpec("complaints-by-month", TEAM, "iris.view_complaint", complaints_by_month),
    PanelSpec("complaints-by-category", TEAM, "iris.view_complaint", complaints_by_category),
    PanelSpec("overdue-complaints", TEAM, "iris.view_complaint", overdue_complaints),
    PanelSpec("applications-awaiting", TEAM, "iris.view_application", applications_awaiting),
    PanelSpec("expiring-accreditations", TEAM, "iris.view_recruiter", expiring_accreditations),
]
