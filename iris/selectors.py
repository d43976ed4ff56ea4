"""IRIS reads: the public roster search, accreditation checks and the officers' figures."""

import difflib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts

from .models import (
    AccreditationState,
    Application,
    Complaint,
    ComplaintCategory,
    Recruiter,
    RecruiterCountry,
    normalise_name,
)

# The SQLite typo fallback looks at no more than this many candidate names.
FALLBACK_CANDIDATES = 2000


def roster_matches(*, q: str = "", country: str = "", sector: str = "", most: int) -> list[int]:
    """Ids of the listed recruiters matching a forgiving name search and the filters, best match
    first: at most `most` + 1, so a page costs the same however long the roster grows (one more
    than `most` says there are more)."""
    recruiters = roster_listed(country=country, sector=sector)
    term = normalise_name(q)[:100]
    if not term:
        return _first_ids(recruiters.order_by("legal_name", "pk"), most)
    # Names that hold the search as typed come first and alone; only when there are none is the
    # search forgiven. Both databases agree, and on PostgreSQL each step is one trigram index
    # scan: an OR of the two lookups reads both, and ranking every broad match by similarity
    # costs more than the scan it replaces.
    exact = recruiters.filter(search_name__contains=term).order_by("legal_name", "pk")
    if found := _first_ids(exact, most):
        return found
    if connection.vendor == "postgresql":
        similar = (
            recruiters.filter(search_name__trigram_word_similar=term)
            .annotate(similarity=TrigramWordSimilarity(term, "search_name"))
            .order_by("-similarity", "legal_name", "pk")
        )
        return _first_ids(similar, most)
    close = recruiters.filter(pk__in=_close_matches(recruiters, term))
    return _first_ids(close.order_by("legal_name", "pk"), most)


def roster_listed(*, country: str = "", sector: str = "") -> QuerySet[Recruiter]:
    """Recruiters on the roster, in `country` (head office or operations) and `sector` if given."""
    recruiters = Recruiter.objects.on_roster()
    if country:
        recruiters = recruiters.filter(
            Exists(RecruiterCountry.objects.filter(recruiter=OuterRef("pk"), country_id=country))
            | Q(hq_country_id=country)
        )
    if sector:
        recruiters = recruiters.filter(
            Exists(
                Recruiter.sectors.through.objects.filter(recruiter=OuterRef("pk"), sector=sector)
            )
        )
    return recruiters


def roster_entries(*, ids: list[int]) -> list[Recruiter]:
    """The recruiters `ids` names, in that order, with what their roster entry shows: the head
    office's country and the sectors (the countries of operation are on the recruiter's page)."""
    recruiters = (
        Recruiter.objects.select_related("hq_country").prefetch_related("sectors").in_bulk(ids)
    )
    return [recruiters[pk] for pk in ids if pk in recruiters]


def _first_ids(recruiters: QuerySet[Recruiter], most: int) -> list[int]:
    return list(recruiters.values_list("pk", flat=True)[: most + 1])


def _close_matches(recruiters: QuerySet[Recruiter], term: str) -> list[int]:
    """SQLite only: names with a word within a small typo of each searched word."""
    words = term.split()
    longest = max(words, key=len)
    if len(longest) < 4:
        return []
    # Candidates share at least one three-letter piece with the longest word.
    pieces = {longest[i : i + 3] for i in range(len(longest) - 2)}
    shared = Q()
    for piece in pieces:
        shared |= Q(search_name__contains=piece)
    candidates = recruiters.filter(shared).values_list("pk", "search_name")[:FALLBACK_CANDIDATES]
    found = []
    for pk, search_name in candidates:
        name_words = search_name.split()
        if all(difflib.get_close_matches(word, name_words, n=1, cutoff=0.8) for word in words):
            found.append(pk)
    return found


def recruiter_for_public(*, slug: str) -> Recruiter | None:
    """A recruiter's public page: anyone but an applicant that has not been accredited yet."""
    return (
        Recruiter.objects.exclude(state="applicant")
        .select_related("hq_country")
        .prefetch_related("operations__country", "sectors")
        .filter(slug=slug)
        .first()
    )


def recruiter_by_number(*, number: str) -> Recruiter | None:
    number = "".join(number.upper().split())
    if not number:
        return None
    return (
        Recruiter.objects.exclude(state="applicant")
        .select_related("hq_country")
        .filter(accreditation_number=number)
        .first()
    )


def recruiter_for_complaint(*, ref: str) -> Recruiter | None:
    """The recruiter a complaint names, by roster slug, page address or accreditation number."""
    ref = ref.strip().rstrip("/")
    if "/" in ref:
        ref = ref.rsplit("/", 1)[-1]
    if not ref:
        return None
    return (
        Recruiter.objects.exclude(state="applicant")
        .filter(Q(slug=ref.lower()) | Q(accreditation_number=ref.upper()))
        .first()
    )


# The staff workspace: figures counted by the database, returned as plain data.
# Each function runs a fixed number of queries, however many rows there are.

MONTHS_SHOWN = 6
EXPIRY_HORIZON_DAYS = 60
# Days-to-expiry groups of the accreditations ending soon: (first day, last day).
EXPIRY_BANDS = [(0, 14), (15, 30), (31, 60)]


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


def applications_awaiting_review(*, now: datetime | None = None) -> dict:
    """Applications to join waiting for an officer's decision, per kind of organisation."""
    now = now or timezone.now()
    rows = (
        Application.objects.filter(state=Application.State.PENDING)
        .values("organisation_type")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    by_type = {row["organisation_type"]: row["n"] for row in rows}
    oldest = min((row["oldest"] for row in rows), default=None)
    return {
        "total": sum(by_type.values()),
        "by_type": by_type,
        "oldest_days": (now - oldest).days if oldest else None,
    }


def accreditations_expiring(*, today: date | None = None) -> dict:
    """Accredited members whose accreditation ends within the next 60 days, by days left."""
    today = today or timezone.localdate()
    accredited = Q(state=AccreditationState.ACCREDITED)
    figures = Recruiter.objects.filter(
        accredited,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=EXPIRY_HORIZON_DAYS),
    ).aggregate(
        **{
            f"{first}-{last}": Count(
                "pk",
                filter=Q(
                    valid_until__gte=today + timedelta(days=first),
                    valid_until__lte=today + timedelta(days=last),
                ),
            )
            for first, last in EXPIRY_BANDS
        }
    )
    return {
        "bands": [(first, last, figures[f"{first}-{last}"]) for first, last in EXPIRY_BANDS],
        "total": sum(figures.values()),
        "until": today + timedelta(days=EXPIRY_HORIZON_DAYS),
    }
