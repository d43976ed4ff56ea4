import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from iris.models import (
    AccreditationState,
    Country,
    Recruiter,
    RecruiterCountry,
    Sector,
    normalise_name,
)

BATCH = 5000
WORDS = [
    "Global",
    "Fair",
    "Bridge",
    "Harvest",
    "Care",
    "Crew",
    "Talent",
    "Work",
    "Partners",
    "Staff",
    "Labour",
    "Overseas",
    "Horizon",
    "Atlas",
    "Nord",
    "Sud",
    "Vista",
    "Prime",
    "Unity",
    "Żagiel",
    "Munkaerő",
    "Muncă",
    "Práce",
    "Труд",
    "Ocean",
    "Field",
    "Bright",
    "Trust",
    "Meridian",
    "Delta",
]
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
                name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i} {rng.choice(SUFFIXES)}"
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
            made += size
            self.stdout.write(f"{made} of {count}")
        self.stdout.write(self.style.SUCCESS(f"Added {count} synthetic recruiters."))
