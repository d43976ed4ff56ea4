import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from iomuk.throttle import throttle_exceeded
from iris.models import Complaint
from tests.iris.factories import RecruiterFactory


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
        **settings.CACHES,  # (the frame's fragments stay in this process)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
    }
    assert not throttle_exceeded(_request("198.51.100.4"), scope=_scope(), limit=0, period=60)


# A person and a script on the complaint form, with the portal's own allowance (5 an hour).
COMPLAINT_FORM = "/iris/complaints/new/"
ONE_HOUR_IN = 3600 * 490_000  # the start of an hour-long counting window


@pytest.fixture
def now(monkeypatch):
    """The clock the throttle reads: 13 minutes into its hour-long window."""
    moment = [ONE_HOUR_IN + 13 * 60]
    monkeypatch.setattr("iomuk.throttle._now", lambda: moment[0])
    return moment


@pytest.fixture
def recruiter(db, private_cache):
    return RecruiterFactory()


def _complaint(recruiter, **changes):
    answers = {
        "token": uuid.uuid4().hex,
        "about": "listed",
        "recruiter_ref": recruiter.accreditation_number,
        "categories": ["fees"],
        "description": "They kept my passport.",
        "anonymous": "on",
        "preferred_language": "en-gb",
    }
    return {**answers, **changes}


def _send(client, answers, address="198.51.100.20"):
    return client.post(COMPLAINT_FORM, answers, REMOTE_ADDR=address)


def test_a_person_who_makes_ten_mistakes_is_still_heard(client, recruiter, now):
    for _ in range(10):
        response = _send(client, _complaint(recruiter, description=""))
        assert response.status_code in (200, 400)
        assert "Tell us what happened" in response.content.decode()
    response = _send(client, _complaint(recruiter))
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_the_sixth_complaint_in_the_hour_is_paused_with_the_wait_shown(client, recruiter, now):
    for _ in range(5):
        assert _send(client, _complaint(recruiter)).status_code == 302
    response = _send(client, _complaint(recruiter))
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body
    assert "Please try again in 47 minutes." in body
    assert Complaint.objects.count() == 5
    now[0] += 47 * 60  # the next window
    assert _send(client, _complaint(recruiter)).status_code == 302


def test_the_wait_is_rounded_up_to_whole_minutes(client, recruiter, now):
    now[0] = ONE_HOUR_IN + 3600 - 20  # 20 seconds left
    for _ in range(5):
        _send(client, _complaint(recruiter))
    assert "Please try again in 1 minute." in _send(client, _complaint(recruiter)).content.decode()


def test_a_script_sending_forms_with_mistakes_is_stopped_at_ten_times_the_allowance(
    client, recruiter, now
):
    for _ in range(50):
        assert _send(client, _complaint(recruiter, description="")).status_code != 429
    assert _send(client, _complaint(recruiter)).status_code == 429
    assert Complaint.objects.count() == 0
    assert _send(client, _complaint(recruiter), address="198.51.100.21").status_code == 302


@pytest.mark.parametrize("language", ["bg", "cs", "hu", "ro"])
@pytest.mark.parametrize("minutes", [1, 3, 47])
def test_the_wait_is_said_in_the_readers_language(db, language, minutes):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        html = render_to_string("429.html", {"wait_minutes": minutes}, request=request)
    assert f"{minutes} " in html
    assert "Please try again" not in html
    assert "paused this form" not in html
