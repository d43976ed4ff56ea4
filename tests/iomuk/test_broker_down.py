"""Redis goes down while people book and complain: nothing they send is lost, no mail twice.

On the real parts (PostgreSQL, a private Redis, a live `celery worker`). The cache points at the
same Redis as the broker, as in production, so the per-address limit loses its counter too.
"""

import uuid
from datetime import timedelta

import pytest

from iomuk.models import OutboxMessage
from iomuk.outbox import outbox_requeue
from iris.models import Complaint, ComplaintCategory, Country
from tests.conftest import sweep_until, wait_for
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import Booking

pytestmark = pytest.mark.live_worker


def _book(client, session, n):
    return client.post(
        f"/training/{session.slug}/",
        {
            "name": f"Attendee {n}",
            "email": f"attendee{n}@council.example",
            "organisation": "Camden Council",
            "sector": "social_work",
            "job_title": "Social worker",
            "consent_contact": "on",
        },
    )


def _complain(client, recruiter):
    return client.post(
        "/iris/complaints/new/",
        {
            "token": uuid.uuid4().hex,
            "about": "listed",
            "recruiter_ref": recruiter.accreditation_number,
            "categories": ["fees"],
            "description": "They kept my passport.",
            "in_danger": "on",
            "email": "complainant@example.org",
            "preferred_language": "en-gb",
        },
    )


def test_bookings_and_complaints_while_the_broker_is_down_each_mail_goes_once(
    live_worker, client, settings
):
    settings.CACHES = {
        **settings.CACHES,  # (the frame's fragments stay in this process)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": live_worker.redis.url,
        },
    }
    # Reference rows from migrations are gone after an earlier transactional test's flush.
    ComplaintCategory.objects.get_or_create(code="fees", defaults={"name": "Fees"})
    for code in ("RO", "GB"):
        Country.objects.get_or_create(code=code, defaults={"name": code})
    session = SessionFactory(capacity=2)
    recruiter = RecruiterFactory()

    live_worker.redis.stop()
    pages = [_book(client, session, n) for n in range(3)]  # two seats, then the waiting list
    pages.append(_complain(client, recruiter))
    assert [p.status_code for p in pages] == [302, 302, 302, 302]
    assert client.get(pages[0]["Location"]).status_code == 200
    assert client.get(pages[-1]["Location"]).status_code == 200

    states = sorted(Booking.objects.values_list("state", flat=True))
    assert states == ["confirmed", "confirmed", "waiting"]
    assert Complaint.objects.count() == 1
    # Booked ×2, waiting list ×1, complaint received, urgent alert to the officers.
    expected = 5
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count() == expected

    live_worker.redis.start()
    sent = OutboxMessage.objects.filter(state=OutboxMessage.State.SENT)
    sweep_until(lambda: sent.count() == expected, what="every message to be sent")
    # Every copy of a task queued meanwhile is worked; one more sweep finds nothing waiting.
    wait_for(live_worker.redis.idle, what="the queue to be worked")
    assert outbox_requeue(older_than=timedelta(0)) == 0
    ids = [
        line.split(":", 1)[1].strip()
        for message in live_worker.smtp.messages
        for line in message.splitlines()
        if line.startswith("X-Outbox-Id:")
    ]
    assert len(ids) == expected
    assert len(set(ids)) == expected, "a message went out twice"
