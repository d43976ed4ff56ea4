"""Per-address limits on public forms, counted in the shared cache (Redis in production)."""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect

from iomuk.client import client_key

logger = logging.getLogger(__name__)


def throttle_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int) -> bool:
    """Count a hit from this address in `scope`; True once past `limit` in `period` seconds."""
    address = client_key(request)
    # The address is hashed so the cache holds no personal data.
    digest = hashlib.sha256(address.encode()).hexdigest()[:20]
    key = f"throttle:{scope}:{digest}:{int(time.time() // period)}"
    try:
        cache.add(key, 0, period)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, period)
            count = 1
    except Exception as exc:  # noqa: BLE001 - any cache outage
        # Redis down must not shut a person out of a complaint or booking form: let them through.
        logger.warning("throttle %s not counted: cache unavailable (%s)", scope, type(exc).__name__)
        return False
    return count > limit


def throttled_response(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def public_form(*, scope: str, limit_setting: str):
    """Guards a view with a public form: CSRF checked, and each address may send the form at
    most `settings.<limit_setting>` = (count, seconds) times before it gets the polite 429 page.

    The form itself inherits `iomuk.forms.HumanCheckForm` to turn bots away.
    """

    def decorator(view):
        @wraps(view)
        @csrf_protect  # also enforced by the middleware; stated here so no public form opts out
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                limit, period = getattr(settings, limit_setting)
                if throttle_exceeded(request, scope=scope, limit=limit, period=period):
                    return throttled_response(request)
            return view(request, *args, **kwargs)

        return guarded

    return decorator
