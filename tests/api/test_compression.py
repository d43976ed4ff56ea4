"""JSON answers are gzip-compressed when the client asks, and revalidate as before; HTML pages,
which carry CSRF tokens, never are (BREACH)."""

import gzip
import json

import pytest
from django.test import Client
from django.urls import reverse

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _vary(response) -> set[str]:
    return {word.strip().lower() for word in response.get("Vary", "").split(",")}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/recruiters/",
        "/api/v1/recruiters/IRIS-A-000101/",
        "/api/v1/verify/IRIS-A-000101/",
        "/api/v1/schema/",
    ],
)
def test_a_json_answer_comes_compressed_when_asked_and_reads_the_same(api, settled, url):
    plain = api.get(url)
    assert plain.status_code == 200
    assert "accept-encoding" in _vary(plain)
    assert not plain.has_header("Content-Encoding")
    # Django pads each compressed answer with up to 100 random bytes (against BREACH) and sends
    # it plain when that would not be shorter: a short answer (verify's, about 330 bytes) goes
    # plain now and then. Of ten asks some come compressed, and every one reads the same.
    answers = [api.get(url, **GZIP) for _ in range(10)]
    packed = [answer for answer in answers if answer.get("Content-Encoding") == "gzip"]
    assert packed
    for answer in packed:
        assert len(answer.content) < len(plain.content)
        assert json.loads(gzip.decompress(answer.content)) == json.loads(plain.content)
    for answer in answers:
        assert answer.status_code == 200
        assert "accept-encoding" in _vary(answer)
        if answer not in packed:
            assert answer.content == plain.content


@pytest.mark.parametrize(
    "url", ["/api/v1/recruiters/", "/api/v1/recruiters/IRIS-A-000101/", "/api/v1/schema/"]
)
def test_a_compressed_answer_revalidates_to_a_304_with_the_same_etag(api, settled, url):
    first = api.get(url, **GZIP)
    assert first["Content-Encoding"] == "gzip"
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "accept-encoding" in _vary(again)
    # A copy kept uncompressed is the same record: its ETag revalidates it too.
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("name", ["iris:complaint-new", "iris:verify", "api:docs"])
def test_an_html_page_is_never_compressed(db, name):
    response = Client().get(reverse(name), **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not response.has_header("Content-Encoding")
