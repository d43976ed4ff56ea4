"""The daily digest to IRIS officers: the open complaints past a deadline (see clocks.py), or
where someone is in danger, by reference only. The officers' inbox may be shared or forwarded:
the email names no complainant and no recruiter, says nothing of what happened, and its subject
names nothing at all."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone

from iomuk.outbox import outbox_enqueue

from .models import OverdueDigest
from .selectors import complaints_overdue, complaints_overdue_listed

# A longer list is not read: past it the email says how many more the queue holds.
DIGEST_MOST_LISTED = 100


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j M Y")


def _why(row: dict, now: datetime) -> str:
    """Which deadline a complaint has passed, and whether someone is in danger (English: staff)."""
    reasons = []
    if row["urgent"]:
        reasons.append("someone in danger")
    if row["acknowledged_at"] is None and row["acknowledge_by"] < now:
        reasons.append(f"not acknowledged by {_day(row['acknowledge_by'])}")
    elif row["overdue"]:
        reasons.append(f"not answered by {_day(row['answer_by'])}")
    return ", ".join(reasons)


def overdue_digest_send(*, now: datetime | None = None) -> OverdueDigest | None:
    """Email IRIS officers, once a day, the references of open complaints past a deadline or
    with someone in danger; with none, no email. A second run the same day does nothing and
    returns None."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the day already done leaves nothing
                digest = OverdueDigest.objects.create(day=timezone.localdate(now), complaints=0)
        except IntegrityError:
            return None
        found = complaints_overdue_listed(now=now, most=DIGEST_MOST_LISTED)
        if not found["total"]:
            return digest
        figures = complaints_overdue(now=now)
        listed = [
            {"reference": row["reference"], "why": _why(row, now)} for row in found["complaints"]
        ]
        outbox_enqueue(
            to=settings.IRIS_OFFICERS_EMAIL,
            template="iris-overdue-digest",
            context={
                "day": _day(now),
                "complaints": listed,
                "overdue": figures["not_acknowledged"] + figures["not_answered"],
                "in_danger": figures["in_danger"],
                "more": found["total"] - len(listed),
                "queue_url": f"{settings.SITE_URL}{reverse('iris-complaints:queue')}?overdue=on",
            },
        )
        digest.complaints = len(listed)
        digest.save(update_fields=["complaints"])
    return digest
