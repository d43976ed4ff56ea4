"""The deadline clocks of a complaint, as the EU Whistleblowing Directive sets them (and
GlobaLeaks alerts on): acknowledged within IRIS_ACKNOWLEDGE_DAYS (7) days of receipt, a
substantive answer within IRIS_ANSWER_MONTHS (3) months of receipt, and someone in danger is
urgent at once.

One rule, read from the complaint's own records, used by the queue, the complaint page, the
dashboard and the daily digest:

- acknowledged_at: the first of an officer's message shared with the complainant and the first
  move on from "received" (to under review, or straight to closed or withdrawn);
- answered_at: the first move to "referred" or to a finished stage (resolved, closed,
  withdrawn): the complainant then has an outcome, or knows who holds the case now;
- overdue: a clock still running (not acknowledged, or not answered) past its deadline. A
  deadline met late is history, not overdue.

The Directive counts the three months from the acknowledgement (or from the end of the seven
days); counting them from receipt is stricter and never later, and the same for every complaint.

Everything is computed by the database: annotating a queryset adds three subqueries to its one
query, however many complaints it returns.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from .models import Complaint, ComplaintMessage, ComplaintTransition

# The stages that answer a complaint: referred on, or finished.
ANSWERED_STAGES = [
    Complaint.Stage.REFERRED,
    Complaint.Stage.RESOLVED,
    Complaint.Stage.CLOSED,
    Complaint.Stage.WITHDRAWN,
]


def acknowledge_days() -> int:
    return getattr(settings, "IRIS_ACKNOWLEDGE_DAYS", 7)


def answer_months() -> int:
    return getattr(settings, "IRIS_ANSWER_MONTHS", 3)


class _PlusMonths(Func):
    """A datetime plus whole calendar months, in SQL (Django has no month interval of its own)."""

    output_field = DateTimeField()

    def __init__(self, expression, months: int):
        self.months = int(months)  # an int, so it can be written into the SQL safely
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s + INTERVAL '{self.months} months')",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # The format is passed as a parameter: its % signs would otherwise need escaping twice.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return (
            "strftime(%s, " + sql + ", %s)",
            ("%Y-%m-%d %H:%M:%f", *params, f"+{self.months} months"),
        )


def complaints_with_clocks(qs: QuerySet | None = None, *, now: datetime | None = None) -> QuerySet:
    """The complaints annotated with their clocks: acknowledge_by, answer_by, acknowledged_at,
    answered_at (None until it happens), overdue; and due_by (the next deadline still
    running, None once answered) and urgent (someone in danger, not answered yet)."""
    qs = Complaint.objects.all() if qs is None else qs
    now = now or timezone.now()
    moved_on = ComplaintTransition.objects.filter(
        complaint=OuterRef("pk"), from_stage=Complaint.Stage.RECEIVED
    ).order_by("at")
    shared = ComplaintMessage.objects.filter(
        complaint=OuterRef("pk"), shared_with_complainant=True
    ).order_by("at")
    answered = ComplaintTransition.objects.filter(
        complaint=OuterRef("pk"), to_stage__in=ANSWERED_STAGES
    ).order_by("at")
    first_move = Subquery(moved_on.values("at")[:1])
    first_message = Subquery(shared.values("at")[:1])
    return qs.annotate(
        acknowledge_by=ExpressionWrapper(
            F("created_at") + timedelta(days=acknowledge_days()), output_field=DateTimeField()
        ),
        answer_by=_PlusMonths(F("created_at"), answer_months()),
        # The earlier of the two, whichever exists (SQLite's MIN() of a NULL is NULL).
        acknowledged_at=Least(
            Coalesce(first_move, first_message), Coalesce(first_message, first_move)
        ),
        answered_at=Subquery(answered.values("at")[:1]),
    ).annotate(
        overdue=ExpressionWrapper(
            Q(acknowledged_at__isnull=True, acknowledge_by__lt=now)
            | Q(answered_at__isnull=True, answer_by__lt=now),
            output_field=BooleanField(),
        ),
        urgent=ExpressionWrapper(
            Q(in_danger=True, answered_at__isnull=True), output_field=BooleanField()
        ),
        due_by=Case(
            When(acknowledged_at__isnull=True, then=F("acknowledge_by")),
            When(answered_at__isnull=True, then=F("answer_by")),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    )


def complaints_by_urgency(qs: QuerySet | None = None, *, now: datetime | None = None) -> QuerySet:
    """The complaints with their clocks, most urgent first: someone in danger (not answered
    yet), then overdue, then the soonest deadline; answered ones last, oldest first."""
    return complaints_with_clocks(qs, now=now).order_by(
        F("urgent").desc(),
        F("overdue").desc(),
        F("due_by").asc(nulls_last=True),
        "created_at",
        "pk",
    )


@dataclass(frozen=True)
class ComplaintClocks:
    acknowledge_by: datetime
    acknowledged_at: datetime | None
    answer_by: datetime
    answered_at: datetime | None
    overdue: bool
    # Someone is in danger (the complainant said so).
    in_danger: bool
    # Someone is in danger and the complaint is not answered yet: it comes before all else.
    urgent: bool
    # The next deadline still running; None once answered.
    due_by: datetime | None


def complaint_clocks(complaint: Complaint, *, now: datetime | None = None) -> ComplaintClocks:
    """One complaint's clocks: read from its annotations if it came from complaints_with_clocks
    (no query), else by one query."""
    if not hasattr(complaint, "overdue"):
        qs = Complaint.objects.filter(pk=complaint.pk)
        complaint = complaints_with_clocks(qs, now=now).get()
    return ComplaintClocks(
        acknowledge_by=complaint.acknowledge_by,
        acknowledged_at=complaint.acknowledged_at,
        answer_by=complaint.answer_by,
        answered_at=complaint.answered_at,
        overdue=bool(complaint.overdue),
        in_danger=complaint.in_danger,
        urgent=bool(complaint.urgent),
        due_by=complaint.due_by,
    )
