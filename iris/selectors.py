"""IRIS reads: the public roster search and accreditation checks."""

import difflib

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Recruiter, RecruiterCountry, normalise_name

# The SQLite typo fallback looks at no more than this many candidate names.
FALLBACK_CANDIDATES = 2000


def roster_search(*, q: str = "", country: str = "", sector: str = "") -> QuerySet[Recruiter]:
    """Listed recruiters matching a forgiving name search and the filters, best match first."""
    recruiters = Recruiter.objects.on_roster()
    if country:
        recruiters = recruiters.filter(
            Exists(RecruiterCountry.objects.filter(recruiter=OuterRef("pk"), country_id=country))
            | Q(hq_country_id=country)
        )
    if sector:
        recruiters = recruiters.filter(sectors__code=sector)
    recruiters = recruiters.select_related("hq_country").prefetch_related(
        "operations__country", "sectors"
    )
    term = normalise_name(q)[:100]
    if not term:
        return recruiters.order_by("legal_name", "pk")
    if connection.vendor == "postgresql":
        return (
            recruiters.filter(
                Q(search_name__contains=term) | Q(search_name__trigram_word_similar=term)
            )
            .annotate(similarity=TrigramWordSimilarity(term, "search_name"))
            .order_by("-similarity", "legal_name", "pk")
        )
    exact = recruiters.filter(search_name__contains=term)
    if exact.exists():
        return exact.order_by("legal_name", "pk")
    return recruiters.filter(pk__in=_close_matches(recruiters, term)).order_by("legal_name", "pk")


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
