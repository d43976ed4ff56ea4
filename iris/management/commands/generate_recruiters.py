import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from iris.recruiters.models import (
    AccreditationState,
    Country,
    Recruiter,
    RecruiterCountry,
    Sector,
    normalise_name,
)
from iris.recruiters.roster import roster_index

BATCH = 5000
# Real rosters are diverse: a family or place name, mostly unique, then a word of the trade. Names
# built from a few dozen words would share every trigram and make any name search look broad.
ONSETS = ["b", "br", "d", "dr", "g", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "st", "t",
          "v", "w", "z", "ż", "ł", "cz", "sz", "ś", "j", "f", "gr", "pl"]  # fmt: skip
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ó", "ő", "ă", "é", "á", "ü", "y", "ia"]
CODAS = ["", "", "", "n", "r", "l", "k", "s", "m", "t", "sz", "nd", "rk"]
TRADES = [
    "Recruitment", "Staffing", "Personnel", "Talent", "Workforce", "Placements", "Careers",
    "Labour", "Harvest", "Care", "Nursing", "Logistics", "Maritime", "Hospitality", "Construction",
    "Manpower", "Services", "Overseas", "Global", "International", "Agencja", "Pracy", "Munkaerő",
    "Muncă", "Práce", "Personal", "Zeitarbeit", "Trabajo", "Empleo", "Труд", "Consulting",
    "Solutions", "Partners", "Group", "Crew", "Farming", "Healthcare", "Engineering", "Employment",
    "Jobs",
]  # fmt: skip
SUFFIXES = ["Ltd", "SRL", "Kft.", "s.r.o.", "Sp. z o.o.", "OOD", "Pvt Ltd", "LLC", "GmbH", "Inc."]


class Command(BaseCommand):
    help = (
        "Add N synthetic recruiters (most accredited, with countries and sectors) for load tests, "
        "in batches of 5,000. Their slugs start with 'synthetic-'."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1 or count > 1_000_000:
            raise CommandError("Give a count between 1 and 1,000,000.")
        rng = random.Random(seed)
        countries = list(Country.objects.values_list("code", flat=True))
        sectors = list(Sector.objects.values_list("code", flat=True))
        if not countries or not sectors:
            raise CommandError("Run migrate first: the countries and sectors are missing.")
        start = Recruiter.objects.filter(slug__startswith="synthetic-").count()
        today = timezone.localdate()
        states = [AccreditationState.ACCREDITED] * 7 + [
            AccreditationState.SUSPENDED,
            AccreditationState.WITHDRAWN,
            AccreditationState.APPLICANT,
        ]
        Through = Recruiter.sectors.through
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            recruiters = []
            for i in range(start + made, start + made + size):
                name = f"{_proper_name(rng)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)}"
                state = rng.choice(states)
                dated = state != AccreditationState.APPLICANT
                granted = today - timedelta(days=rng.randint(0, 500))
                recruiters.append(
                    Recruiter(
                        legal_name=name,
                        slug=f"synthetic-{i}",
                        search_name=normalise_name(name),
                        hq_country_id=rng.choice(countries),
                        state=state,
                        accreditation_number=f"IRIS-S-{i:07d}" if dated else None,
                        granted_on=granted if dated else None,
                        valid_until=granted + timedelta(days=365) if dated else None,
                    )
                )
            with transaction.atomic():
                Recruiter.objects.bulk_create(recruiters, batch_size=1000)
                # bulk_create sets primary keys on PostgreSQL and SQLite alike.
                RecruiterCountry.objects.bulk_create(
                    [
                        RecruiterCountry(recruiter_id=r.pk, country_id=c, kind=kind)
                        for r in recruiters
                        for c, kind in (
                            (rng.choice(countries), "origin"),
                            (rng.choice(countries), "destination"),
                        )
                    ],
                    batch_size=2000,
                    ignore_conflicts=True,
                )
                Through.objects.bulk_create(
                    [Through(recruiter_id=r.pk, sector_id=rng.choice(sectors)) for r in recruiters],
                    batch_size=2000,
                )
                roster_index(recruiter_ids=[r.pk for r in recruiters])
            made += size
            self.stdout.write(f"{made} of {count}")
        self.stdout.write(self.style.SUCCESS(f"Added {count} synthetic recruiters."))


def _proper_name(rng: random.Random) -> str:
    """A made-up family or place name of two or three syllables: "Kowér", "Łastoniek"."""
    syllables = rng.choice([2, 2, 3])
    word = "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    )
    return word.capitalize()
