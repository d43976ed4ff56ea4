import pytest
from django.urls import reverse

from iris.models import AccreditationState

from .factories import RecruiterFactory

URL = reverse("iris:verify")


def check(client, number):
    return client.post(URL, {"number": number})


def test_a_current_number_is_valid_today_for_whom_and_until_when(client, db):
    recruiter = RecruiterFactory(legal_name="Manila Care Placements Inc.")
    page = check(client, recruiter.accreditation_number).content.decode()
    assert f"{recruiter.accreditation_number} is <strong>valid</strong> today." in page
    assert "Manila Care Placements Inc." in page
    assert recruiter.valid_until.strftime("%-d %B %Y") in page


def test_it_forgives_case_and_spaces_in_the_number(client, db):
    recruiter = RecruiterFactory()
    page = check(client, f"  {recruiter.accreditation_number.lower()} ").content.decode()
    assert "is <strong>valid</strong> today." in page


@pytest.mark.parametrize(
    "kwargs, label",
    [
        ({"state": AccreditationState.SUSPENDED}, "Suspended"),
        ({"state": AccreditationState.WITHDRAWN}, "Withdrawn"),
        ({"lapsed": True}, "Expired"),
    ],
)
def test_a_number_that_is_not_current_is_not_valid_with_what_to_do(client, db, kwargs, label):
    recruiter = RecruiterFactory(**kwargs)
    page = check(client, recruiter.accreditation_number).content.decode()
    assert "is <strong>not</strong> valid today." in page
    assert label in page
    assert "Do not pay any fee" in page


def test_an_unknown_number_gets_a_plain_answer(client, db):
    response = check(client, "IRIS-A-999999")
    page = response.content.decode()
    assert response.status_code == 200
    assert "is <strong>not</strong> an accreditation number on our list." in page
    assert "Search the list" in page


def test_an_applicants_number_is_never_shown_as_valid(client, db):
    RecruiterFactory(applicant=True)
    assert (
        "is <strong>not</strong> an accreditation number" in check(client, "None").content.decode()
    )


@pytest.mark.parametrize("number", ["", "x" * 200, "<script>alert(1)</script>"])
def test_bad_numbers_get_a_message_not_an_error(client, db, number):
    response = check(client, number)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page


def test_it_is_rate_limited_per_address(client, db, settings):
    settings.IRIS_VERIFY_LIMIT = (3, 600)
    for _ in range(3):
        assert check(client, "IRIS-A-000001").status_code == 200
    response = check(client, "IRIS-A-000001")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "IRIS A 000001",
        "IRISA000001",
        "000001",
        "1",
        "iris-a-000001",
        "iris a 000001",
        "IRIS–A–000001",  # en dashes, as a word processor writes them
        "IRIS—A—000001",
        "IRIS − A − 000001",
        "  IRIS -  A - 000001 ",
        "IRIS\u00a0A\u00a0000001",  # no-break spaces, as pasted from a web page
        "IRIS.A.000001.",
        "A-000001",
        "IRIS-000001",
        "ＩＲＩＳ－Ａ－０００００１",  # full-width, as typed on some phone keyboards
    ],
)
def test_a_real_number_is_valid_however_it_is_written(client, db, typed):
    RecruiterFactory(accreditation_number="IRIS-A-000001")
    page = check(client, typed).content.decode()
    assert "IRIS-A-000001 is <strong>valid</strong> today." in page, typed


@pytest.mark.parametrize("typed", ["IRIS-B-000001", "IRIS-A-000002", "IRIS AA 000001", "Ltd"])
def test_a_number_that_is_not_ours_is_still_not_valid(client, db, typed):
    RecruiterFactory(accreditation_number="IRIS-A-000001")
    assert (
        "is <strong>not</strong> an accreditation number on our list."
        in check(client, typed).content.decode()
    )
