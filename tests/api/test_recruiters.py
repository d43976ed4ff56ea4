"""A partner searches the roster through the API and finds what the roster page finds."""

from urllib.parse import quote

import pytest

from tests.iris.factories import RecruiterFactory

URL = "/api/v1/recruiters/"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [recruiter["name"] for recruiter in response.json()["results"]]


def test_it_lists_accredited_and_suspended_recruiters_only(api, world):
    assert _names(api.get(URL)) == ["Agencja Pracy Wrocław Sp. z o.o.", "Munkaerő Kft."]


@pytest.mark.parametrize(
    "q", ["Wroclaw", "wrocław", "AGENCJA PRACY", "Wroclaq", "Agencka", "pracy wroclaw"]
)
def test_search_forgives_case_accents_and_small_typos(api, world, q):
    assert _names(api.get(URL, {"q": q})) == ["Agencja Pracy Wrocław Sp. z o.o."]


def test_it_finds_an_accent_less_name(api, world):
    assert _names(api.get(URL, {"q": "munkaero"})) == ["Munkaerő Kft."]


@pytest.mark.parametrize("q", ["IRIS-A-000101", "iris a 101", "101"])
def test_an_accreditation_number_finds_its_recruiter(api, world, q):
    assert _names(api.get(URL, {"q": q})) == ["Agencja Pracy Wrocław Sp. z o.o."]


def test_it_never_lists_an_applicant_withdrawn_or_lapsed_recruiter_by_name(api, world):
    for q in ("applicant hopefuls", "withdrawn workers", "lapsed labour"):
        assert _names(api.get(URL, {"q": q})) == []


def test_it_filters_by_country_of_operation_and_by_sector(api, world):
    assert _names(api.get(URL, {"country": "gb"})) == ["Agencja Pracy Wrocław Sp. z o.o."]
    assert _names(api.get(URL, {"country": "HU"})) == ["Munkaerő Kft."]
    assert _names(api.get(URL, {"sector": "hospitality"})) == ["Munkaerő Kft."]
    assert _names(api.get(URL, {"q": "wroclaw", "sector": "hospitality"})) == []


def test_a_country_that_names_no_one_finds_no_one(api, world):
    assert _names(api.get(URL, {"country": "XX"})) == []
    assert _names(api.get(URL, {"q": "wroclaw", "sector": "no-such-sector"})) == []


def test_a_malformed_country_is_a_bad_request_in_problem_details(api, world):
    response = api.get(URL, {"country": "Poland'--"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Bad Request"
    assert "country" in problem["errors"]


def test_pages_follow_by_cursor_in_name_order_without_repeats(api, db):
    for n in range(45):
        RecruiterFactory(legal_name=f"Cursor Recruiter {n:02d} Ltd")
    seen, url = [], URL
    while url:
        body = api.get(url).json()
        seen += [recruiter["name"] for recruiter in body["results"]]
        url = body["next"]
    assert seen == [f"Cursor Recruiter {n:02d} Ltd" for n in range(45)]


def test_a_forged_cursor_is_a_bad_request_in_problem_details(api, world):
    response = api.get(URL, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["cursor"]


def test_one_recruiter_by_number_shows_its_standing_dates_countries_and_page(api, world):
    response = api.get("/api/v1/recruiters/iris-a-101/", follow=True)
    assert response.redirect_chain == [("/api/v1/recruiters/IRIS-A-000101/", 301)]
    body = response.json()
    recruiter = world["accredited"]
    assert body["number"] == "IRIS-A-000101"
    assert body["standing"] == "accredited"
    assert body["valid_until"] == recruiter.valid_until.isoformat()
    assert [c["code"] for c in body["recruits_from"]] == ["PL"]
    assert [c["code"] for c in body["places_in"]] == ["GB"]
    assert body["headquarters"] == {"code": "PL", "name": "Poland"}
    assert body["sectors"] == [{"code": "agriculture", "name": "Agriculture"}]
    assert body["page"].endswith(f"/iris/recruiters/{recruiter.slug}/")


def test_a_withdrawn_or_lapsed_recruiter_is_still_shown_by_number_with_its_standing(api, world):
    assert api.get("/api/v1/recruiters/IRIS-A-000103/").json()["standing"] == "withdrawn"
    assert api.get("/api/v1/recruiters/IRIS-A-000104/").json()["standing"] == "expired"


@pytest.mark.parametrize("number", ["IRIS-A-999999", "nonsense", "x" * 31])
def test_an_unknown_number_is_a_problem_not_a_page(api, world, number):
    response = api.get(f"/api/v1/recruiters/{number}/")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


def test_an_applicant_is_never_found_by_number(api, world):
    # An applicant has no number; a guess at one finds no one.
    response = api.get("/api/v1/recruiters/IRIS-A-000100/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("typed", "issued"),
    [("¼", "IRIS-A-000014"), ("①", "IRIS-A-000001"), ("IRIS-A-00001²", "IRIS-A-000012")],
)
def test_other_characters_than_digits_never_name_a_number(api, db, typed, issued):
    RecruiterFactory(legal_name="Fourteen Ltd", accreditation_number=issued)
    assert api.get(f"/api/v1/recruiters/{quote(typed)}/").status_code == 404
    assert api.get(f"/api/v1/verify/{quote(typed)}/").json()["answer"] == "unknown"
    assert api.get("/api/v1/recruiters/", {"q": typed}).json()["results"] == []


def test_full_width_digits_still_name_a_number(api, db):
    # What a phone's or an East Asian keyboard types for digits: the same digits.
    RecruiterFactory(legal_name="Fourteen Ltd", accreditation_number="IRIS-A-000014")
    response = api.get(f"/api/v1/recruiters/{quote('ＩＲＩＳ－Ａ－０００１４')}/", follow=True)
    assert response.redirect_chain == [("/api/v1/recruiters/IRIS-A-000014/", 301)]
    assert response.status_code == 200


def test_country_names_follow_each_callers_language_in_turn(api, world):
    """Country names are looked up once per language and kept: each caller still gets its own."""

    def countries(language):
        response = api.get(URL, {"q": "Agencja"}, HTTP_ACCEPT_LANGUAGE=language)
        (found,) = response.json()["results"]
        return [
            found["headquarters"]["name"],
            *(c["name"] for c in found["recruits_from"]),
            *(c["name"] for c in found["places_in"]),
        ]

    english = ["Poland", "Poland", "United Kingdom"]
    assert countries("en-gb") == english
    assert countries("ro") == ["Polonia", "Polonia", "Regatul Unit"]
    assert countries("en-gb") == english
