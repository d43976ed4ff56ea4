"""Every answer under /api/ is JSON, and every error RFC 9457 problem details: a partner's
client reads one kind of error, whatever went wrong."""

import pytest

PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def _assert_problem(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem.keys() >= PROBLEM_FIELDS
    assert problem["status"] == status
    assert problem["detail"], "a problem says what went wrong"


def test_too_many_query_parameters_is_a_problem_not_the_portals_page(api, world):
    query = "&".join(f"p{n}=1" for n in range(1001))
    _assert_problem(api.get(f"/api/v1/recruiters/?{query}"), 400)


def test_a_format_parameter_still_answers_json(api, world):
    response = api.get("/api/v1/recruiters/IRIS-A-000101/", {"format": "xml"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["number"] == "IRIS-A-000101"


@pytest.mark.parametrize(
    "accept", ["application/problem+json", "application/xml", "text/html", "image/png"]
)
def test_any_accept_header_answers_json(api, world, accept):
    response = api.get("/api/v1/recruiters/IRIS-A-000101/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response.json()["number"] == "IRIS-A-000101"


def test_an_error_asked_for_as_problem_json_is_problem_json(api, world):
    response = api.get("/api/v1/recruiters/IRIS-A-999999/", HTTP_ACCEPT="application/problem+json")
    _assert_problem(response, 404)


def test_a_bad_cursor_is_a_bad_request(api, world):
    _assert_problem(api.get("/api/v1/recruiters/", {"cursor": "not-a-cursor"}), 400)


@pytest.mark.parametrize("url", ["/api/", "/api/v2/recruiters/", "/api/v1/nothing/here/"])
def test_an_unknown_address_under_api_is_a_problem(api, db, url):
    _assert_problem(api.get(url), 404)
