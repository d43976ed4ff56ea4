"""While the cache (Redis) is down the per-address limits are off, by design: the public forms
stay open. Then the portal says so: a warning in the log at most once a minute, a
"degraded" line in /healthz's answer, and a banner on the staff dashboard."""

import logging
import uuid

import pytest
from django.test import RequestFactory

from iomuk import throttle
from iomuk.throttle import throttle_exceeded

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


@pytest.fixture
def cache_down(settings, monkeypatch):
    settings.CACHES = {**settings.CACHES, **REDIS_DOWN}
    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(throttle, "_now", lambda: clock["now"])
    monkeypatch.setattr(throttle, "_cache_outage", {"warned_at": None}, raising=False)
    return clock


def _hit():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    return throttle_exceeded(request, scope=f"test-{uuid.uuid4()}", limit=0, period=60)


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_cache_outage_is_logged_once_a_minute_not_once_a_request(cache_down, caplog):
    caplog.set_level(logging.WARNING, logger="iomuk.throttle")
    for _ in range(50):  # a busy minute on the public forms
        assert not _hit()  # let through: the forms stay open
    cache_down["now"] += 59
    _hit()
    assert len(_warnings(caplog)) == 1
    assert "limits are off" in _warnings(caplog)[0]
    cache_down["now"] += 2  # a minute since the warning: still down, so said again
    _hit()
    assert len(_warnings(caplog)) == 2


def test_healthz_says_the_portal_is_degraded_while_the_cache_is_down(client, db, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 200  # still ready: the forms stay open
    body = response.json()
    assert body["checks"]["cache"] == "down"
    assert body["degraded"] == ["cache down: per-address limits on the public forms are off"]


def test_healthz_says_nothing_degraded_when_all_is_well(client, db):
    assert "degraded" not in client.get("/healthz").json()


def _coordinator(client):
    from django.contrib.auth.models import Group

    from iomuk import roles
    from iomuk.models import User

    user = User.objects.create_user("coordinator-on-duty", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(user)


def test_the_staff_dashboard_warns_while_the_cache_is_down(client, db, settings):
    _coordinator(client)  # signed in while all is well
    settings.CACHES = {**settings.CACHES, **REDIS_DOWN}
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "running without its shared cache (Redis)" in page.text
    assert "per-address limits on them are off" in page.text


def test_the_staff_dashboard_shows_no_warning_when_all_is_well(client, db):
    _coordinator(client)
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "shared cache" not in page.text
