"""The quick exit and "Cover your tracks" wherever a person at risk may be, errors included."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_has_the_quick_exit(html: str):
    assert "data-quick-exit" in html
    assert "Exit this page" in html
    assert 'href="/cover-your-tracks/">Cover your tracks</a>' in html


@pytest.mark.parametrize(
    "path", ["/privacy/", "/accessibility/", "/cookies/", "/cover-your-tracks/", "/iris/"]
)
def test_the_pages_a_form_links_to_have_the_quick_exit(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_has_the_quick_exit(response.content.decode())


def test_a_page_not_found_has_the_quick_exit(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_has_the_quick_exit(response.content.decode())


def test_the_too_many_attempts_page_has_the_quick_exit(client, settings):
    settings.CERTIFICATE_LOOKUP_LIMIT = (1, 600)
    client.get("/training/certificates/", {"code": "CPD-NOPE-0001"})
    response = client.get("/training/certificates/", {"code": "CPD-NOPE-0002"})
    assert response.status_code == 429
    assert_has_the_quick_exit(response.content.decode())


def test_the_error_page_has_the_quick_exit_and_the_help_lines(monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("the page could not be drawn")

    monkeypatch.setattr("iomuk.views.render", broken)
    response = Client(raise_request_exception=False).get("/accessibility/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_has_the_quick_exit(html)
    assert f'href="{settings.QUICK_EXIT_URL}"' in html
    assert settings.HELPLINE_NUMBER in html


def test_cover_your_tracks_names_the_cookies_and_how_long_they_last(client, settings):
    settings.SESSION_COOKIE_AGE = 20 * 60
    html = client.get("/cover-your-tracks/").content.decode()
    assert "private window" in html
    assert "history" in html
    for cookie in (settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"):
        assert f"<code>{cookie}</code>" in html
    assert "After 20 minutes without activity" in html
