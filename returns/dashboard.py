"""The caseworkers' and case managers' panels of the staff workspace (registered in apps.py)."""

from datetime import timedelta
from statistics import median
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomuk.dashboard import Panel, PanelSpec, drop_empty_columns
from iomuk.models import User

from . import selectors, services
from .models import CLOSED_STAGES, Country, Dimension, Service, Stage

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


def follow_ups_due(user: User) -> Panel:
    data = selectors.follow_ups_due_counts(user=user)
    rows = [[_("Overdue"), data["overdue"]], [_("Due this week"), data["this_week"]]]
    return Panel(
        slug="follow-ups-due",
        title=_("Follow-ups after a return"),
        summary=_("%(overdue)d follow-ups overdue, %(week)d due this week.")
        % {"overdue": data["overdue"], "week": data["this_week"]},
        headers=[_("Follow-ups"), _("Number")],
        rows=rows,
        desc=_("Two bars: follow-ups past their due date, and those due in the next seven days."),
        links=[(_("My follow-ups"), reverse("returns:follow-up-queue"))],
    )


# The follow-up figures cover follow-ups recorded in the last twelve months.
OUTCOME_DAYS = 365


def _recorded(user: User):
    since = timezone.localdate() - timedelta(days=OUTCOME_DAYS)
    return list(selectors.follow_ups_recorded(user=user, since=since))


def follow_ups_reached(user: User) -> Panel:
    recorded = _recorded(user)
    rows = []
    for months in settings.RETURNS_FOLLOW_UP_MONTHS:
        at = [f for f in recorded if f.months == months]
        reached = sum(1 for f in at if f.reached)
        share = round(100 * reached / len(at)) if at else 0
        label = _("%(months)d months") % {"months": months}
        rows.append([label, reached, len(at) - reached, share])
    return Panel(
        slug="follow-ups-reached",
        title=_("People reached at each follow-up"),
        summary=_(
            "Follow-ups recorded in the last 12 months, and the share that reached the person."
        ),
        headers=[_("Follow-up"), _("Reached"), _("Not reached"), _("Share reached (%)")],
        rows=rows,
        desc=_("One bar per follow-up time: the people reached and not reached."),
        series=[_("Reached"), _("Not reached")],
        bars=[(row[0], row[1:3]) for row in rows],
        colours=[0, 8],
    )


def follow_up_scores(user: User) -> Panel:
    recorded = _recorded(user)
    dimensions = list(Dimension)
    scores = {country: {d: [] for d in dimensions} for country in Country}
    for follow_up in recorded:
        for dimension, score in services.follow_up_scores(follow_up).items():
            if dimension in Dimension.values and score is not None:
                scores[follow_up.case.country][Dimension(dimension)].append(score)
    rows = [
        [
            str(country.label),
            *(round(100 * median(values)) if values else 0 for values in by_dimension.values()),
            len(by_dimension[Dimension.ECONOMIC]),
        ]
        for country, by_dimension in scores.items()
    ]
    return Panel(
        slug="follow-up-scores",
        title=_("Median reintegration score by country of return"),
        summary=_(
            "The median score out of 100 in each dimension, over follow-ups recorded in the last "
            "12 months (0 where there is none)."
        ),
        headers=[
            _("Country"),
            *(str(d.label) for d in dimensions),
            _("Follow-ups with economic answers"),
        ],
        rows=rows,
        desc=_("One bar per country and dimension: the median score out of 100."),
        series=[_("Median score out of 100")],
        bars=[
            (f"{row[0]}: {dimension.label}", [row[1 + i]])
            for row in rows
            for i, dimension in enumerate(dimensions)
        ],
    )


PANELS = [
    PanelSpec("cases-by-country", TEAM, "returns.view_returncase", cases_by_country),
    PanelSpec("time-in-stage", TEAM, "returns.view_casetransition", time_in_stage),
    PanelSpec("overdue-plan-items", TEAM, "returns.view_returnplanitem", overdue_plan_items),
    PanelSpec("intake-queue", TEAM, "returns.view_returncase", intake_queue),
    PanelSpec("my-cases", TEAM, "returns.view_returncase", my_cases),
    PanelSpec("follow-ups-due", TEAM, "returns.view_followup", follow_ups_due),
    PanelSpec("follow-ups-reached", TEAM, "returns.view_followup", follow_ups_reached),
    PanelSpec("follow-up-scores", TEAM, "returns.view_followup", follow_up_scores),
]
