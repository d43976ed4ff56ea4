"""A short server-side cache for public pages that are the same for every anonymous visitor.

Only a GET from a visitor with no session and no pending messages is served from or stored in
the cache, per language and full path. A page is stored only if it set no cookie and used no
CSRF token while it was drawn: a form token is never handed to someone else. Signed-in staff,
anyone with a session and every page with a POST form are drawn afresh each time.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

_PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _cacheable_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in _PRIVATE_COOKIES
    )


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public-page:{translation.get_language()}:{path}"


def cache_public_page(view: Callable) -> Callable:
    """Serve the page from the cache (PUBLIC_PAGE_CACHE_SECONDS) while it holds no one's data."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached, content_type="text/html; charset=utf-8")
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form token was used
            and not getattr(getattr(request, "session", None), "modified", False)
        ):
            cache.set(key, response.content, seconds)
        return response

    return wrapped
