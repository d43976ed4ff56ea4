"""Password reset (Medium 4 of the outside review): it tells nobody whether an address has an
account, by its answer or by the work it does, and it cannot be used to flood a mailbox.

The review timed 77 ms for a known address against 20 ms for an unknown one: the known one
rendered and stored an email inside the request. Timings are not asserted here (they vary
from machine to machine); the work the request does is.
"""

import pytest
from celery.app.task import Task
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from iomuk.models import OutboxMessage
from tests.returns.factories import UserFactory

KNOWN = "coord@iom-uk.example"
UNKNOWN = "nobody@iom-uk.example"


@pytest.fixture(autouse=True)
def _private_throttle_cache(private_cache):
    """Counters of this test's own."""


@pytest.fixture
def coordinator(db):
    user = UserFactory(username="coord", email=KNOWN)
    user.set_password("a-long-enough-password-1")
    user.save()
    return user


@pytest.fixture
def queued(monkeypatch):
    """Tasks are recorded, not run: the request's own work is what a visitor can time."""
    calls = []

    def record(task, args=None, kwargs=None, **options):
        calls.append((task, args or (), kwargs or {}))

    monkeypatch.setattr(Task, "apply_async", record)
    return calls


def _work_of_one_request(client, email):
    templates = []

    def seen(sender, template, **kwargs):
        templates.append(template.name)

    template_rendered.connect(seen)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/accounts/password_reset/", {"email": email})
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 302
    assert response.url == "/accounts/password_reset/done/"
    return [q["sql"] for q in queries.captured_queries], templates


def test_a_known_and_an_unknown_address_cost_the_request_the_same(coordinator, queued):
    known_queries, known_templates = _work_of_one_request(Client(), KNOWN)
    unknown_queries, unknown_templates = _work_of_one_request(Client(), UNKNOWN)
    assert known_queries == unknown_queries
    assert known_templates == unknown_templates
    assert not [name for name in known_templates if name and name.startswith("emails/")]
    assert not OutboxMessage.objects.exists()
    # What was queued does not name the address: the broker holds no personal data.
    assert len(queued) == 2 and KNOWN not in repr(queued) and UNKNOWN not in repr(queued)
    # The queued work sends the one real account its link, and nothing to the unknown address.
    for task, args, kwargs in queued:
        task(*args, **kwargs)
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [KNOWN]


def test_fifteen_resets_for_one_address_in_seconds_send_at_most_five(
    coordinator, django_capture_on_commit_callbacks
):
    answers = []
    for n in range(15):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")  # from many places: still one account
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post("/accounts/password_reset/", {"email": KNOWN}))
    assert len(mail.outbox) == 5
    refused = answers[-1].content.decode()
    assert "Too many reset emails were asked for this address" in refused
    # The same answer whether or not the address has an account.
    unknown = Client(REMOTE_ADDR="192.0.2.99")
    for _ in range(6):
        last = unknown.post("/accounts/password_reset/", {"email": UNKNOWN})
    assert "Too many reset emails were asked for this address" in last.content.decode()


def test_one_client_may_ask_for_twenty_resets_an_hour(db, queued):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(20):
        response = client.post("/accounts/password_reset/", {"email": f"person{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "one-more@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert other.post("/accounts/password_reset/", {"email": "a@example.org"}).status_code == 302


def test_with_the_broker_down_the_reset_is_still_sent(coordinator, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    response = Client().post("/accounts/password_reset/", {"email": KNOWN})
    assert response.url == "/accounts/password_reset/done/"
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [KNOWN]
