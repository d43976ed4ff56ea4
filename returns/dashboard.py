"""The caseworkers' and case managers' panels of the staff workspace (registered in apps.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomuk.dashboard import Panel, PanelSpec, drop_empty_columns
from iomuk.models import User

from . import selectors
from .models import CLOSED_STAGES, Country, Service, Stage

TEAM = gettext_lazy("Return and reintegration")


def cases_by_country(user: User) -> Panel:
    counts = selectors.cases_by_country_and_stage(user=user)
    stages = list(Stage)
    rows = [[str(c.label), *(counts.get((c.value, s.value), 0) for s in stages)] for c in Country]
    labels, stages, rows = drop_empty_columns([str(s.label) for s in stages], stages, rows)
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
    data = selectors.time_in_stage(user=user)
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
    data = selectors.plan_items_overdue(user=user)
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
    data = selectors.intake_queue(user=user)
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
                _("The intake queue in the case list"),
                f"{reverse('returns:case-list')}?{urlencode({'caseworker': 'none'})}",
            )
        ],
    )


def my_cases(user: User) -> Panel:
    data = selectors.my_cases_needing_action(user=user)
    rows = [
        [_("Open cases assigned to you"), data["open"]],
        [_("With a return-plan item overdue"), data["overdue"]],
        [
            _("No stage move for %(days)d days") % {"days": selectors.STALE_AFTER_DAYS},
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
                # Open cases only, as the figure counts them.
                f"{reverse('returns:case-list')}?"
                f"{urlencode({'caseworker': user.pk, 'stage': selectors.OPEN})}",
            )
        ],
    )


PANELS = [
    PanelSpec("cases-by-country", TEAM, "returns.view_returncase", cases_by_country),
    PanelSpec("time-in-stage", TEAM, "returns.view_casetransition", time_in_stage),
    PanelSpec("overdue-plan-items", TEAM, "returns.view_returnplanitem", overdue_plan_items),
    PanelSpec("intake-queue", TEAM, "returns.view_returncase", intake_queue),
    PanelSpec("my-cases", TEAM, "returns.view_returncase", my_cases),
]
