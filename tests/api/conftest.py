from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from iris.models import AccreditationState, Recruiter, RecruiterCountry
from tests.iris.factories import RecruiterFactory, country, sector


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(private_cache):
    """The per-client counters live in the cache; each test gets its own, empty one."""


@pytest.fixture
def api():
    """A partner's server calling the API, with no key."""
    return Client(HTTP_ACCEPT="application/json")


@pytest.fixture
def world(db):
    """One recruiter in each state, the accredited one with countries, sectors and contacts."""
    accredited = RecruiterFactory(
        legal_name="Agencja Pracy Wrocław Sp. z o.o.",
        accreditation_number="IRIS-A-000101",
        trading_names="Praca Wrocław\nWroclaw Jobs",
        registration_number="KRS 0000123456",
        website="https://agencja.example.pl",
        contact_email="biuro@agencja.example.pl",
        contact_phone="+48 71 555 0101",
        hq_country=country("PL"),
        sectors=[sector("agriculture")],
    )
    RecruiterCountry.objects.create(recruiter=accredited, country=country("PL"), kind="origin")
    RecruiterCountry.objects.create(recruiter=accredited, country=country("GB"), kind="destination")
    return {
        "accredited": accredited,
        "suspended": RecruiterFactory(
            legal_name="Munkaerő Kft.",
            accreditation_number="IRIS-A-000102",
            state=AccreditationState.SUSPENDED,
            hq_country=country("HU"),
            sectors=[sector("hospitality")],
        ),
        "applicant": RecruiterFactory(legal_name="Applicant Hopefuls Ltd", applicant=True),
        "withdrawn": RecruiterFactory(
            legal_name="Withdrawn Workers Ltd",
            accreditation_number="IRIS-A-000103",
            state=AccreditationState.WITHDRAWN,
        ),
        "expired": RecruiterFactory(
            legal_name="Lapsed Labour Ltd", accreditation_number="IRIS-A-000104", lapsed=True
        ),
    }


@pytest.fixture
def settled(world):
    """The world as a partner usually finds it: last changed an hour ago, not this very second
    (a Last-Modified is sent only once the second of the newest change is over)."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Recruiter.objects.update(updated_at=an_hour_ago)
    Recruiter.history.update(history_date=an_hour_ago)
    return world
