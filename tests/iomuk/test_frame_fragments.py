"""The frame's parts that are the same for every visitor in a language (base.html's `{% cache %}`
blocks) are drawn once per process: each visitor still gets them in their own language, a
signed-in visitor still gets their own sign-out form, and nothing of a request is kept."""

import pytest
from django.core.cache import caches

from tests.iomuk.test_settings import PRODUCTION, _manage

FRAGMENTS = "template_fragments"
FRAME = "template.cache."


def _page(client, language, path="/"):
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _kept(kind: str = "") -> list[str]:
    """What the process keeps, as strings: `kind` "template.cache." for the frame's fragments
    ("field." for forms' fields, iomuk/templatetags/bootstrap_fields.py), all by default."""
    cache = caches[FRAGMENTS]
    # LocMemCache's own keys are the version-prefixed ones (":1:template.cache....").
    keys = [key.split(":", 2)[2] for key in list(cache._cache)]
    return [cache.get(key) for key in keys if key.startswith(kind)]


def test_each_visitor_gets_the_frame_in_their_own_language(db, client):
    english, romanian, czech, english_again = (
        _page(client, language) for language in ("en-gb", "ro", "cs", "en-gb")
    )
    assert ">Training</a>" in english and ">Get help</h2>" in english
    assert ">Cursuri de formare</a>" in romanian and ">Ajutor</h2>" in romanian
    assert ">Školení</a>" in czech
    assert english_again == english
    assert len(_kept(FRAME)) == 1 + 3 * 3  # the head's links once; header, help line, footer each


def test_a_page_is_the_same_drawn_afresh_as_from_kept_parts(db, client, settings):
    for language in ("en-gb", "ro"):
        _page(client, language, "/training/")  # draws the fragments and keeps them
    assert len(_kept(FRAME)) == 1 + 2 * 3
    kept = [_page(client, language, "/training/") for language in ("en-gb", "ro")]
    settings.CACHES = {
        **settings.CACHES,
        FRAGMENTS: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    afresh = [_page(client, language, "/training/") for language in ("en-gb", "ro")]
    assert afresh == kept


def test_a_signed_in_visitor_gets_their_own_sign_out_and_no_one_else_does(db, client, coordinator):
    anonymous = _page(client, "en-gb")
    client.force_login(coordinator)
    signed_in = _page(client, "en-gb", "/staff/")
    assert "Staff sign in" in anonymous and "Sign out" not in anonymous
    assert "Sign out" in signed_in and "Staff sign in" not in signed_in
    sign_out_form = signed_in.split("Sign out")[0].rsplit("<form", 1)[1]
    assert f'value="{client.cookies["csrftoken"].value}"' not in sign_out_form  # (masked)
    assert 'name="csrfmiddlewaretoken"' in sign_out_form
    client.logout()
    assert "Sign out" not in _page(client, "en-gb")


@pytest.mark.parametrize("path", ["/?q=marker-in-the-query", "/training/?region=marker"])
def test_nothing_of_a_request_is_kept(db, client, coordinator, path):
    client.force_login(coordinator)
    _page(client, "en-gb", path)
    _page(client, "en-gb", "/staff/")
    kept = " ".join(_kept())
    assert kept  # the fragments were drawn and kept
    for request_part in ("marker", "coord", "csrfmiddlewaretoken", "Sign out", "Staff workspace"):
        assert request_part not in kept


def test_nothing_is_kept_while_developing():
    """With DEBUG on (`make run`), an edited template shows at the next page."""
    backend = 'from django.conf import settings; print(settings.CACHES["template_fragments"])'
    developing = _manage("shell", "-c", backend, **{**PRODUCTION, "DEBUG": "true"})
    deployed = _manage("shell", "-c", backend, **PRODUCTION)
    assert "DummyCache" in developing.stdout, developing.stderr
    assert "LocMemCache" in deployed.stdout, deployed.stderr
