"""The open API's limits, and showing them: every answer carries `RateLimit-Policy` and
`RateLimit` (IETF httpapi draft: the allowance, what is left, seconds until it is renewed), a
429 `Retry-After`. OPTIONS (CORS preflights and any other) costs nothing.

A request with a key that is refused (unknown, revoked, or sent any other way than Bearer) is
counted against its address as anyone's request is, in a bucket of its own so a partner's
valid key is never slowed by it; once past the limit, refused keys are not even looked up."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from iomuk.throttle import (
    throttle_hit,
    throttle_hits_so_far,
    throttle_key_hit,
    throttle_window_left,
)

from .models import ApiKey

REFUSED_SCOPE = "api-refused"


def _note(request, *, policy: str, limit: int, period: int, count: int | None) -> None:
    # Kept on Django's request: DRF's answer, an error's included, reads it in finalize_response.
    request._request.api_limits = (policy, limit, period, count or 0)


class ClientThrottle(BaseThrottle):
    """API_CLIENT_LIMIT requests per client address (as iomuk/client.py finds it, an IPv6 /64
    as one), or API_KEY_LIMIT per partner key, counted as the public forms' limits are."""

    period = 60

    def allow_request(self, request, view) -> bool:
        if request.method == "OPTIONS":
            return True  # a preflight, or asking what is allowed: free
        if isinstance(request.auth, ApiKey):
            policy, (limit, self.period) = "partner", settings.API_KEY_LIMIT
            count = throttle_key_hit(scope="api-key", key=str(request.auth.pk), period=self.period)
        else:
            policy, (limit, self.period) = "client", settings.API_CLIENT_LIMIT
            count = throttle_hit(request, scope="api", period=self.period)
        _note(request, policy=policy, limit=limit, period=self.period, count=count)
        return count is None or count <= limit

    def wait(self) -> float:
        return throttle_window_left(self.period)


def refused_key_paused(request) -> exceptions.Throttled | None:
    """A 429, before any look-up, for an address past its limit of refused keys."""
    limit, period = settings.API_CLIENT_LIMIT
    count = throttle_hits_so_far(request, scope=REFUSED_SCOPE, period=period)
    if count < limit:
        return None
    _note(request, policy="client", limit=limit, period=period, count=count)
    return exceptions.Throttled(wait=throttle_window_left(period))


def refused_key(request, message: str) -> exceptions.APIException:
    """Count a refused key against its address: a 401 with `message`, or a 429 past the limit."""
    limit, period = settings.API_CLIENT_LIMIT
    count = throttle_hit(request, scope=REFUSED_SCOPE, period=period)
    _note(request, policy="client", limit=limit, period=period, count=count)
    if count is not None and count > limit:
        return exceptions.Throttled(wait=throttle_window_left(period))
    return exceptions.AuthenticationFailed(message)


class RateLimitHeaders:
    """Mixed into every API view: the limits counted for this request, on its answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        limits = getattr(request._request, "api_limits", None)
        if limits is not None:
            policy, limit, period, count = limits
            left = throttle_window_left(period)
            response["RateLimit-Policy"] = f'"{policy}";q={limit};w={period}'
            response["RateLimit"] = f'"{policy}";r={max(0, limit - count)};t={left}'
        return response
