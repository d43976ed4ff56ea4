"""Every public form: CSRF checked, a per-address limit with the polite page, bots turned away.

Each form is sent once as a person would send it (it is stored), then as a bot (nothing is
stored), then without a CSRF token, then past its limit.
"""

import re
import time
import uuid

import pytest
from django.test import Client

from iomuk.forms import HumanCheckForm
from iris.complaints.services import complaint_submit
from iris.models import Application, Complaint, ComplaintCategory
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import AdaptedSessionRequest, Booking


@pytest.fixture(autouse=True)
def _private_throttle_cache(private_cache):
    """Per-address counters of this test's own."""


def _booking(world):
    return (
        f"/training/{world['session'].slug}/",
        {
            "name": "Ada Lovelace",
            "email": "ada@council.example",
            "organisation": "Camden Council",
            "sector": "social_work",
            "job_title": "Social worker",
            "requirements": "",
            "consent_contact": "on",
        },
        lambda: Booking.objects.count(),
    )


def _adapted_request(world):
    return (
        "/training/request/",
        {
            "organisation": "Leeds Housing",
            "contact_name": "Grace Hopper",
            "email": "grace@leeds.example",
            "phone": "",
            "sector": "housing",
            "people": "12",
            "preferred_dates": "Any Tuesday in March",
            "format": "online",
            "needs": "Housing inspectors who visit houses in multiple occupation.",
        },
        lambda: AdaptedSessionRequest.objects.count(),
    )


def _join(world):
    return (
        "/iris/join/",
        {
            "organisation_name": "Fair Hire Ltd",
            "organisation_type": "recruiter",
            "registration_number": "123456",
            "hq_country": "RO",
            "origin_countries": ["RO"],
            "destination_countries": ["GB"],
            "sectors": ["care"],
            "website": "https://fairhire.example",
            "contact_name": "Jo Bloggs",
            "contact_email": "jo@fairhire.example",
            "contact_phone": "",
            "about": "We place care workers.",
            "commits_to_code": "on",
        },
        lambda: Application.objects.count(),
    )


def _complaint(world):
    return (
        "/iris/complaints/new/",
        {
            "token": uuid.uuid4().hex,
            "about": "listed",
            "recruiter_ref": world["recruiter"].accreditation_number,
            "categories": ["fees"],
            "description": "They kept my passport.",
            "anonymous": "on",
            "preferred_language": "en-gb",
        },
        lambda: Complaint.objects.count(),
    )


def _track(world):
    # A lookup stores nothing: a person sees their report, a bot gets the bot message.
    complaint, code = world["complaint"]
    return (
        "/iris/complaints/track/",
        {"reference": complaint.reference, "code": code},
        None,
    )


def _verify(world):
    return ("/iris/verify/", {"number": world["recruiter"].accreditation_number}, None)


FORMS = {
    "booking": _booking,
    "adapted request": _adapted_request,
    "join": _join,
    "complaint": _complaint,
    "tracking": _track,
    "verification": _verify,
}


@pytest.fixture
def world(db):
    recruiter = RecruiterFactory()
    complaint = complaint_submit(
        recruiter=recruiter,
        categories=ComplaintCategory.objects.filter(code="fees"),
        description="They kept my passport.",
        anonymous=True,
    )
    return {"session": SessionFactory(capacity=5), "recruiter": recruiter, "complaint": complaint}


def _started(seconds_ago: int) -> str:
    return HumanCheckForm._signer.sign(str(int(time.time() - seconds_ago)))


def _send(client, path, data, **extra):
    return client.post(path, data, REMOTE_ADDR="203.0.113.50", **extra)


@pytest.fixture(params=list(FORMS))
def public_form(request, world):
    path, data, count = FORMS[request.param](world)
    return request.param, path, data, count


@pytest.mark.parametrize("seconds", [0, 10])
def test_a_person_gets_through_however_quick(client, public_form, settings, seconds):
    name, path, data, count = public_form
    settings.HUMAN_CHECK_REQUIRE_START_STAMP = True
    before = count() if count else None
    response = _send(client, path, {**data, "form_started": _started(seconds)})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert "quicker than we expected" not in response.content.decode()
    if count:
        assert count() == before + 1, (name, response.context and response.context["form"].errors)


def test_a_bot_filling_the_hidden_field_is_turned_away(client, public_form):
    name, path, data, count = public_form
    before = count() if count else None
    response = _send(client, path, {**data, "homepage": "http://spam.example"})
    assert response.status_code in (200, 400)
    assert "Turn off autofill for this page" in response.content.decode()
    if count:
        assert count() == before, name


def test_a_form_sent_without_opening_the_page_is_turned_away(client, public_form, settings):
    name, path, data, count = public_form
    settings.HUMAN_CHECK_REQUIRE_START_STAMP = True
    before = count() if count else None
    response = _send(client, path, data)
    assert response.status_code in (200, 400)
    assert "This form has expired" in response.content.decode()
    if count:
        assert count() == before, name


def test_a_stamp_replayed_from_another_client_is_refused_and_stores_nothing(
    client, public_form, settings
):
    """A bot that captured one page cannot send it again and again from elsewhere."""
    name, path, data, count = public_form
    settings.HUMAN_CHECK_REQUIRE_START_STAMP = True
    stamp = _started(10)
    first = _send(client, path, {**data, "form_started": stamp})
    assert first.status_code in (200, 302), name
    before = count() if count else None
    replay = {**data, "form_started": stamp}
    if "token" in replay:
        replay["token"] = uuid.uuid4().hex
    response = Client().post(path, replay, REMOTE_ADDR="198.51.100.9")
    page = response.content.decode()
    assert response.status_code in (200, 400), name
    assert "This form has expired" in page, name
    fresh = re.search(r'name="form_started" value="([^"]+)"', page).group(1)
    assert fresh != stamp, name
    if count:
        assert count() == before, name


def test_a_person_pressing_send_twice_is_answered_as_before(client, public_form, settings):
    """The stamp's first sender may send it again: the views' duplicate handling answers."""
    name, path, data, count = public_form
    settings.HUMAN_CHECK_REQUIRE_START_STAMP = True
    stamp = _started(10)
    _send(client, path, {**data, "form_started": stamp})
    after_first = count() if count else None
    response = _send(client, path, {**data, "form_started": stamp})
    assert response.status_code in (200, 302), name
    assert "This form has expired" not in response.content.decode(), name
    if count and "token" in data:
        assert count() == after_first, name


def test_two_pages_opened_in_the_same_second_carry_their_own_stamps():
    assert HumanCheckForm.started_stamp() != HumanCheckForm.started_stamp()


def test_the_form_page_carries_the_hidden_field_and_start_time(client, public_form):
    name, path, data, count = public_form
    page = client.get(path).content.decode()
    assert 'name="homepage"' in page, name
    assert 'name="form_started"' in page, name
    assert 'name="csrfmiddlewaretoken"' in page, name


def test_a_post_without_the_csrf_token_is_refused(public_form):
    name, path, data, count = public_form
    client = Client(enforce_csrf_checks=True)
    before = count() if count else None
    response = _send(client, path, data)
    assert response.status_code == 403, name
    if count:
        assert count() == before, name


LIMITS = {
    "booking": "TRAINING_BOOKING_LIMIT",
    "adapted request": "TRAINING_REQUEST_LIMIT",
    "join": "IRIS_JOIN_LIMIT",
    "complaint": "IRIS_COMPLAINT_LIMIT",
    "tracking": "IRIS_TRACK_LIMIT",
    "verification": "IRIS_VERIFY_LIMIT",
}


def test_one_address_past_the_limit_gets_the_polite_page(client, public_form, settings):
    name, path, data, count = public_form
    setattr(settings, LIMITS[name], (1, 600))
    first = _send(client, path, data)
    assert first.status_code in (200, 302), name
    before = count() if count else None
    response = _send(client, path, {**data, "token": uuid.uuid4().hex})
    assert response.status_code == 429, name
    body = response.content.decode()
    assert "Too many attempts" in body
    assert re.search(r"Please try again in \d+ minutes?\.", body), name
    if count:
        assert count() == before, name
    other = client.post(path, {**data, "homepage": "x"}, REMOTE_ADDR="203.0.113.51")
    assert other.status_code != 429, "another address keeps its own count"


def test_sendings_with_mistakes_use_none_of_the_allowance(client, public_form, settings):
    name, path, data, count = public_form
    setattr(settings, LIMITS[name], (1, 600))
    for _ in range(9):
        response = _send(client, path, {**data, "homepage": "x"})
        assert response.status_code in (200, 400), name
    before = count() if count else None
    assert _send(client, path, data).status_code in (200, 302), name
    if count:
        assert count() == before + 1, name


def test_a_script_is_stopped_at_ten_times_the_allowance(client, public_form, settings):
    name, path, data, count = public_form
    setattr(settings, LIMITS[name], (1, 600))
    for _ in range(10):
        assert _send(client, path, {**data, "homepage": "x"}).status_code != 429, name
    assert _send(client, path, data).status_code == 429, name
