"""A partner's link to the API lands on one address per thing: a number written another way
or a missing trailing slash is sent on (301) to the canonical address, and /api/v1/ lists the
API's links."""

from urllib.parse import urlsplit

import pytest

BASE = "/api/v1/"


@pytest.mark.parametrize("written", ["iris-a-000101", "IRIS A 000101", "IRISA000101", "101"])
def test_a_number_written_another_way_redirects_to_its_canonical_address(api, world, written):
    response = api.get(f"{BASE}recruiters/{written}/")
    assert response.status_code == 301
    assert response["Location"] == f"{BASE}recruiters/IRIS-A-000101/"
    assert api.get(response["Location"]).json()["name"] == "Agencja Pracy Wrocław Sp. z o.o."


def test_a_verify_address_written_another_way_redirects_keeping_the_query(api, world):
    response = api.get(f"{BASE}verify/iris-a-101/", {"lang": "ro"})
    assert response.status_code == 301
    assert response["Location"] == f"{BASE}verify/IRIS-A-000101/?lang=ro"


def test_the_canonical_number_and_an_unknown_one_are_answered_where_they_are(api, world):
    assert api.get(f"{BASE}recruiters/IRIS-A-000101/").status_code == 200
    assert api.get(f"{BASE}recruiters/IRIS-A-999999/").status_code == 404
    assert api.get(f"{BASE}verify/IRIS-A-999999/").json()["answer"] == "unknown"


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ("recruiters", "recruiters/"),
        ("recruiters/IRIS-A-000101", "recruiters/IRIS-A-000101/"),
        ("verify/IRIS-A-000101", "verify/IRIS-A-000101/"),
        ("schema", "schema/"),
    ],
)
def test_a_missing_trailing_slash_redirects(api, world, path, to):
    response = api.get(f"{BASE}{path}", {"q": "wroclaw"})
    assert response.status_code == 301
    assert response["Location"] == f"{BASE}{to}?q=wroclaw"


def test_a_path_that_is_nothing_with_a_slash_either_stays_a_404_problem(api, world):
    response = api.get(f"{BASE}nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_api_root_lists_its_links(api, client, world):
    response = api.get(BASE)
    assert response.status_code == 200
    links = response.json()
    assert links["recruiters"].endswith("/api/v1/recruiters/")
    assert links["recruiter"].endswith("/api/v1/recruiters/{number}/")
    assert links["verify"].endswith("/api/v1/verify/{number}/")
    assert links["schema"].endswith("/api/v1/schema/")
    assert links["bulk_json"].endswith("/api/v1/bulk/roster.json")
    assert links["bulk_csv"].endswith("/api/v1/bulk/roster.csv")
    assert links["docs"].endswith("/api/v1/docs/")
    for name in ("recruiters", "schema"):
        assert api.get(urlsplit(links[name]).path).status_code == 200, name
    assert client.get(urlsplit(links["docs"]).path).status_code == 200  # a page, for people
