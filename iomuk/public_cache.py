"""A short server-side cache for public pages that are the same for every anonymous visitor.

Only a GET from a visitor with no session and no pending messages is served from or stored in
the cache, per language and full path. A page is stored only if it set no cookie and used no
CSRF token while it was drawn: a form token is never handed to someone else. Signed-in staff
and anyone with a session get pages drawn afresh each time.

A page with a public form (`form_page`) holds three values of one visitor's own: the CSRF token,
the signed time the form was opened and, on the complaint form, a one-time submission token. It
is drawn with a random placeholder for each, and every visitor gets it with fresh values of
their own put in place of the placeholders.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from .forms import HumanCheckForm, new_submission_token

logger = logging.getLogger(__name__)

_PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def cache_get(key: str):
    """The stored value, or None also when the cache is down: then pages are drawn afresh."""
    try:
        return cache.get(key)
    except Exception as exc:  # noqa: BLE001 - any cache outage
        logger.warning("page cache unavailable (%s): drawing the page", type(exc).__name__)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as exc:  # noqa: BLE001 - any cache outage
        logger.warning("page cache unavailable (%s): page not stored", type(exc).__name__)


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - any cache outage; it expires on its own
        logger.warning("page cache unavailable (%s): not forgotten", type(exc).__name__)


def _cacheable_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in _PRIVATE_COOKIES
    )


def _key(request: HttpRequest, *, kind: str = "public-page", state: str = "") -> str:
    path = hashlib.sha256(f"{request.get_full_path()}\n{state}".encode()).hexdigest()[:32]
    return f"{kind}:{translation.get_language()}:{path}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Drawn for anyone: no cookie set, no form token used, nothing put in a session."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form token was used
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def cache_public_page(view: Callable) -> Callable:
    """Serve the page from the cache (PUBLIC_PAGE_CACHE_SECONDS) while it holds no one's data."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache_get(key)
        if cached is not None:
            response = HttpResponse(cached, content_type="text/html; charset=utf-8")
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            cache_set(key, response.content, seconds)
        return response

    return wrapped


# What `form_page` puts in for each visitor: the template's `csrf_token`, and the initial values
# of the form's hidden `form_started` and (the complaint form) `token` fields.
VISITOR_VALUES = ("csrf_token", "form_started", "token")


def _placeholders() -> dict[str, str]:
    # Random each time a page is drawn, so no text of the page can happen to look like one.
    return {name: f"placeholder{secrets.token_hex(16)}" for name in VISITOR_VALUES}


def _visitor_values(request: HttpRequest) -> dict[str, str]:
    return {
        "csrf_token": get_token(request),
        "form_started": HumanCheckForm.started_stamp(),
        "token": new_submission_token(),
    }


def _with_values(html: str, placeholders: dict[str, str], values: dict[str, str]) -> str:
    for name, placeholder in placeholders.items():
        html = html.replace(placeholder, values[name])
    return html


def form_page(
    request: HttpRequest, draw: Callable[[dict[str, str]], HttpResponse], *, state: str = ""
) -> HttpResponse:
    """A page with a public form: drawn once per language, address and `state` (what the page
    shows that can change, such as seats left), and served to each visitor with their own values.

    `draw(values)` draws the page with `values["csrf_token"]` as the template's `csrf_token` and
    the others as the form's initial values. Before it is stored, the page is drawn a second time
    with other placeholders: if the two differ anywhere else, the page holds some other value of
    its own per visitor, so it is not stored (and a warning says which view).
    """
    placeholders = _placeholders()
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    cacheable = bool(seconds) and _cacheable_request(request)
    entry = cache_get(key := _key(request, kind="form-page", state=state)) if cacheable else None
    if entry is not None:
        html, placeholders = entry
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["X-Page-Cache"] = "hit"
    else:
        response = draw(placeholders)
        if response.status_code != 200 or response.streaming:
            return response
        html = response.content.decode()
        if cacheable and _storable(request, response):
            if _same_but_placeholders(html, placeholders, draw):
                cache_set(key, (html, placeholders), seconds)
            else:
                logger.warning(
                    "form page of %s not cached: it changes between draws",
                    getattr(request.resolver_match, "view_name", "?"),
                )
    response.content = _with_values(html, placeholders, _visitor_values(request))
    return response


def _same_but_placeholders(
    html: str, placeholders: dict[str, str], draw: Callable[[dict[str, str]], HttpResponse]
) -> bool:
    others = _placeholders()
    again = draw(others).content.decode()
    names = {name: f"{{{name}}}" for name in VISITOR_VALUES}
    return _with_values(html, placeholders, names) == _with_values(again, others, names)
