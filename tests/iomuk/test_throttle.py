import uuid

from django.test import RequestFactory

from iomuk.throttle import throttle_exceeded


def _request(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def _scope():
    # A scope of its own: a fixed one collides with other runs sharing the same Redis.
    return f"test-{uuid.uuid4()}"


def test_it_allows_up_to_the_limit_then_refuses():
    scope = _scope()
    results = [
        throttle_exceeded(_request("198.51.100.1"), scope=scope, limit=3, period=60)
        for _ in range(4)
    ]
    assert results == [False, False, False, True]


def test_each_address_has_its_own_count():
    scope = _scope()
    for _ in range(3):
        throttle_exceeded(_request("198.51.100.2"), scope=scope, limit=3, period=60)
    assert not throttle_exceeded(_request("198.51.100.3"), scope=scope, limit=3, period=60)


def test_a_cache_outage_lets_people_through(settings):
    # Redis holds the counters; when it is down a complaint must still be possible.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    assert not throttle_exceeded(_request("198.51.100.4"), scope=_scope(), limit=0, period=60)
