import pytest

from .factories import SessionFactory


@pytest.fixture(autouse=True)
def _fresh_throttle(private_cache):
    """Per-address counters of this test's own."""


@pytest.fixture
def session(db):
    return SessionFactory(capacity=2)


def booking_data(**overrides) -> dict:
    data = {
        "name": "Priya Shah",
        "email": "priya.shah@camden.example",
        "organisation": "Camden Council",
        "sector": "social_work",
        "job_title": "Senior social worker",
        "requirements": "",
    }
    data.update(overrides)
    return data
