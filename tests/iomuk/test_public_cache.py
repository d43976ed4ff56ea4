"""Public pages are served from the cache only when no visitor's data can be in them."""

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import translation

from iomuk.public_cache import cache_public_page


@pytest.fixture(autouse=True)
def _own_cache(settings, private_cache):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


class Page:
    """A view that says how many times it was drawn, and may use a form token or a cookie."""

    def __init__(self, *, csrf=False, cookie=False):
        self.drawn = 0
        self.csrf = csrf
        self.cookie = cookie

    def __call__(self, request):
        self.drawn += 1
        token = get_token(request) if self.csrf else ""
        response = HttpResponse(f"<p>drawn {self.drawn} {token}</p>")
        if self.cookie:
            response.set_cookie("seen", "1")
        return response


def get(view, path="/training/", **kwargs):
    return view(RequestFactory().get(path, **kwargs))


def test_a_second_anonymous_visitor_gets_the_stored_page():
    page = Page()
    view = cache_public_page(page)
    first, second = get(view), get(view)
    assert page.drawn == 1
    assert second.content == first.content
    assert second["X-Page-Cache"] == "hit"


def test_each_language_and_each_query_has_its_own_page():
    page = Page()
    view = cache_public_page(page)
    get(view)
    get(view, "/training/?region=london")
    with translation.override("ro"):
        get(view)
    assert page.drawn == 3


def test_a_page_with_a_form_token_is_never_stored():
    page = Page(csrf=True)
    view = cache_public_page(page)
    get(view)
    get(view)
    assert page.drawn == 2


def test_a_page_that_sets_a_cookie_is_never_stored():
    page = Page(cookie=True)
    view = cache_public_page(page)
    get(view)
    get(view)
    assert page.drawn == 2


def test_a_visitor_with_a_session_is_always_drawn_afresh():
    page = Page()
    view = cache_public_page(page)
    get(view)
    get(view, HTTP_COOKIE="sessionid=abc")
    get(view, HTTP_COOKIE="messages=abc")
    assert page.drawn == 3


def test_no_page_is_stored_when_the_setting_is_0(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    page = Page()
    view = cache_public_page(page)
    get(view)
    get(view)
    assert page.drawn == 2


def test_a_post_is_never_cached():
    page = Page()
    view = cache_public_page(page)
    view(RequestFactory().post("/training/"))
    view(RequestFactory().post("/training/"))
    assert page.drawn == 2
