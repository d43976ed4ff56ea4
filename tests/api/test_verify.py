"""A partner's page checks a number and gets the verify page's own answer."""

import pytest

from iomuk.dates import long_date
from iris.models import AccreditationState
from tests.iris.factories import RecruiterFactory


def _verify(api, number, **headers):
    response = api.get(f"/api/v1/verify/{number}/", follow=True, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_valid_number_is_valid_in_the_verify_pages_words(api, world):
    recruiter = world["accredited"]
    body = _verify(api, "iris a 101")
    assert body["answer"] == "accredited"
    assert body["valid"] is True
    until = long_date(recruiter.valid_until)
    assert body["message"] == (
        f"IRIS-A-000101 is valid today. It belongs to {recruiter.legal_name} and is valid "
        f"until {until}."
    )
    # The same sentence the page shows.
    page = api.post("/iris/verify/", {"number": "IRIS-A-000101"}).content.decode()
    assert "IRIS-A-000101 is <strong>valid</strong> today." in page
    assert f"It belongs to {recruiter.legal_name} and is valid until {until}." in page


@pytest.mark.parametrize(
    ("key", "number", "answer", "label"),
    [
        ("suspended", "IRIS-A-000102", "suspended", "Suspended"),
        ("withdrawn", "IRIS-A-000103", "withdrawn", "Withdrawn"),
        ("expired", "IRIS-A-000104", "expired", "Expired"),
    ],
)
def test_a_number_not_valid_today_says_why(api, world, key, number, answer, label):
    body = _verify(api, number)
    assert body["answer"] == answer
    assert body["valid"] is False
    assert body["message"] == (
        # One full stop after a name that ends in one ("Munkaerő Kft.").
        f"{number} is not valid today. It was issued to {world[key].legal_name.rstrip('.')}. "
        f"Its accreditation is: {label}."
    )


def test_an_unknown_number_is_unknown(api, world):
    body = _verify(api, "IRIS-A-999999")
    assert body["answer"] == "unknown"
    assert body["message"].startswith("“IRIS-A-999999” is not an accreditation number on our list.")
    assert body["page"] is None


def test_the_answer_follows_the_callers_language(api, world):
    body = _verify(api, "IRIS-A-000102", HTTP_ACCEPT_LANGUAGE="ro")
    assert body["answer"] == "suspended"
    assert "not valid today" not in body["message"]


def test_a_suspension_shows_at_once(api, db):
    recruiter = RecruiterFactory(accreditation_number="IRIS-A-000200")
    assert _verify(api, "IRIS-A-000200")["answer"] == "accredited"
    recruiter.state = AccreditationState.SUSPENDED
    recruiter.save()
    assert _verify(api, "IRIS-A-000200")["answer"] == "suspended"
