"""What officers and the dashboard read about complaints: figures counted by the database,
returned as plain data. Each function runs a fixed number of queries, however many rows."""

import re
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts
from iris.recruiters.selectors import recruiters_named

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
