"""What officers and the dashboard read about complaints: figures counted by the database,
returned as plain data. Each function runs a fixed number of queries, however many rows."""

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts
from iris.recruiters.selectors import recruiters_named

from .models import Complaint, ComplaintCategory

MONTHS_SHOWN = 6


def working_days_before(day: date, n: int) -> date:
    """The date n working days (Monday to Friday) before `day`; bank holidays are not known."""
    while n > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


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


def complaints_unacknowledged(*, now: datetime | None = None) -> dict:
    """Complaints still at "received": past the acknowledgement deadline, or still within it.

    A complaint is acknowledged when an officer first moves it on from "received"; it must be
    by the end of the IRIS_ACKNOWLEDGE_WORKING_DAYS-th working day after the day it came in.
    """
    now = now or timezone.now()
    days = settings.IRIS_ACKNOWLEDGE_WORKING_DAYS
    first_day_in_time = working_days_before(timezone.localdate(now), days)
    cutoff = timezone.make_aware(datetime.combine(first_day_in_time, time.min))
    late = Q(created_at__lt=cutoff)
    figures = Complaint.objects.filter(stage=Complaint.Stage.RECEIVED).aggregate(
        overdue=Count("pk", filter=late),
        overdue_in_danger=Count("pk", filter=late & Q(in_danger=True)),
        within=Count("pk", filter=~late),
        oldest=Min("created_at"),
    )
    oldest = figures.pop("oldest")
    return {
        **figures,
        "working_days": days,
        "cutoff": cutoff,
        "oldest_days": (now - oldest).days if oldest else None,
    }


# The officers' queue: which complaints match what an officer typed and chose.


# The marked letters of the portal's languages (Romanian, Czech, Hungarian), as an officer
# may type them or leave their marks off: "Munca Rapida" finds "Muncă Rapidă", and the other way
# round. Both cases are listed: PostgreSQL folds the case of non-ASCII letters by its locale.
_MARKED = {
    "a": "ăâáàä",
    "c": "čć",
    "d": "ď",
    "e": "éěë",
    "i": "îíì",
    "l": "ł",
    "n": "ň",
    "o": "óöőô",
    "r": "ř",
    "s": "șşš",
    "t": "țţť",
    "u": "úůüű",
    "y": "ý",
    "z": "ž",
}
_BARE = {marked: bare for bare, letters in _MARKED.items() for marked in letters}


def _letters_with_or_without_marks(text: str) -> str:
    """A case-insensitive regular expression matching `text` with any letter marked or bare."""
    pattern = []
    for ch in text.lower():
        bare = _BARE.get(ch, ch)
        if bare in _MARKED:
            letters = bare + _MARKED[bare]
            pattern.append(f"[{letters}{letters.upper()}]")
        else:
            pattern.append(re.escape(ch))
    return "".join(pattern)


def complaints_search(
    *, q: str = "", stage: str = "", needs_matching: bool = False, in_danger: bool = False
) -> QuerySet[Complaint]:
    """Complaints matching the queue's filters and its search: a reference, the linked
    recruiter as the roster's own search finds it (typos and accents forgiven), the name a
    complainant gave for a recruiter (listed or not), or a country by name or code."""
    complaints = Complaint.objects.select_related("recruiter", "unlisted_country")
    if stage:
        complaints = complaints.filter(stage=stage)
    if needs_matching:
        complaints = complaints.filter(recruiter__isnull=True).exclude(recruiter_name_given="")
    if in_danger:
        complaints = complaints.filter(in_danger=True)
    q = " ".join(q.replace("\x00", " ").split())
    if q:
        found = Q(reference__iexact="".join(q.upper().split()))
        marks_forgiven = _letters_with_or_without_marks(q)
        found |= Q(unlisted_name__iregex=marks_forgiven)
        found |= Q(recruiter_name_given__iregex=marks_forgiven)
        found |= Q(recruiter__legal_name__icontains=q)
        found |= Q(recruiter__in=[r.pk for r in recruiters_named(text=q)])
        for field in ("unlisted_country", "recruitment_country", "destination_country"):
            found |= Q(**{f"{field}__name__iexact": q}) | Q(**{f"{field}__code__iexact": q})
        complaints = complaints.filter(found)
    return complaints


def complaint_timeline(complaint: Complaint) -> list[dict]:
    """Everything that happened to a complaint, oldest first, each entry with its `kind`:
    "report", "stage", "message" (to the complainant), "unshared" (an old message never sent),
    "note" (internal), "addition" (from the complainant), "referral". Evidence sits with the
    report or the addition it came with."""
    evidence = list(complaint.evidence.all())
    entries = [
        {
            "kind": "report",
            "at": complaint.created_at,
            "files": [e for e in evidence if e.addition_id is None],
        }
    ]
    for move in complaint.transitions.select_related("by"):
        entries.append({"kind": "stage", "at": move.at, "item": move, "by": move.by})
    for message in complaint.messages.select_related("by"):
        kind = "message" if message.shared_with_complainant else "unshared"
        entries.append({"kind": kind, "at": message.at, "item": message, "by": message.by})
    for note in complaint.notes.select_related("by"):
        entries.append({"kind": "note", "at": note.at, "item": note, "by": note.by})
    for addition in complaint.additions.all():
        files = [e for e in evidence if e.addition_id == addition.pk]
        entries.append({"kind": "addition", "at": addition.at, "item": addition, "files": files})
    for referral in complaint.referrals.select_related("by", "country"):
        entries.append({"kind": "referral", "at": referral.at, "item": referral, "by": referral.by})
    return sorted(entries, key=lambda entry: entry["at"])
