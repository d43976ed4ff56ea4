"""Per-address limits on public forms, counted in the shared cache (Redis in production)."""

import contextlib
import hashlib
import logging
import math
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_protect

from iomuk.client import client_key

logger = logging.getLogger(__name__)

# Sendings of a form, accepted or not, that one address may make: this many times its allowance.
SENT_CAP_FACTOR = 10

# Whether each public form a guarded view validated had mistakes (see `form_checked`).
_form_mistakes: ContextVar[list[bool] | None] = ContextVar("public_form_mistakes", default=None)
# The hashed client sending a guarded view's form (see `stamp_sent_elsewhere`).
_form_client: ContextVar[str | None] = ContextVar("public_form_client", default=None)


def _now() -> float:
    return time.time()


# While the cache is down the limits are off (the forms stay open): the log says so, once a
# minute at most in each process, not once a request (a rush would bury everything else).
CACHE_OUTAGE_WARN_EVERY = 60
_cache_outage = {"warned_at": None}


def cache_outage_noted(exc: Exception) -> None:
    """Log that the cache is unavailable and the limits are off, at most once a minute."""
    now = _now()
    warned_at = _cache_outage["warned_at"]
    if warned_at is not None and now - warned_at < CACHE_OUTAGE_WARN_EVERY:
        return
    _cache_outage["warned_at"] = now
    logger.warning(
        "cache unavailable (%s): per-address limits are off until it is back",
        type(exc).__name__,
    )


def _client_digest(request: HttpRequest) -> str:
    # The client (an IPv6 /64 as one) is hashed so the cache holds no personal data.
    return hashlib.sha256(client_key(request).encode()).hexdigest()[:20]


def _window_key(request: HttpRequest, scope: str, period: int) -> str:
    return f"throttle:{scope}:{_client_digest(request)}:{int(_now() // period)}"


def _minutes_left(period: int) -> int:
    """Whole minutes, rounded up, until the counting window of `period` seconds ends."""
    return max(1, math.ceil((period - _now() % period) / 60))


def throttle_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int) -> bool:
    """Count a hit from this address in `scope`; True once past `limit` in `period` seconds."""
    return _count_exceeded(_window_key(request, scope, period), scope, limit, period)


def _count_exceeded(counter: str, scope: str, limit: int, period: int) -> bool:
    """Count one hit on `counter`; True once past `limit`. A cache outage lets the hit through."""
    count = _hit(counter, period)
    return count is not None and count > limit


def _hit(counter: str, period: int) -> int | None:
    """Count one hit on `counter`: the hits in its window so far, None while the cache is down."""
    try:
        cache.add(counter, 0, period)
        try:
            count = cache.incr(counter)
        except ValueError:  # the key expired between add and incr
            cache.set(counter, 1, period)
            count = 1
    except Exception as exc:  # noqa: BLE001 - any cache outage
        # Redis down must not shut a person out of a complaint or booking form: let them through.
        cache_outage_noted(exc)
        return None
    return count


def throttle_release(request: HttpRequest, *, scope: str, period: int) -> None:
    """Give back a hit counted by `throttle_exceeded` in `scope`."""
    # Expired, or the cache is down: there is nothing left to give back.
    with contextlib.suppress(Exception):
        cache.decr(_window_key(request, scope, period))


def form_checked(form) -> None:
    """Note whether a public form a guarded view validated had mistakes in it.

    Called by `iomuk.forms.HumanCheckForm` as it validates: what a view then does with a valid
    form (a tracking code not found, a session full) is an answer, and counts as accepted.
    Outside a guarded view it does nothing.
    """
    mistakes = _form_mistakes.get()
    if mistakes is not None:
        mistakes.append(bool(form.errors))


def stamp_sent_elsewhere(stamp: str, *, lifetime: int) -> bool:
    """True if another client already sent a form with this signed time stamp.

    The first client to send a stamp owns it, in the cache, for the stamp's `lifetime`: that
    client may send its page again (a second click, answers corrected), so the views' own
    handling of a form sent twice still answers it. A bot that captured one page cannot replay
    it from elsewhere. Outside a guarded view, or with the cache down, nothing is refused.
    """
    client = _form_client.get()
    if client is None:
        return False
    key = "form-stamp:" + hashlib.sha256(stamp.encode()).hexdigest()[:32]
    try:
        if cache.add(key, client, lifetime):
            return False
        return cache.get(key) != client
    except Exception as exc:  # noqa: BLE001 - any cache outage
        cache_outage_noted(exc)
        return False


def throttled_response(request: HttpRequest, *, period: int) -> HttpResponse:
    return render(request, "429.html", {"wait_minutes": _minutes_left(period)}, status=429)


def public_form(*, scope: str, limit_setting: str):
    """Guards a view with a public form: CSRF checked, and each address may have the form
    accepted at most `settings.<limit_setting>` = (count, seconds) times before it gets the
    polite 429 page, which says how long to wait.

    A sending whose form fails its own validation uses none of that allowance: a person
    correcting their own answers is never paused for it. Every sending still counts against
    a cap SENT_CAP_FACTOR times higher, which stops a script. The form itself inherits
    `iomuk.forms.HumanCheckForm` to turn bots away.
    """

    def decorator(view):
        @wraps(view)
        @csrf_protect  # also enforced by the middleware; stated here so no public form opts out
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            limit, period = getattr(settings, limit_setting)
            cap = limit * SENT_CAP_FACTOR
            if throttle_exceeded(request, scope=f"{scope}:sent", limit=cap, period=period):
                return throttled_response(request, period=period)
            # A place in the allowance is taken before the form is sent on, so two sent at once
            # cannot both take the last one; it is given back if the form had mistakes.
            if throttle_exceeded(request, scope=scope, limit=limit, period=period):
                return throttled_response(request, period=period)
            mistakes = []
            token = _form_mistakes.set(mistakes)
            client = _form_client.set(_client_digest(request))
            try:
                response = view(request, *args, **kwargs)
            finally:
                _form_client.reset(client)
                _form_mistakes.reset(token)
            if any(mistakes):
                throttle_release(request, scope=scope, period=period)
            return response

        return guarded

    return decorator


def throttle_key_exceeded(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count a hit for `key` (an email address asked for, say) in `scope`; True once past
    `limit` in `period` seconds. A cache outage lets the hit through."""
    return _count_exceeded(_key_counter(scope, key, period), scope, limit, period)


def _key_counter(scope: str, key: str, period: int) -> str:
    # Keyed with SECRET_KEY: a plain hash of an email address is undone by trying addresses.
    digest = salted_hmac(f"iomuk.throttle.{scope}", key, algorithm="sha256").hexdigest()[:20]
    return f"throttle:{scope}:{digest}:{int(_now() // period)}"


# For a caller that shows its limits (the open API's RateLimit headers): a sliding window.
#
# A fixed window lets a client spend its allowance at the end of one minute and again at the
# start of the next: twice the limit in a second. The API counts instead with two windows, the
# hits of the previous one weighed by how much of it still lies within the last `period`
# seconds (the weighted counter of Cloudflare's and nginx's limiters): a client's allowance
# comes back gradually, a hit's weight ending `period` seconds after its window did.


@dataclass(frozen=True)
class SlidingCount:
    """The hits counted in the window now running and in the one before it, `into` seconds
    into the current window of `period` seconds."""

    previous: int
    current: int
    into: float
    period: int

    @property
    def used(self) -> float:
        """The hits that weigh now: the previous window's in proportion to its part still in
        the sliding window, the current window's in full."""
        return self.previous * (1 - self.into / self.period) + self.current

    def exceeds(self, limit: int) -> bool:
        return self.used > limit + _EPSILON

    def left(self, limit: int) -> int:
        """How many more requests would be allowed if sent at once."""
        return max(0, math.floor(limit - self.used + _EPSILON))

    def wait_for_one(self, limit: int) -> int:
        """Whole seconds, rounded up, until one more request would be allowed (for Retry-After)."""
        period, room = self.period, limit - 1
        if self.current <= room:
            if self.previous == 0:
                return 0
            # previous * (1 - (into + t) / period) + current <= room
            wait = period * (1 - (room - self.current) / self.previous) - self.into
        else:
            # Into the next window, this one's hits become its previous ones.
            wait = period - self.into + period * (1 - room / self.current)
        return max(0, math.ceil(wait - _EPSILON))

    def full_after(self) -> int:
        """Whole seconds, rounded up, until every hit counted here weighs nothing: the whole
        allowance is back (the `t` of the RateLimit header)."""
        if self.current:
            return math.ceil(2 * self.period - self.into)
        if self.previous:
            return math.ceil(self.period - self.into)
        return 0


# Weights are fractions: a count of exactly the limit must not read as past it.
_EPSILON = 1e-9


def _sliding(counter: str, period: int, *, hit: bool) -> SlidingCount | None:
    now = _now()
    window, into = int(now // period), now % period
    try:
        previous = cache.get(f"{counter}:{window - 1}") or 0
        key = f"{counter}:{window}"
        if hit:
            # Kept for two periods: in the next window it is the previous one.
            cache.add(key, 0, 2 * period)
            try:
                current = cache.incr(key)
            except ValueError:  # the key expired between add and incr
                cache.set(key, 1, 2 * period)
                current = 1
        else:
            current = cache.get(key) or 0
    except Exception as exc:  # noqa: BLE001 - any cache outage
        cache_outage_noted(exc)
        return None
    return SlidingCount(previous=previous, current=current, into=into, period=period)


def _address_counter(request: HttpRequest, scope: str) -> str:
    return f"throttle-sliding:{scope}:{_client_digest(request)}"


def throttle_hit(request: HttpRequest, *, scope: str, period: int) -> SlidingCount | None:
    """Count a hit from this address in `scope`, in a sliding window of `period` seconds: the
    count so far, None while the cache is down (no limit then)."""
    return _sliding(_address_counter(request, scope), period, hit=True)


def throttle_key_hit(*, scope: str, key: str, period: int) -> SlidingCount | None:
    """Count a hit for `key` in `scope`, as `throttle_hit` counts an address."""
    digest = salted_hmac(f"iomuk.throttle.{scope}", key, algorithm="sha256").hexdigest()[:20]
    return _sliding(f"throttle-sliding:{scope}:{digest}", period, hit=True)


def throttle_hits_so_far(request: HttpRequest, *, scope: str, period: int) -> SlidingCount | None:
    """The hits from this address in `scope` in the sliding window, without counting one (None
    while the cache is down)."""
    return _sliding(_address_counter(request, scope), period, hit=False)


def throttle_window_left(period: int) -> int:
    """Whole seconds, rounded up, until the counting window of `period` seconds ends."""
    return max(1, math.ceil(period - _now() % period))
