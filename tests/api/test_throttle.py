"""Each client is throttled by its own address, as iomuk/client.py finds it behind the proxy."""

import pytest
from django.test import Client

PROXY = "10.0.0.5"
URL = "/api/v1/verify/IRIS-A-000101/"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_CLIENT_LIMIT = (3, 60)
    # Counts are kept per minute: requests that straddle the turn of a minute would be counted
    # in two windows, so each test's requests fall in the middle of one.
    monkeypatch.setattr("iomuk.throttle._now", lambda: 1_800_000_030.0)


def _through_proxy(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_one_client_is_paused_with_a_problem_and_a_retry_after(db):
    client = _through_proxy("198.51.100.7")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_two_clients_behind_the_proxy_do_not_share_a_bucket(db):
    busy = _through_proxy("198.51.100.7")
    for _ in range(4):
        busy.get(URL)
    assert busy.get(URL).status_code == 429
    assert _through_proxy("198.51.100.8").get(URL).status_code == 200


def test_a_forged_leftmost_entry_does_not_escape_the_throttle(db):
    for n in range(4):
        last = _through_proxy(f"1.2.3.{n}, 198.51.100.7").get(URL)
    assert last.status_code == 429


def test_ipv6_addresses_in_one_slash_64_share_a_bucket(db):
    for n in range(3):
        assert _through_proxy(f"2001:db8:1:1::{n + 1}").get(URL).status_code == 200
    assert _through_proxy("2001:db8:1:1::99").get(URL).status_code == 429
