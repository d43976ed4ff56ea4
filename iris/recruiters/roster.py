"""The roster's search index, kept in step with the recruiters by the services that change them.

The design kept: one word index (`RosterWord`) and its spellings (`RosterSpelling`) on both
databases, written from the recruiter's normalised names (`Recruiter.search_name`, computed in
Python by `normalise_name`, the same function that normalises what is typed). `roster_index` is
called by every service in iris.recruiters.services that changes what the search reads (names,
standing, dates, head office, countries of operation, sectors); no model `save()`, queryset
`update()` or signal on a recruiter does index work, so a change made around the services is
not indexed. Reference data has no services: a sector's deletion rewrites its recruiters' words
and a country's or sector's renaming marks theirs changed (`connect`, hooks on Sector and
Country only). A recruiter's deletion takes its words with it (a foreign key that cascades).
A bulk load calls `roster_index` or the `rebuild_roster_index` command.

Why not `pg_trgm` and `unaccent` on PostgreSQL, with the word table on SQLite only: the two
databases would then find different recruiters for the same words (`unaccent` and Python's
NFKD disagree on some letters, and trigram similarity forgives other slips than one letter
out), the roster's bounded, index-only reads would become a similarity scan on PostgreSQL, and
two search paths would need two sets of tests. One index, written from one normaliser, keeps
today's found rates on both databases.
"""

from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_delete

from .models import DATED_STATES, Country, Recruiter, RecruiterCountry, Sector
from .roster_models import ROSTER_WORD_LENGTH, RosterSpelling, RosterWord
from .text import FORGIVEN_LENGTH, one_letter_out

REBUILD_BATCH = 2000


def roster_index(*, recruiter_ids) -> None:
    """Rewrite the roster's search words of these recruiters: each word of a listed recruiter's
    names, with its countries and sectors; none for a recruiter off the roster. A stored
    `search_name` that no longer follows the names is put right first."""
    with transaction.atomic():
        # The recruiters' row locks, in one order: two rewrites of one recruiter queue.
        locked = list(
            Recruiter.objects.select_for_update()
            .filter(pk__in=recruiter_ids)
            .order_by("pk")
            .only("legal_name", "trading_names", "search_name")
        )
        _search_names_correct(locked)
        RosterWord.objects.filter(recruiter_id__in=[r.pk for r in locked]).delete()
        listed = (
            Recruiter.objects.filter(pk__in=[r.pk for r in locked], state__in=DATED_STATES)
            .only("legal_name", "search_name", "valid_until", "hq_country_id")
            .prefetch_related("operations", "sectors")
        )
        words = [word for recruiter in listed for word in _roster_words(recruiter)]
        RosterWord.objects.bulk_create(words, batch_size=2000)
        _roster_spellings_add({word.word for word in words})


def roster_rebuild() -> int:
    """Rewrite the whole index, the spellings and every recruiter's `search_name` from the
    recruiters as they are; returns how many recruiters were read. Readers see the old index
    until it is done (one transaction)."""
    ids = list(Recruiter.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        RosterWord.objects.all().delete()
        RosterSpelling.objects.all().delete()  # drops the spellings of words no longer used
        for start in range(0, len(ids), REBUILD_BATCH):
            roster_index(recruiter_ids=ids[start : start + REBUILD_BATCH])
    return len(ids)


def _search_names_correct(recruiters: list[Recruiter]) -> None:
    stale = []
    for recruiter in recruiters:
        if recruiter.search_name != (search_name := recruiter.compute_search_name()):
            recruiter.search_name = search_name
            stale.append(recruiter)
    Recruiter.objects.bulk_update(stale, ["search_name"], batch_size=500)


def _roster_spellings_add(words: set[str]) -> None:
    """Store the spellings of the words the roster has not held before."""
    held = RosterSpelling.objects.filter(variant__in=words, word=F("variant"))
    new = words - set(held.values_list("word", flat=True))
    RosterSpelling.objects.bulk_create(
        [
            RosterSpelling(variant=variant, word=word)
            for word in new
            if len(word) >= FORGIVEN_LENGTH - 1  # a slip may have added a letter
            for variant in one_letter_out(word)
        ],
        batch_size=5000,
        ignore_conflicts=True,  # another rewrite may be adding the same new word
    )


def _roster_words(recruiter: Recruiter) -> list[RosterWord]:
    countries = {recruiter.hq_country_id, *(op.country_id for op in recruiter.operations.all())}
    sectors = {sector.pk for sector in recruiter.sectors.all()}
    return [
        RosterWord(
            recruiter=recruiter,
            word=word,
            legal_name=recruiter.legal_name,
            valid_until=recruiter.valid_until,
            countries=f" {' '.join(sorted(countries))} ",
            sectors=f" {' '.join(sorted(sectors))} ",
        )
        for word in {w[:ROSTER_WORD_LENGTH] for w in recruiter.search_name.split()}
    ]


# ---------------------------------------------------------------------------
# Reference data: countries and sectors have no services of their own
# ---------------------------------------------------------------------------
def _links_of_changed(recruiter_ids) -> None:
    """A recruiter's sectors or countries changed: its search words are rewritten, and it is
    marked changed (its `updated_at`, which the API's Last-Modified reads)."""
    roster_index(recruiter_ids=recruiter_ids)
    Recruiter.objects.filter(pk__in=recruiter_ids).touch()


# Django sends no signal for the rows of an automatic link table that a deletion cascades to:
# a sector's recruiters are read before it goes, and rewritten once it has.
def _sector_deleting(sender, instance, **kwargs) -> None:
    instance._roster_unlinked = list(instance.recruiters.values_list("pk", flat=True))


def _sector_deleted(sender, instance, **kwargs) -> None:
    _links_of_changed(getattr(instance, "_roster_unlinked", []))


# A country's or sector's name is shown in every answer of the recruiters that name it.
def _country_saved(sender, instance, created, **kwargs) -> None:
    if not created:
        Recruiter.objects.filter(
            Q(hq_country=instance.pk)
            | Q(pk__in=RecruiterCountry.objects.filter(country=instance.pk).values("recruiter_id"))
        ).touch()


def _sector_saved(sender, instance, created, **kwargs) -> None:
    if not created:
        Recruiter.objects.filter(sectors=instance.pk).touch()


def connect() -> None:
    """Hook the index to the reference data, sectors and countries, edited in the admin by an
    administrator and changed by no service (called once, from the app's `ready()`)."""
    pre_delete.connect(_sector_deleting, sender=Sector, dispatch_uid="roster-sector")
    post_delete.connect(_sector_deleted, sender=Sector, dispatch_uid="roster-sector")
    post_save.connect(_country_saved, sender=Country, dispatch_uid="roster-country-name")
    post_save.connect(_sector_saved, sender=Sector, dispatch_uid="roster-sector-name")
