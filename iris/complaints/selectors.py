"""What officers and the dashboard read about complaints: figures counted by the database,
returned as plain data. Each function runs a fixed number of queries, however many rows."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts

from .clocks import complaints_by_urgency, complaints_with_clocks
from .models import Complaint, ComplaintCategory

MONTHS_SHOWN = 6


def complaints_by_month_and_stage(*, today: date | None = None) -> dict:
    """Complaints received in each of the last months, counted by the stage they are at now."""
    today = today or timezone.localdate()
    months = month_starts(today, MONTHS_SHOWN)
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    rows = (
        Complaint.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(month, stage): 0 for month in months for stage in Complaint.Stage.values}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        if (month, row["stage"]) in counts:  # a complaint dated ahead is not this month's
            counts[(month, row["stage"])] += row["n"]
    return {"months": months, "counts": counts}


def complaints_by_category_and_stage() -> dict:
    """Complaints per category and current stage (a complaint counts once in each category)."""
    categories = list(ComplaintCategory.objects.values_list("code", "name"))
    rows = (
        Complaint.objects.filter(categories__isnull=False)
        .values("categories", "stage")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("categories", "stage", "n")
    )
    return {"categories": categories, "counts": {(c, s): n for c, s, n in rows}}


def complaints_overdue(*, now: datetime | None = None) -> dict:
    """Open (not yet answered) complaints against their deadline clocks (see clocks.py): not
    acknowledged in time; acknowledged but not answered in time; within their deadlines; and,
    across those, someone in danger."""
    now = now or timezone.now()
    not_acknowledged = Q(acknowledged_at__isnull=True, acknowledge_by__lt=now)
    not_answered = Q(acknowledged_at__isnull=False, answer_by__lt=now)
    figures = (
        complaints_with_clocks(Complaint.objects.all(), now=now)
        .filter(answered_at__isnull=True)
        .aggregate(
            not_acknowledged=Count("pk", filter=not_acknowledged),
            not_answered=Count("pk", filter=not_answered),
            within=Count("pk", filter=Q(overdue=False)),
            in_danger=Count("pk", filter=Q(in_danger=True)),
        )
    )
    return {
        **figures,
        "acknowledge_days": settings.IRIS_ACKNOWLEDGE_DAYS,
        "answer_months": settings.IRIS_ANSWER_MONTHS,
    }


def complaints_overdue_listed(*, now: datetime | None = None, most: int = 100) -> dict:
    """The open complaints past a deadline or with someone in danger, most urgent first, with
    their clocks: the first `most` of them, and how many there are in all."""
    qs = complaints_by_urgency(Complaint.objects.all(), now=now).filter(
        Q(overdue=True) | Q(urgent=True)
    )
    rows = qs.values(
        "reference", "urgent", "overdue", "acknowledged_at", "acknowledge_by", "answer_by"
    )
    return {"complaints": list(rows[:most]), "total": qs.count()}
