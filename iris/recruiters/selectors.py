"""IRIS reads: the public roster search, accreditation checks and the officers' figures.

Over 400 lines on purpose: the public search, the API's pages and the officers' figures share
one set of query helpers (word matching, spellings, the standing as of today)."""

import difflib
import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.safestring import mark_safe

from .choices import reference_names
from .models import (
    DATED_STATES,
    AccreditationState,
    ApiKey,
    Application,
    Country,
    Recruiter,
    RecruiterCountry,
    RecruiterWatch,
    Sector,
)
from .roster_models import RosterSpelling, RosterWord
from .text import FORGIVEN_LENGTH, accreditation_number_normalise, normalise_name, one_letter_out

# A search reads at most this many words of what was typed.
MOST_WORDS = 8
# Words shorter than this are matched whole ("sp", "o"); longer ones also start longer words.
PREFIX_LENGTH = 3
# A misspelt word is tried as each of at most this many of the closest words on the roster,
# chosen from at most CANDIDATES one slip away.
SPELLINGS = 20
CANDIDATES = 200


def roster_matches(*, q: str = "", country: str = "", sector: str = "", most: int) -> list[int]:
    """Ids of the listed recruiters matching a forgiving name search and the filters, in name
    order: at most `most` + 1, so a page costs the same however long the roster grows (one more
    than `most` says there are more).

    Every word typed must start a word of the recruiter's legal or trading names, in any order.
    A misspelt word, one that starts no word on the roster, is tried as each of the closest
    words one slip away.
    """
    words = list(dict.fromkeys(normalise_name(q).split()))[:MOST_WORDS]
    if not words:
        listed = roster_listed(country=country, sector=sector).order_by("legal_name", "pk")
        return list(listed.values_list("pk", flat=True)[: most + 1])
    as_typed = [_starts_a_word(word) for word in words]
    if len(words) == 1:
        # One word: its own search says whether it is on the roster, unless it finds no one.
        found = _word_matches(as_typed, country=country, sector=sector, most=most)
        if found or _any_word_meets(as_typed)[0]:
            return found
        known = [False]
    else:
        # Which words are on the roster is one cheap query; planning the join as typed, to
        # forgive only once it finds no one, would cost a second plan of the join.
        known = _any_word_meets(as_typed)
        if all(known):
            return _word_matches(as_typed, country=country, sector=sector, most=most)
    forgiven = []
    for word, condition, is_known in zip(words, as_typed, known, strict=True):
        if not is_known:
            if not (spellings := _spellings_close_to(word)):
                return []
            condition = _one_of(spellings)
        forgiven.append(condition)
    return _word_matches(forgiven, country=country, sector=sector, most=most)


# A condition on one roster word, as SQL on the word column "{w}.word" (the alias left to the
# query it joins) and its parameters.
WordCondition = tuple[str, list[str]]


def _starts_a_word(word: str) -> WordCondition:
    if len(word) >= PREFIX_LENGTH:
        pattern = connection.ops.prep_for_like_query(word) + "%"
        return "{w}.word " + connection.operators["startswith"], [pattern]
    return "{w}.word = %s", [word]


def _one_of(words: list[str]) -> WordCondition:
    return "{w}.word IN (" + ", ".join(["%s"] * len(words)) + ")", words


# The word search is written in SQL: the ORM took over twice as long to build its query, one
# subquery for each word typed, as PostgreSQL took to plan and answer it (issue 30).
def _word_matches(
    conditions: list[WordCondition], *, country: str, sector: str, most: int
) -> list[int]:
    """Listed recruiters with a word meeting each condition, in name order, read off the
    roster's word index (the planner starts from the word with the fewest entries)."""
    table = connection.ops.quote_name(RosterWord._meta.db_table)
    contains = connection.operators["contains"]
    (first, params), *others = conditions
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    sql = [
        f"SELECT DISTINCT w.recruiter_id, w.legal_name FROM {table} w",  # noqa: S608 - the model's table
        f"WHERE {first.format(w='w')} AND w.valid_until >= %s",
    ]
    params = [*params, today]
    for column, code in (("countries", country), ("sectors", sector)):
        if code:
            sql.append(f"AND w.{column} {contains}")
            params.append(f"% {connection.ops.prep_for_like_query(code)} %")
    for condition, condition_params in others:
        sql.append(
            f"AND EXISTS (SELECT 1 FROM {table} o"  # noqa: S608 - the model's table
            f" WHERE o.recruiter_id = w.recruiter_id AND {condition.format(w='o')})"
        )
        params.extend(condition_params)
    sql.append("ORDER BY w.legal_name, w.recruiter_id LIMIT %s")
    params.append(most + 1)
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), params)
        return [pk for pk, _ in cursor.fetchall()]


def _any_word_meets(conditions: list[WordCondition]) -> list[bool]:
    """For each condition, whether any word on the roster meets it: one query for them all."""
    table = connection.ops.quote_name(RosterWord._meta.db_table)
    checks, params = [], []
    for condition, condition_params in conditions:
        checks.append(f"EXISTS (SELECT 1 FROM {table} w WHERE {condition.format(w='w')})")  # noqa: S608
        params.extend(condition_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(checks), params)
        return [bool(known) for known in cursor.fetchone()]


def _spellings_close_to(word: str) -> list[str]:
    """The roster's words one slip from a misspelt one (a letter dropped, added, changed, or two
    swapped), closest first: those sharing a spelling with one letter left out."""
    if len(word) < FORGIVEN_LENGTH:
        return []
    variants = sorted(one_letter_out(word))
    table = connection.ops.quote_name(RosterSpelling._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {table} WHERE variant IN ({', '.join(['%s'] * len(variants))})"  # noqa: S608 - the model's table
            " LIMIT %s",
            [*variants, CANDIDATES],
        )
        close = {spelling for (spelling,) in cursor.fetchall()}
    return sorted(close, key=lambda w: (-difflib.SequenceMatcher(None, word, w).ratio(), w))[
        :SPELLINGS
    ]


def roster_listed(*, country: str = "", sector: str = "") -> QuerySet[Recruiter]:
    """Recruiters on the roster, in `country` (head office or operations) and `sector` if given."""
    return _in_country_and_sector(Recruiter.objects.on_roster(), country=country, sector=sector)


def _in_country_and_sector(
    recruiters: QuerySet[Recruiter], *, country: str, sector: str
) -> QuerySet[Recruiter]:
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


# What a roster row shows of a recruiter (iris/templatetags/roster_rows.py).
ROSTER_ROW_FIELDS = [
    "slug",
    "legal_name",
    "trading_names",
    "state",
    "valid_until",
    "accreditation_number",
    "hq_country",
]


def roster_entries(*, ids: list[int]) -> list[Recruiter]:
    """The recruiters `ids` names, in that order, with what their roster row shows: the fields
    it draws and `sector_codes`, their sectors' codes (the row names them, and its head
    office's country, from the kept lists). One query with no sort, the codes gathered by the
    database: Django's prefetch of Sector rows took longer than drawing the 20 rows."""
    recruiters = (
        Recruiter.objects.only(*ROSTER_ROW_FIELDS)
        .order_by()
        .annotate(sector_list=StringAgg("sectors", Value(" "), default=""))
        .in_bulk(ids)
    )
    for recruiter in recruiters.values():
        recruiter.sector_codes = recruiter.sector_list.split()
    return [recruiters[pk] for pk in ids if pk in recruiters]


def _public_recruiters() -> QuerySet[Recruiter]:
    """Recruiters with a public page: anyone but an applicant that has not been accredited yet."""
    return Recruiter.objects.exclude(state="applicant").select_related("hq_country")


def recruiter_for_public(*, slug: str) -> Recruiter | None:
    """A recruiter's public page, with what its facts show beyond its row: `origin_names`,
    `destination_names` and `sector_names`, each its countries or sectors named as the kept
    lists name them (escaped, in the reader's language), "" for none. Two small queries:
    Django's prefetch of the rows took longer than reading and naming them."""
    recruiter = _public_recruiters().filter(slug=slug).first()
    if recruiter is None:
        return None
    # Countries in the order of their names in the reader's language, as the lists offer them
    # (the prefetch gave them in whatever order the database's plan returned).
    operations = set(recruiter.operations.values_list("kind", "country_id"))
    countries = reference_names(Country, {country for _, country in operations})
    for kind, attribute in [("origin", "origin_names"), ("destination", "destination_names")]:
        names = [name for code, name in countries.items() if (kind, code) in operations]
        setattr(recruiter, attribute, mark_safe(", ".join(names)))  # noqa: S308 - names escaped
    sectors = Recruiter.sectors.through.objects.filter(recruiter=recruiter)
    names = reference_names(Sector, set(sectors.values_list("sector_id", flat=True))).values()
    recruiter.sector_names = mark_safe(", ".join(names))  # noqa: S308 - names escaped
    return recruiter


def recruiter_name_for_public(*, slug: str) -> str:
    """The legal name of the recruiter whose public page `slug` names, else ""."""
    return _public_recruiters().filter(slug=slug).values_list("legal_name", flat=True).first() or ""


def recruiter_by_number(*, number: str) -> Recruiter | None:
    """The recruiter an accreditation number was issued to, however the number is written
    (never an applicant, which has none yet)."""
    number = accreditation_number_normalise(number)
    if number is None:
        return None
    return (
        Recruiter.objects.exclude(state="applicant")
        .select_related("hq_country")
        .filter(accreditation_number=number)
        .first()
    )


# A complaint's form offers at most this many of the recruiters a name matches.
MOST_NAMED = 10
# A roster page's address, full or from its path on: the slug after "recruiters/".
_PAGE_ADDRESS = re.compile(r"(?:^|/)recruiters/([-\w]+)")
_SLUG = re.compile(r"[-a-z0-9]+")


def recruiters_named(*, text: str, most: int = MOST_NAMED) -> list[Recruiter]:
    """The recruiters someone may mean by what they typed, at most `most` + 1 (one more says
    there are more): the one an accreditation number (written any way) or a roster page address
    names; else the roster search's matches for a name, typos and accents forgiven, and only the
    one whose whole name it is when there is one.

    A recruiter's page, and so its name, stays public once it has left the roster: its exact
    legal name still names it. An applicant is never named.
    """
    text = " ".join(text.replace("\x00", " ").split())  # PostgreSQL refuses a NUL in a lookup
    if not text:
        return []
    if numbered := recruiter_by_number(number=text):
        return [numbered]
    if addressed := _recruiter_by_page_address(text):
        return [addressed]
    ids = roster_matches(q=text, most=most)
    found = Recruiter.objects.select_related("hq_country").in_bulk(ids)
    found = [found[pk] for pk in ids if pk in found]
    wanted = normalise_name(text)
    whole = [
        recruiter
        for recruiter in found
        if wanted
        in {normalise_name(name) for name in [recruiter.legal_name, *recruiter.trading_name_list]}
    ]
    if len(whole) == 1:
        return whole
    if not found:
        off_roster = Recruiter.objects.exclude(state=AccreditationState.APPLICANT).filter(
            legal_name__iexact=text
        )
        found = list(off_roster.select_related("hq_country")[: most + 1])
    return found


def recruiters_like(*, text: str, most: int = MOST_NAMED) -> list[Recruiter]:
    """For an officer matching a complaint: the recruiters the whole name may mean, else those
    any one of its words may mean."""
    if found := recruiters_named(text=text, most=most):
        return found[:most]
    by_word = {}
    for word in normalise_name(text).split()[:MOST_WORDS]:
        for recruiter in recruiters_named(text=word, most=most):
            by_word.setdefault(recruiter.pk, recruiter)
    return list(by_word.values())[:most]


def _recruiter_by_page_address(text: str) -> Recruiter | None:
    """The recruiter whose roster page this is: a full address, a path, or the bare slug."""
    path = text.split("?")[0].split("#")[0]
    if match := _PAGE_ADDRESS.search(path):
        slug = match.group(1).lower()
    elif _SLUG.fullmatch(text):
        slug = text
    else:
        return None
    return _public_recruiters().filter(slug=slug).first()


# The staff workspace: figures counted by the database, returned as plain data.
# Each function runs a fixed number of queries, however many rows there are.
EXPIRY_HORIZON_DAYS = 60
# Days-to-expiry groups of the accreditations ending soon: (first day, last day).
EXPIRY_BANDS = [(0, 14), (15, 30), (31, 60)]


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
    """Accredited recruiters whose accreditation ends within the next 60 days, by days left."""
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


# The open API (iris/recruiters/api.py): the roster search, paged by cursor.


# The standings a recruiter on the roster has: what the API lists unless asked for others.
LISTED_STANDINGS = (AccreditationState.ACCREDITED.value, AccreditationState.SUSPENDED.value)


def _standing_in(standings) -> Q:
    """Recruiters whose standing today (an accreditation past its date is expired) is one of
    `standings`, as conditions the state and date indexes answer."""
    today = timezone.localdate()
    conditions = {
        AccreditationState.ACCREDITED: Q(
            state=AccreditationState.ACCREDITED, valid_until__gte=today
        ),
        AccreditationState.SUSPENDED: Q(state=AccreditationState.SUSPENDED, valid_until__gte=today),
        AccreditationState.EXPIRED: Q(state=AccreditationState.EXPIRED)
        | Q(state__in=DATED_STATES, valid_until__lt=today),
        AccreditationState.WITHDRAWN: Q(state=AccreditationState.WITHDRAWN),
    }
    wanted = Q(pk__in=[])
    for standing in standings:
        wanted |= conditions[standing]
    return wanted


def roster_for_api(
    *,
    q: str = "",
    country: str = "",
    sector: str = "",
    standings=LISTED_STANDINGS,
    updated_since: datetime | None = None,
) -> QuerySet[Recruiter]:
    """What the API's roster search pages through: recruiters in one of `standings` (those on
    the roster unless asked), changed since `updated_since` if given, in `country` and `sector`
    if given; and of those, the one an accreditation number in `q` names, or else the roster
    search's matches for the name typed (at most API_MOST_MATCHES; a name search reads the
    roster, so finds no one expired or withdrawn). Every filter applies, whatever `q` is."""
    recruiters = _in_country_and_sector(
        Recruiter.objects.filter(_standing_in(standings)), country=country, sector=sector
    )
    if updated_since is not None:
        recruiters = recruiters.filter(updated_at__gte=updated_since)
    if numbered := recruiter_by_number(number=q):
        recruiters = recruiters.filter(pk=numbered.pk)
    elif q.strip():
        most = settings.API_MOST_MATCHES
        ids = roster_matches(q=q, country=country, sector=sector, most=most)[:most]
        recruiters = recruiters.filter(pk__in=ids)
    return recruiters.select_related("hq_country").prefetch_related(*_ANSWER_ROWS)


# What a recruiter's answer reads beyond its row: two queries, whatever it holds.
_ANSWER_ROWS = [
    Prefetch("operations", queryset=RecruiterCountry.objects.select_related("country")),
    "sectors",
]


def recruiter_answer_load(recruiter: Recruiter) -> Recruiter:
    """Read what the API's answer for `recruiter` shows beyond its row (countries, sectors)."""
    prefetch_related_objects([recruiter], *_ANSWER_ROWS)
    return recruiter


def _one_value(queryset: QuerySet, function: str, field: str, output_field) -> Subquery:
    # COUNT/MAX over the whole queryset as a scalar subquery: no GROUP BY, one row.
    return Subquery(
        queryset.order_by()
        .annotate(value=Func(F(field), function=function, output_field=output_field))
        .values("value")[:1],
        output_field=output_field,
    )


def roster_with_page_facts(recruiters: QuerySet[Recruiter]) -> QuerySet[Recruiter]:
    """`recruiters`, each row also carrying how many there are in all (`total`) and what
    `roster_changed_at` reads (`roster_updated`, `roster_written`): a page is one query."""
    history = Recruiter.history.model._default_manager
    return recruiters.annotate(
        total=_one_value(recruiters, "COUNT", "pk", IntegerField()),
        roster_updated=_one_value(Recruiter.objects.all(), "MAX", "updated_at", DateTimeField()),
        roster_written=_one_value(history.all(), "MAX", "history_date", DateTimeField()),
    )


def roster_changed_at(
    *, updated: datetime | None = None, written: datetime | None = None
) -> datetime:
    """When the roster last changed: a recruiter added, changed (its sectors, countries and
    their names included: `Recruiter.updated_at` moves with them) or deleted, or midnight today,
    when accreditations past their date lapse without any change being written. `updated` and
    `written`, when a page's query read them already (`roster_with_page_facts`), save two."""
    if updated is None:
        updated = Recruiter.objects.aggregate(newest=Max("updated_at"))["newest"]
    if written is None:
        # Only the history keeps a deletion's time (its date column is indexed; the type is not).
        written = Recruiter.history.aggregate(newest=Max("history_date"))["newest"]
    return max(t for t in (updated, written, lapsed_since()) if t is not None)


def lapsed_since() -> datetime:
    """Midnight today: standings computed from dates may have changed then, nothing written."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def api_key_active(*, key_hash: str) -> ApiKey | None:
    """The partner key with this hash, unless it was revoked."""
    return ApiKey.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first()


def watches_of_address(*, token: str) -> list[RecruiterWatch] | None:
    """Every confirmed watch of the address one emailed link was sent to (None for an unknown
    link): the "manage my watches" page."""
    watch = RecruiterWatch.objects.filter(token=token).first()
    if watch is None:
        return None
    return list(
        RecruiterWatch.objects.filter(email__iexact=watch.email, confirmed_at__isnull=False)
        .select_related("recruiter")
        .order_by("recruiter__legal_name")
    )


def standing_history(*, recruiter: Recruiter):
    """The public history of a recruiter's standing, newest first: each decision's date, the
    state and dates it left; its reason is not even read."""
    return recruiter.decisions.only(
        "recruiter_id", "kind", "state", "granted_on", "valid_until", "decided_at"
    ).order_by("-decided_at", "-pk")


STAFF_PAGE_SIZE = 50


def recruiters_for_officers(*, q: str = "", state: str = "") -> QuerySet[Recruiter]:
    """The officers' list: every recruiter, applicants too, by name, number or address."""
    recruiters = Recruiter.objects.with_current_state().select_related("hq_country")
    if state:
        recruiters = recruiters.filter(current_state=state)
    if q.strip():
        recruiters = recruiters.filter(
            Q(search_name__contains=normalise_name(q))
            | Q(accreditation_number=accreditation_number_normalise(q) or q.strip())
            | Q(slug=q.strip())
        )
    return recruiters.order_by("legal_name", "pk")
