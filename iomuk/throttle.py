"""Per-address limits on public forms, counted in the shared cache (Redis in production)."""

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def throttle_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int) -> bool:
    """Count a hit from this address in `scope`; True once past `limit` in `period` seconds."""
    address = request.META.get("REMOTE_ADDR", "")
    # The address is hashed so the cache holds no personal data.
    digest = hashlib.sha256(address.encode()).hexdigest()[:20]
    key = f"throttle:{scope}:{digest}:{int(time.time() // period)}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count > limit


def throttled_response(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)
