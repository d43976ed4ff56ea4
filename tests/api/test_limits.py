"""A partner sees its limits on every answer, and a wrong key earns no free pass."""

import re

import pytest
from django.test import Client

from iris.models import ApiKey
from iris.recruiters.services import api_key_issue, api_key_revoke
from tests.api.test_keys import admin_client  # noqa: F401 - the fixture

URL = "/api/v1/recruiters/"


@pytest.fixture(autouse=True)
def _small_limits(settings, monkeypatch):
    settings.API_CLIENT_LIMIT = (3, 60)
    settings.API_KEY_LIMIT = (5, 60)
    # Counted per minute: every request of a test falls in the middle of one.
    monkeypatch.setattr("iomuk.throttle._now", lambda: 1_800_000_030.0)


def _limits(response) -> tuple[str, str]:
    return response["RateLimit-Policy"], response["RateLimit"]


def test_every_answer_states_the_limit_and_what_is_left(db):
    client = Client()
    first = client.get(URL)
    # The window slides: a hit weighs until a whole minute after the minute it fell in is over,
    # so all of the allowance is back in 90 seconds.
    assert _limits(first) == ('"client";q=3;w=60', '"client";r=2;t=90')
    assert _limits(client.get("/api/v1/verify/IRIS-A-000001/"))[1] == '"client";r=1;t=90'
    assert _limits(client.get("/api/v1/nowhere/"))[1] == '"client";r=0;t=90'
    paused = client.get(URL)
    assert paused.status_code == 429
    assert _limits(paused)[1] == '"client";r=0;t=90'
    # Four hits this minute (the refused one counts): at 90 s their weight is 2, room for one.
    assert paused["Retry-After"] == "60"


def test_a_partner_key_states_its_own_limit(db):
    _, token = api_key_issue(name="Job board")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(URL)
    assert _limits(response) == ('"partner";q=5;w=60', '"partner";r=4;t=90')


def test_a_browser_on_another_site_can_read_the_limits(db):
    response = Client().get(URL, HTTP_ORIGIN="https://jobs.example.org")
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ratelimit", "ratelimit-policy", "retry-after", "link"} <= exposed


def test_options_and_preflights_are_free(db):
    client = Client()
    for _ in range(5):
        assert client.options(URL).status_code == 200
        client.options(
            URL,
            HTTP_ORIGIN="https://jobs.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "header", ["Token 0123456789", "Basic cm9vdDpyb290", "ApiKey abc", "Bearer", "Bearer a b"]
)
def test_a_key_sent_any_other_way_is_refused_not_answered_anonymously(db, header):
    response = Client(HTTP_AUTHORIZATION=header).get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_revoked_keys_are_throttled_like_anyone(db, django_assert_max_num_queries):
    key, token = api_key_issue(name="Gone")
    api_key_revoke(key=key)
    guesser = Client(HTTP_AUTHORIZATION="Bearer guessed-key")
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answers = [guesser.get(URL).status_code for _ in range(2)]
    answers += [revoked.get(URL).status_code for _ in range(2)]
    assert answers == [401, 401, 401, 429]
    # Once paused, a guess costs no look-up of the key.
    with django_assert_max_num_queries(0):
        assert guesser.get(URL).status_code == 429


def test_a_new_key_is_shown_on_the_page_once_and_never_put_in_a_cookie(admin_client):  # noqa: F811
    response = admin_client.post("/admin/iris/apikey/add/", {"name": "Job board Romania"})
    assert response.status_code == 200
    shown = re.search(
        r"shown only this once: <code>(iris_[0-9a-f]{6}_[A-Za-z0-9_-]{43})</code>",
        response.content.decode(),
    )
    assert shown, "the new key is not shown"
    token = shown.group(1)
    assert all(token not in morsel.value for morsel in response.cookies.values())
    assert "messages" not in response.cookies
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(name="Job board Romania")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(URL).status_code == 200
    assert token not in admin_client.get(f"/admin/iris/apikey/{key.pk}/change/").content.decode()


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = _Clock(1_800_000_000.0)  # the start of a minute
    monkeypatch.setattr("iomuk.throttle._now", clock)
    return clock


def test_a_limit_spent_at_the_end_of_a_minute_is_not_spent_again_at_the_start_of_the_next(
    db, clock
):
    client = Client()
    clock.now += 59
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    clock.now += 2  # a second into the next minute
    paused = client.get(URL)
    assert paused.status_code == 429
    assert _limits(paused)[1].startswith('"client";r=0;')


def test_the_retry_after_and_what_is_left_are_true(db, clock):
    client = Client()
    clock.now += 45
    assert [client.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    wait = int(client.get(URL)["Retry-After"])
    clock.now += wait - 1
    assert client.get(URL).status_code == 429, "allowed before its Retry-After"
    clock.now += 1 + int(client.get(URL)["Retry-After"]) - 1
    answer = client.get(URL)
    assert answer.status_code == 200, "refused after its Retry-After"
    # What the header says is left can be spent, and no more.
    left = int(re.search(r"r=(\d+)", answer["RateLimit"]).group(1))
    assert [client.get(URL).status_code for _ in range(left + 1)] == [200] * left + [429]


def test_the_whole_allowance_is_back_after_t_seconds_and_not_before(db, clock):
    early, on_time = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    clock.now += 20
    for client in (early, on_time):
        client.get(URL)
        client.get(URL)
        full_after = int(re.search(r"t=(\d+)", client.get(URL)["RateLimit"]).group(1))
    clock.now += full_after - 1
    assert not early.get(URL)["RateLimit"].startswith('"client";r=2;'), "whole before its time"
    clock.now += 1
    assert on_time.get(URL)["RateLimit"].startswith('"client";r=2;')
