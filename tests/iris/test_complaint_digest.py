"""Each morning IRIS officers get one email listing the complaints past a deadline, by
reference only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail

from iris import tasks
from iris.complaints.models import Complaint
from iris.complaints.services import complaint_advance

from .factories import ComplaintFactory, RecruiterFactory

# 08:00 in London on a winter Monday.
MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch, settings):
    settings.IRIS_ACKNOWLEDGE_DAYS = 7
    settings.IRIS_ANSWER_MONTHS = 3
    moment = {"now": MORNING}
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment["now"])
    return moment


def _received(days_ago: int, reference: str, **extra) -> Complaint:
    complaint = ComplaintFactory(
        reference=reference,
        name="Maria Ionescu",
        email="maria@example.org",
        description="They kept my passport in Constanța.",
        recruiter=RecruiterFactory(legal_name="Muncă Rapidă SRL"),
        **extra,
    )
    Complaint.objects.filter(pk=complaint.pk).update(created_at=MORNING - timedelta(days=days_ago))
    return complaint


def _digests() -> list:
    return [m for m in mail.outbox if m.to == [settings.IRIS_OFFICERS_EMAIL]]


def test_the_digest_lists_overdue_complaints_by_reference_only(
    clock, db, officer, django_capture_on_commit_callbacks
):
    _received(8, "IRIS-C-LATE01")
    _received(0, "IRIS-C-DANGER", in_danger=True)
    answered = _received(100, "IRIS-C-DONE01")
    _received(2, "IRIS-C-FRESH1")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=answered, to_stage="closed", by=officer)
        tasks.send_overdue_digest.delay()
    (digest,) = _digests()
    html = digest.alternatives[0][0]
    for body in (digest.body, html):
        assert "IRIS-C-LATE01" in body and "not acknowledged by 8 Mar 2026" in body
        assert "IRIS-C-DANGER" in body and "someone in danger" in body
        assert "IRIS-C-FRESH1" not in body and "IRIS-C-DONE01" not in body
        assert "/staff/iris/complaints/IRIS-C-LATE01/" in body
        # Nothing that names or tells: no complainant, no recruiter, no account, no address.
        for private in ("Maria", "maria@example.org", "Muncă Rapidă", "passport", "Constanța"):
            assert private not in body
    # The most urgent comes first.
    assert digest.body.index("IRIS-C-DANGER") < digest.body.index("IRIS-C-LATE01")
    # A subject that names nothing: no reference, no topic beyond the team's own.
    assert digest.subject == "IRIS complaints: daily summary of deadlines"


def test_the_digest_goes_once_a_day_however_often_it_runs(
    clock, db, django_capture_on_commit_callbacks
):
    _received(8, "IRIS-C-LATE01")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_overdue_digest.delay()
    clock["now"] = MORNING + timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_overdue_digest.delay()
    assert len(_digests()) == 1
    clock["now"] = MORNING + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_overdue_digest.delay()
    assert len(_digests()) == 2


def test_no_digest_on_a_day_with_nothing_overdue(clock, db, django_capture_on_commit_callbacks):
    _received(2, "IRIS-C-FRESH1")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_overdue_digest.delay()
    assert _digests() == []


def test_the_digest_is_a_beat_task_in_working_hours():
    entry = settings.CELERY_BEAT_SCHEDULE["iris-overdue-digest"]
    assert entry["task"] == tasks.send_overdue_digest.name
    assert entry["schedule"].hour == set(range(7, 19))
