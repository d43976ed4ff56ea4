"""Reads of return cases. Every page, search, download and the admin start from these,
so a case a user may not see is absent everywhere alike: lists, counts, search and 404s."""

from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from iomuk import roles
from iomuk.fields import blind_index_lookups
from iomuk.models import User

from .models import (
    CLOSED_STAGES,
    CaseTransition,
    FollowUp,
    FollowUpState,
    PlanStatus,
    ReturnCase,
    ReturnPlanItem,
)


def cases_visible_to(user: User) -> QuerySet[ReturnCase]:
    """Case managers see every case; caseworkers their own and the unassigned intake queue."""
    cases = ReturnCase.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.has_perm("returns.view_all_cases"):
        return cases
    if user.has_perm("returns.view_returncase"):
        return cases.filter(Q(assigned_caseworker=user) | Q(assigned_caseworker__isnull=True))
    return cases.none()


def cases_named(cases: QuerySet[ReturnCase], words: str) -> QuerySet[ReturnCase]:
    """The cases among `cases` whose full name holds every whole word of `words`, in any order,
    case or accents (the name is encrypted: only its blind index is searched)."""
    lookup = blind_index_lookups("name_index", words)
    return cases.none() if lookup is None else cases.filter(lookup)


def cases_matching(cases: QuerySet[ReturnCase], q: str) -> QuerySet[ReturnCase]:
    """What the case search finds for `q`: a reference (whole or its start), whole words of the
    full name, or a part of the preferred name."""
    q = q.strip()
    matches = Q(reference__iexact=q) | Q(reference__istartswith=q) | Q(preferred_name__icontains=q)
    lookup = blind_index_lookups("name_index", q)
    if lookup is not None:
        matches |= lookup
    return cases.filter(matches)


def cases_with_people_visible_to(user: User) -> QuerySet[ReturnCase]:
    """cases_visible_to, with the caseworker and the referrer the case page names."""
    return cases_visible_to(user).select_related("assigned_caseworker", "referred_by")


def case_is_visible_to(*, user: User, case: ReturnCase) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_transitions(case: ReturnCase):
    return case.transitions.select_related("by")


def case_notes(case: ReturnCase):
    return case.notes.select_related("author")


def case_documents(case: ReturnCase):
    return case.documents.select_related("uploaded_by")


def referrals_made_by(user: User) -> QuerySet[ReturnCase]:
    """What a referrer may know of their own referrals: reference, country, stage and when it
    last moved (`last_update`), nothing IOM UK added."""
    if not user.is_authenticated:
        return ReturnCase.objects.none()
    return (
        ReturnCase.objects.filter(referred_by=user)
        .annotate(last_update=Max("transitions__at"))
        .order_by("-created_at")
        .only("reference", "country", "stage", "created_at", "not_eligible_reason")
    )


def referrer_details_for(user: User) -> dict[str, str]:
    """How a referrer described themselves last time, or failing that their account's name
    and email: what the referral form starts with."""
    last = (
        ReturnCase.objects.filter(referred_by=user, anonymised_at__isnull=True)
        .order_by("-created_at", "-pk")
        .only("referrer_type", "referrer_name", "referrer_organisation", "referrer_contact")
        .first()
    )
    details = {
        "referrer_name": user.get_full_name(),
        "referrer_contact": user.email,
    }
    if last is not None:
        for name in ("referrer_type", "referrer_name", "referrer_organisation", "referrer_contact"):
            details[name] = getattr(last, name) or details.get(name, "")
    return {name: value for name, value in details.items() if value}


def caseworkers_assignable() -> QuerySet[User]:
    """People a case may be given to: active members of the caseworker and case manager roles."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[roles.CASEWORKERS, roles.CASE_MANAGERS]
        )
        .distinct()
        .order_by("username")
    )


# The staff workspace: figures counted by the database over the cases a user may see.
# Each function runs a fixed number of queries, however many cases there are.

OPEN_PLAN_STATUSES = [PlanStatus.TO_DO, PlanStatus.IN_PROGRESS]
# A case assigned to someone that has not moved stage for this long needs a look.
STALE_AFTER_DAYS = 14


def cases_open(cases: QuerySet[ReturnCase]) -> QuerySet[ReturnCase]:
    """The cases among `cases` that are still open (not closed, withdrawn or not eligible)."""
    return cases.exclude(stage__in=CLOSED_STAGES)


def _open_cases(user: User) -> QuerySet[ReturnCase]:
    return cases_open(cases_visible_to(user))


def plan_items_overdue_q(*, today: date | None = None) -> Q:
    """A return-plan item is overdue when it is past its due date and not done."""
    return Q(status__in=OPEN_PLAN_STATUSES, due_date__lt=today or timezone.localdate())


def cases_overdue(
    cases: QuerySet[ReturnCase], *, today: date | None = None
) -> QuerySet[ReturnCase]:
    """The open cases among `cases` with at least one overdue return-plan item."""
    overdue = ReturnPlanItem.objects.filter(plan_items_overdue_q(today=today), case=OuterRef("pk"))
    return cases_open(cases).filter(Exists(overdue))


def cases_by_country_and_stage(*, user: User) -> dict[tuple[str, str], int]:
    """How many of the cases the user may see are at each (country, stage)."""
    rows = (
        cases_visible_to(user)
        .values("country", "stage")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("country", "stage", "n")
    )
    return {(country, stage): n for country, stage, n in rows}


def time_in_stage(*, user: User, now: datetime | None = None) -> dict[str, dict]:
    """Average days a case spends at each open stage: from arriving there to leaving (or now)."""
    now = now or timezone.now()
    left_at = (
        CaseTransition.objects.filter(case=OuterRef("case"))
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    rows = (
        CaseTransition.objects.filter(case__in=cases_visible_to(user).values("pk"))
        .exclude(to_stage__in=CLOSED_STAGES)
        .annotate(left_at=Coalesce(Subquery(left_at), Value(now, output_field=DateTimeField())))
        .annotate(spent=ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField()))
        .values("to_stage")
        .annotate(stays=Count("pk"), average=Avg("spent"))
        .order_by()
    )
    return {
        row["to_stage"]: {
            "stays": row["stays"],
            "average_days": round(_as_timedelta(row["average"]).total_seconds() / 86400, 1),
        }
        for row in rows
    }


def _as_timedelta(value) -> timedelta:
    # PostgreSQL answers an interval; SQLite the microseconds as a number.
    if isinstance(value, timedelta):
        return value
    return timedelta(microseconds=float(value or 0))


def plan_items_overdue(*, user: User, today: date | None = None) -> dict[str, int]:
    """Return-plan items of open cases past their due date and not done, counted per service."""
    rows = (
        ReturnPlanItem.objects.filter(
            plan_items_overdue_q(today=today), case__in=_open_cases(user).values("pk")
        )
        .values("service")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("service", "n")
    )
    return dict(rows)


def cases_in_intake_queue(cases: QuerySet[ReturnCase]) -> QuerySet[ReturnCase]:
    """The intake queue: open cases nobody is assigned to. A finished case nobody took (not
    eligible, withdrawn) waits for nobody, so it is not in the queue."""
    return cases_open(cases).filter(assigned_caseworker__isnull=True)


def intake_queue(*, user: User, now: datetime | None = None) -> dict:
    """Open cases nobody is assigned to yet, per country, and how long the oldest has waited."""
    now = now or timezone.now()
    # The same selector as the case list's "intake queue" filter, which the panel links to.
    rows = (
        cases_in_intake_queue(cases_visible_to(user))
        .values("country")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    by_country = {row["country"]: row["n"] for row in rows}
    oldest = min((row["oldest"] for row in rows), default=None)
    return {
        "total": sum(by_country.values()),
        "by_country": by_country,
        "oldest_days": (now - oldest).days if oldest else None,
    }


def my_cases_needing_action(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """The user's own open cases, and how many have an overdue plan item or have stood still."""
    now = now or timezone.now()
    overdue = Exists(
        ReturnPlanItem.objects.filter(
            plan_items_overdue_q(today=timezone.localdate(now)), case=OuterRef("pk")
        )
    )
    moved_lately = Exists(
        CaseTransition.objects.filter(
            case=OuterRef("pk"), at__gte=now - timedelta(days=STALE_AFTER_DAYS)
        )
    )
    return (
        _open_cases(user)
        .filter(assigned_caseworker=user)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue),
            stale=Count("pk", filter=~moved_lately),
            needing_action=Count("pk", filter=overdue | ~moved_lately),
        )
    )


# The case list's stage filter for "any open stage".
OPEN = "open"


def case_search(*, user: User, filters: dict | None) -> QuerySet[ReturnCase]:
    """The cases `user` may see that match the case list's filters (none if they were invalid),
    newest first."""
    # Only what the table shows: the encrypted notes are neither fetched nor decrypted here.
    cases = (
        cases_visible_to(user)
        .select_related("assigned_caseworker")
        .only(
            "reference",
            "full_name",
            "preferred_name",
            "country",
            "stage",
            "risk",
            "created_at",
            "assigned_caseworker__username",
            "assigned_caseworker__first_name",
            "assigned_caseworker__last_name",
        )
    )
    if filters is not None:
        data = filters
        if data["q"].strip():
            cases = cases_matching(cases, data["q"])
        if data["stage"] == OPEN:
            cases = cases_open(cases)  # the same selector as the workspace's open-case figures
        elif data["stage"]:
            cases = cases.filter(stage=data["stage"])
        for name in ("country", "risk"):
            if data[name]:
                cases = cases.filter(**{name: data[name]})
        if data["caseworker"] == "none":
            cases = cases_in_intake_queue(cases)
        elif data["caseworker"]:
            cases = cases.filter(assigned_caseworker_id=int(data["caseworker"]))
        if data["overdue"]:
            cases = cases_overdue(cases)
    else:
        cases = cases.none()
    return cases.order_by("-created_at", "-pk")


# After the return: follow-ups.

# "Due this week": due today or in the next seven days.
WEEK_DAYS = 7


def follow_ups_due(*, user: User, today: date | None = None) -> dict[str, list[FollowUp]]:
    """The user's queue: follow-ups still due on the cases assigned to them, overdue and due
    this week (today and the next seven days)."""
    today = today or timezone.localdate()
    due = list(
        FollowUp.objects.filter(
            state=FollowUpState.DUE,
            case__in=cases_visible_to(user).filter(assigned_caseworker=user).values("pk"),
            due_on__lte=today + timedelta(days=WEEK_DAYS),
        )
        .select_related("case")
        .only("months", "due_on", "state", "case__reference", "case__country")
        .order_by("due_on", "pk")
    )
    return {
        "overdue": [f for f in due if f.due_on < today],
        "this_week": [f for f in due if f.due_on >= today],
    }


def follow_ups_due_counts(*, user: User, today: date | None = None) -> dict[str, int]:
    """Follow-ups still due on the cases the user may see: overdue, and due this week."""
    today = today or timezone.localdate()
    return FollowUp.objects.filter(
        state=FollowUpState.DUE, case__in=cases_visible_to(user).values("pk")
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        this_week=Count(
            "pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=WEEK_DAYS))
        ),
    )


def case_consents(case: ReturnCase) -> list:
    """The case's consents, each with who recorded it and who withdrew it."""
    return list(case.consents.select_related("recorded_by", "withdrawn_by"))


def case_follow_ups(case: ReturnCase) -> list[FollowUp]:
    return list(
        case.follow_ups.prefetch_related("support", "answers__indicator").order_by("due_on", "pk")
    )


def follow_ups_recorded(*, user: User, since: date) -> QuerySet[FollowUp]:
    """Follow-ups recorded since `since` on the cases the user may see, with their answers."""
    return (
        FollowUp.objects.filter(
            state=FollowUpState.DONE,
            done_on__gte=since,
            case__in=cases_visible_to(user).values("pk"),
        )
        .select_related("case")
        .prefetch_related("answers__indicator")
    )
