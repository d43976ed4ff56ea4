"""The open API's limits, and showing them: every answer carries `RateLimit-Policy` and
`RateLimit` (IETF httpapi draft: the allowance, what is left, seconds until all of it is back),
a 429 `Retry-After` (seconds until the next request is allowed). The window slides (see
iomuk/throttle.py): an allowance spent at the end of one minute is not whole again at the start
of the next. OPTIONS (CORS preflights and any other) costs nothing.

A request with a key that is refused (unknown, revoked, or sent any other way than Bearer) is
counted against its address as anyone's request is, in a bucket of its own so a partner's
valid key is never slowed by it; once past the limit, refused keys are not even looked up."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from iomuk.throttle import SlidingCount, throttle_hit, throttle_hits_so_far, throttle_key_hit

from .models import ApiKey

REFUSED_SCOPE = "api-refused"


def _note(request, *, policy: str, limit: int, count: SlidingCount | None) -> None:
    # Kept on Django's request: DRF's answer, an error's included, reads it in finalize_response.
    # Nothing is noted while the cache is down: there is no limit to show then.
    if count is not None:
        request._request.api_limits = (policy, limit, count)


def _paused(limit: int, count: SlidingCount) -> exceptions.Throttled:
    return exceptions.Throttled(wait=max(1, count.wait_for_one(limit)))


class ClientThrottle(BaseThrottle):
    """API_CLIENT_LIMIT requests per client address (as iomuk/client.py finds it, an IPv6 /64
    as one), or API_KEY_LIMIT per partner key, counted as the public forms' limits are."""

    def allow_request(self, request, view) -> bool:
        if request.method == "OPTIONS":
            return True  # a preflight, or asking what is allowed: free
        if isinstance(request.auth, ApiKey):
            policy, (limit, period) = "partner", settings.API_KEY_LIMIT
            count = throttle_key_hit(scope="api-key", key=str(request.auth.pk), period=period)
        else:
            policy, (limit, period) = "client", settings.API_CLIENT_LIMIT
            count = throttle_hit(request, scope="api", period=period)
        _note(request, policy=policy, limit=limit, count=count)
        self.limit, self.count = limit, count
        return count is None or not count.exceeds(limit)

    def wait(self) -> float:
        return max(1, self.count.wait_for_one(self.limit))


def refused_key_paused(request) -> exceptions.Throttled | None:
    """A 429, before any look-up, for an address past its limit of refused keys."""
    limit, period = settings.API_CLIENT_LIMIT
    count = throttle_hits_so_far(request, scope=REFUSED_SCOPE, period=period)
    if count is None or count.left(limit) > 0:
        return None
    _note(request, policy="client", limit=limit, count=count)
    return _paused(limit, count)


def refused_key(request, message: str) -> exceptions.APIException:
    """Count a refused key against its address: a 401 with `message`, or a 429 past the limit."""
    limit, period = settings.API_CLIENT_LIMIT
    count = throttle_hit(request, scope=REFUSED_SCOPE, period=period)
    _note(request, policy="client", limit=limit, count=count)
    if count is not None and count.exceeds(limit):
        return _paused(limit, count)
    return exceptions.AuthenticationFailed(message)


class RateLimitHeaders:
    """Mixed into every API view: the limits counted for this request, on its answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        limits = getattr(request._request, "api_limits", None)
        if limits is not None:
            policy, limit, count = limits
            response["RateLimit-Policy"] = f'"{policy}";q={limit};w={count.period}'
            response["RateLimit"] = f'"{policy}";r={count.left(limit)};t={count.full_after()}'
        return response
