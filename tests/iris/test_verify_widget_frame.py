"""The framed widget stays a widget: in the language its partner asked for, and, when a job
seeker has checked too often, a small script-free pause page rather than the portal's own."""

import pytest
from django.test import Client
from django.urls import reverse

from .factories import RecruiterFactory

URL = reverse("iris:verify-widget")


@pytest.fixture
def recruiter(db):
    return RecruiterFactory(
        legal_name="Agencja Pracy Wrocław", accreditation_number="IRIS-A-000101"
    )


def test_lang_ro_answers_in_romanian_and_says_so(recruiter):
    response = Client().get(URL, {"lang": "ro", "number": "IRIS-A-000101"})
    assert response["Content-Language"] == "ro"
    assert '<html lang="ro">' in response.content.decode()


def test_the_recruiter_link_keeps_the_language(recruiter):
    page = Client().get(URL, {"lang": "ro", "number": "IRIS-A-000101"}).content.decode()
    assert f'href="/iris/recruiters/{recruiter.slug}/?lang=ro"' in page
    assert (
        'href="/iris/recruiters/?lang=ro"'
        in Client().get(URL, {"lang": "ro", "number": "IRIS-A-999999"}).content.decode()
    )


def test_too_many_checks_show_a_small_pause_in_the_frame(recruiter, settings, monkeypatch):
    settings.IRIS_VERIFY_LIMIT = (2, 600)
    monkeypatch.setattr("iomuk.throttle._now", lambda: 1_800_000_000.0 + 600 * 1000 + 300)
    client = Client()
    for _ in range(2):
        assert client.get(URL, {"number": "IRIS-A-000101", "lang": "ro"}).status_code == 200
    paused = client.get(URL, {"number": "IRIS-A-000101", "lang": "ro"})
    assert paused.status_code == 429
    assert paused["Retry-After"] == "300"
    page = paused.content.decode()
    assert "<script" not in page
    assert "<nav" not in page
    assert 'href="/' not in page.replace('href="/static/', "")  # no link that navigates the frame
    assert "/static/iris/widget." in page
    assert '<html lang="ro">' in page
    assert paused["Content-Language"] == "ro"
    assert not paused.has_header("X-Frame-Options")
    assert "frame-ancestors https: http:" in paused["Content-Security-Policy"]
    assert not paused.cookies
