"""Certificate codes: a guessed code costs the same work as a real one, and guessing is limited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from training import services

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    starts = timezone.now() - timedelta(days=1)
    session = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    BookingFactory(session=session, attended=True, name="Grace Okafor")
    return services.certificates_issue(session=session)[0]


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def test_a_real_and_a_guessed_code_cost_the_same_queries(client, certificate):
    found, real = _queries(client, f"/training/certificates/{certificate.code}/")
    missing, guessed = _queries(client, "/training/certificates/CPD-ZZZZ-ZZZZ/")
    assert found.status_code == 200 and missing.status_code == 404
    assert real == guessed


def test_guessing_certificate_codes_is_paused_per_client(client, certificate, settings):
    settings.CERTIFICATE_LOOKUP_LIMIT = (3, 600)
    for n in range(3):
        assert client.get(f"/training/certificates/CPD-ZZZZ-ZZZ{n}/").status_code == 404
    response = client.get(f"/training/certificates/{certificate.code}/")
    assert response.status_code == 429
    assert "Grace Okafor" not in response.text
    assert "minute" in response.text


def test_the_lookup_form_counts_against_the_same_limit(client, certificate, settings):
    settings.CERTIFICATE_LOOKUP_LIMIT = (3, 600)
    for n in range(3):
        client.post("/training/certificates/", {"code": f"CPD-ZZZZ-ZZZ{n}"})
    response = client.post("/training/certificates/", {"code": certificate.code}, follow=True)
    assert response.status_code == 429
    assert "Grace Okafor" not in response.text


def test_another_client_is_not_paused(client, certificate, settings):
    settings.CERTIFICATE_LOOKUP_LIMIT = (3, 600)
    for n in range(4):
        client.get(f"/training/certificates/CPD-ZZZZ-ZZZ{n}/", REMOTE_ADDR="203.0.113.7")
    response = client.get(f"/training/certificates/{certificate.code}/", REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 200
    assert "Grace Okafor" in response.text
