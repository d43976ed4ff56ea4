"""The schema is an answer of the API like the others: throttled, revalidated by ETag, and its
`?lang=` takes only the portal's five languages."""

import uuid

import pytest
from django.test import Client
from django.utils.translation import trans_real

URL = "/api/v1/schema/"


@pytest.fixture(autouse=True)
def _small_limit(settings, monkeypatch):
    settings.API_CLIENT_LIMIT = (3, 60)
    monkeypatch.setattr("iomuk.throttle._now", lambda: 1_800_000_030.0)


def test_the_schema_is_throttled_like_the_rest(db):
    client = Client()
    answers = [client.get(URL).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    paused = client.get(URL)
    assert paused["Content-Type"] == "application/problem+json"
    # Five hits this minute: the next is allowed once their weight is down to two.
    assert paused["Retry-After"] == "66"
    assert paused["RateLimit"] == '"client";r=0;t=90'


@pytest.mark.parametrize("lang", ["ro", "bg", "cs", "hu", "en-gb"])
def test_each_of_the_five_languages_is_accepted(db, lang):
    assert Client().get(URL, {"lang": lang}).status_code == 200


def test_any_other_language_is_a_bad_request_and_keeps_no_translation(db, settings):
    settings.API_CLIENT_LIMIT = (100, 60)
    client = Client()
    client.get(URL, {"lang": "ro"})
    before = len(trans_real._translations)
    for _ in range(20):
        response = client.get(URL, {"lang": f"x-{uuid.uuid4().hex[:8]}"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
    assert len(trans_real._translations) == before


def test_a_repeat_fetch_of_the_schema_with_its_etag_is_a_304(db):
    client = Client()
    first = client.get(URL)
    assert first["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
