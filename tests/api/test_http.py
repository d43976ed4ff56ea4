"""The API behaves like a good neighbour on the web: CORS for GET only, cheap repeat fetches,
errors as RFC 9457 problem details, a schema and its documentation page."""

import re

import pytest

from iris.models import AccreditationState

ORIGIN = "https://jobs.partner.example"


def test_any_site_may_read_it_with_get(api, world):
    response = api.get("/api/v1/recruiters/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_site_may_send_it_a_post(api, world):
    preflight = api.options(
        "/api/v1/recruiters/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    response = api.post("/api/v1/recruiters/", {"name": "x"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": 'Method "POST" not allowed.',
        "instance": "/api/v1/recruiters/",
    }


def test_another_site_may_revalidate_with_its_etag_or_date(api, settled):
    # A browser asks first whether the conditional headers may be sent from another site.
    preflight = api.options(
        "/api/v1/recruiters/IRIS-A-000101/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match,if-modified-since",
    )
    assert preflight.status_code == 200
    allowed = {h.strip().lower() for h in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since"} <= allowed
    # The page's script may then read the validators it is to send next time.
    response = api.get("/api/v1/recruiters/IRIS-A-000101/", HTTP_ORIGIN=ORIGIN)
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified"} <= exposed


def test_the_portals_pages_stay_closed_to_other_sites(client, world):
    response = client.get("/iris/recruiters/", HTTP_ORIGIN=ORIGIN)
    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/recruiters/?q=wroclaw",
        "/api/v1/recruiters/IRIS-A-000101/",
        "/api/v1/verify/IRIS-A-000101/",
    ],
)
def test_a_repeat_fetch_with_its_etag_gets_a_304(api, settled, url):
    first = api.get(url)
    assert first.status_code == 200
    assert first.has_header("ETag")
    assert first.has_header("Last-Modified")
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_to_the_roster_gives_a_full_answer_again(api, world):
    url = "/api/v1/verify/IRIS-A-000101/"
    first = api.get(url)
    recruiter = world["accredited"]
    recruiter.state = AccreditationState.SUSPENDED
    recruiter.save()
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again.json()["answer"] == "suspended"


def test_an_address_the_api_does_not_have_is_a_404_in_problem_details(api, db):
    response = api.get("/api/v1/complaints/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found"


def test_errors_are_never_kept_by_a_cache(api, db):
    response = api.get("/api/v1/recruiters/IRIS-A-999999/")
    assert "no-store" in response["Cache-Control"]


def test_the_schema_is_openapi_3_and_names_every_endpoint(api, db):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/bulk/roster.{extension}",
        "/api/v1/contacts/check/",
        "/api/v1/recruiters/",
        "/api/v1/recruiters/{number}/",
        "/api/v1/recruiters/{number}/history/",
        "/api/v1/verify/{number}/",
    }


def test_the_documentation_page_loads_only_the_portals_own_files(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    # The portal's strict policy, unchanged: no inline script or style, nothing from elsewhere.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "<style>" not in page and "<script>" not in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(assets) == 5  # Swagger UI's style, two scripts and icon, and its set-up script
    for asset in assets:
        assert asset.startswith(("/static/drf_spectacular_sidecar/", "/api/v1/docs/?script"))
        assert client.get(asset).status_code == 200, asset
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in script


@pytest.mark.parametrize("url", ["/api/v1/recruiters/?q=a%00b", "/api/v1/verify/IRIS%00/"])
def test_a_nul_byte_is_refused_in_problem_details_not_the_html_page(api, db, url):
    response = api.get(url)
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
