"""The recruiter's public page and the API show the history of its standing: each decision's
date, the standing and dates it left, never the reason an officer gave."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from iris.recruiters import services
from tests.iris.factories import RecruiterFactory

pytestmark = pytest.mark.django_db

REASON = "Passports kept at the Brasov office"


@pytest.fixture
def recruiter():
    recruiter = RecruiterFactory(
        legal_name="Danube Harvest SRL",
        accreditation_number="IRIS-A-000777",
        granted_on=date(2026, 9, 27),
        valid_until=date(2027, 9, 27),
    )
    services.recruiter_suspend(recruiter=recruiter, reason=REASON)
    services.recruiter_lift(recruiter=recruiter, note="Passports returned")
    return recruiter


def test_the_public_page_shows_the_history_without_reasons(client, recruiter):
    page = client.get(reverse("iris:recruiter", args=[recruiter.slug])).text
    assert "History of this accreditation" in page
    assert "Suspension lifted" in page and "Suspended" in page
    assert "27 September 2027" in page
    assert REASON not in page and "Passports returned" not in page


def test_the_public_history_reads_in_romanian(client, recruiter):
    with translation.override("ro"):
        url = reverse("iris:recruiter", args=[recruiter.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ro").text
    assert "Istoricul acestei acreditări" in page and "Suspendare ridicată" in page


def test_the_api_shows_the_history_without_reasons(client, recruiter):
    response = client.get("/api/v1/recruiters/IRIS-A-000777/history/")
    assert response.status_code == 200
    history = response.json()
    assert [(d["decision"], d["standing"]) for d in history] == [
        ("lift", "accredited"),
        ("suspend", "suspended"),
    ]
    assert history[0]["valid_until"] == "2027-09-27"
    assert {key for d in history for key in d} == {
        "date",
        "decision",
        "decision_label",
        "standing",
        "granted_on",
        "valid_until",
    }
    assert "Passports" not in response.text
