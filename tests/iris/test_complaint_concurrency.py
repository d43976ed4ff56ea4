"""Officers at once, workers at once: still one "there is news" email, still one digest a day.

These need real concurrent transactions, so they run on PostgreSQL (in CI) only.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from iomuk.models import OutboxMessage
from iris.complaints.digest import overdue_digest_send
from iris.complaints.models import Complaint
from iris.complaints.news import complaints_news_trailing_send
from iris.complaints.services import complaint_message_add

from .factories import ComplaintFactory


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no concurrent writers to race")


def _in_thread(work):
    def run(*args):
        try:
            return work(*args)
        finally:
            connection.close()

    return run


def _complaint() -> Complaint:
    # Named, not linked: a transactional test's flush removed the countries a recruiter needs.
    return ComplaintFactory(recruiter=None, unlisted_name="Muncă Rapidă SRL")


@pytest.mark.django_db(transaction=True)
def test_four_officers_writing_at_once_send_one_news_email(postgresql):
    complaint = _complaint()
    start = threading.Barrier(4)

    @_in_thread
    def write(n):
        mine = Complaint.objects.get(pk=complaint.pk)
        start.wait()
        complaint_message_add(
            complaint=mine,
            shared_with_complainant=True,
            by=None,
            body=f"Mesajul {n}",
            language="ro",
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    assert complaint.messages.count() == 4
    assert OutboxMessage.objects.filter(template="iris-complaint-update").count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_workers_running_the_digest_at_once_send_one(postgresql):
    complaint = _complaint()
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - timedelta(days=10))
    start = threading.Barrier(4)

    @_in_thread
    def run(_):
        start.wait()
        return overdue_digest_send()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = [digest for digest in pool.map(run, range(4)) if digest is not None]
    assert len(sent) == 1 and sent[0].complaints == 1
    assert OutboxMessage.objects.filter(template="iris-overdue-digest").count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_workers_sending_the_trailing_news_at_once_send_one(postgresql):
    complaint = _complaint()
    now = timezone.now()
    Complaint.objects.filter(pk=complaint.pk).update(
        news_emailed_at=now - timedelta(minutes=20),
        news_pending_since=now - timedelta(minutes=10),
    )
    start = threading.Barrier(4)

    @_in_thread
    def run(_):
        start.wait()
        return complaints_news_trailing_send()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(run, range(4))) == 1
    assert OutboxMessage.objects.filter(template="iris-complaint-update").count() == 1
    complaint.refresh_from_db()
    assert complaint.news_pending_since is None
