"""A complainant is emailed "there is news" once for a burst of changes, not once per change,
and no change goes untold: news within the window makes one trailing email when it closes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction

from iomuk.models import OutboxMessage
from iris import tasks
from iris.complaints.news import complaints_news_trailing_send
from iris.complaints.retention import complaints_anonymise_expired
from iris.complaints.services import complaint_advance, complaint_message_add, complaint_refer

from .factories import ComplaintFactory, country

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch, settings):
    settings.IRIS_NEWS_EMAIL_MINUTES = 15
    frozen = Clock(START)
    monkeypatch.setattr("django.utils.timezone.now", frozen)
    return frozen


@pytest.fixture
def complaint(db):
    return ComplaintFactory(email="maria@example.org", preferred_language="ro")


def _news_emails() -> list:
    return [m for m in mail.outbox if m.to == ["maria@example.org"]]


def _write(complaint, officer, body: str) -> None:
    complaint_message_add(
        complaint=complaint, shared_with_complainant=True, by=officer, body=body, language="ro"
    )


def test_a_stage_move_and_two_messages_within_a_second_make_one_email(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
        clock.moment += timedelta(milliseconds=300)
        _write(complaint, officer, "Am primit plângerea dumneavoastră.")
        clock.moment += timedelta(milliseconds=300)
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    assert len(_news_emails()) == 1
    # Both messages are there for her to read when she follows the email.
    assert complaint.messages.filter(shared_with_complainant=True).count() == 2


def test_news_within_the_window_waits_and_news_after_it_gets_its_own_email(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.moment = START + timedelta(minutes=14)
    with django_capture_on_commit_callbacks(execute=True):
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    assert len(_news_emails()) == 1
    clock.moment = START + timedelta(minutes=15, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_refer(
            complaint=complaint,
            authority="Inspecția Muncii",
            country=country("RO"),
            referred_on=date(2026, 3, 2),
            by=officer,
        )
    assert len(_news_emails()) == 2


def test_an_internal_message_sends_nothing_and_takes_no_window(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint_message_add(
            complaint=complaint, shared_with_complainant=False, by=officer, body="Call GLAA."
        )
        _write(complaint, officer, "Am primit plângerea dumneavoastră.")
    assert len(_news_emails()) == 1


def test_a_change_rolled_back_leaves_the_next_one_its_email(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _write(complaint, officer, "Am primit plângerea dumneavoastră.")
        raise RuntimeError("the database went away")
    assert _news_emails() == []
    with django_capture_on_commit_callbacks(execute=True):
        _write(complaint, officer, "Am primit plângerea dumneavoastră.")
    assert len(_news_emails()) == 1


def test_the_window_is_a_setting(
    clock, complaint, officer, settings, django_capture_on_commit_callbacks
):
    settings.IRIS_NEWS_EMAIL_MINUTES = 1
    # Each change commits and its email leaves, as two requests two minutes apart would.
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.moment = START + timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    assert complaint.messages.count() == 1
    assert OutboxMessage.objects.filter(template="iris-complaint-update").count() == 2


def _trailing(clock, moment: datetime, capture) -> None:
    """The beat task, run at `moment`, its emails delivered."""
    clock.moment = moment
    with capture(execute=True):
        tasks.send_trailing_news.delay()


def test_a_message_ten_minutes_after_a_stage_move_is_emailed_when_the_window_closes(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    assert len(_news_emails()) == 1
    clock.moment = START + timedelta(minutes=10)
    with capture(execute=True):
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    assert len(_news_emails()) == 1
    _trailing(clock, START + timedelta(minutes=14, seconds=59), capture)
    assert len(_news_emails()) == 1
    _trailing(clock, START + timedelta(minutes=15), capture)
    assert len(_news_emails()) == 2
    assert _news_emails()[1].subject == _news_emails()[0].subject
    for later in (15, 16, 40, 24 * 60):
        _trailing(clock, START + timedelta(minutes=later), capture)
    assert len(_news_emails()) == 2


def test_changes_within_the_window_make_one_trailing_email_not_one_each(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    for minute in (3, 7, 12):
        clock.moment = START + timedelta(minutes=minute)
        with capture(execute=True):
            _write(complaint, officer, f"Mesajul de la minutul {minute}.")
    _trailing(clock, START + timedelta(minutes=15, seconds=30), capture)
    _trailing(clock, START + timedelta(minutes=16), capture)
    assert len(_news_emails()) == 2


def test_three_changes_within_a_second_make_exactly_one_email_ever(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
        clock.moment += timedelta(milliseconds=400)
        _write(complaint, officer, "Am primit plângerea dumneavoastră.")
        clock.moment += timedelta(milliseconds=400)
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    for later in (15, 16, 60):
        _trailing(clock, START + timedelta(minutes=later), capture)
    assert len(_news_emails()) == 1


def test_the_trailing_email_opens_a_window_of_its_own(
    clock, complaint, officer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.moment = START + timedelta(minutes=10)
    with capture(execute=True):
        _write(complaint, officer, "Vă rugăm să ne trimiteți contractul.")
    _trailing(clock, START + timedelta(minutes=15), capture)
    clock.moment = START + timedelta(minutes=16)
    with capture(execute=True):
        _write(complaint, officer, "Mulțumim, am primit contractul.")
    assert len(_news_emails()) == 2
    _trailing(clock, START + timedelta(minutes=30), capture)
    assert len(_news_emails()) == 3


def test_news_pending_on_a_complaint_anonymised_since_sends_nothing(
    clock, complaint, officer, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    settings.IRIS_RETENTION_DAYS = 0
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.moment = START + timedelta(minutes=5)
    with capture(execute=True):
        complaint_advance(complaint=complaint, to_stage="closed", by=officer)
    # Stage moves are stamped by the real clock (a field default), so retention runs past it.
    assert complaints_anonymise_expired(now=datetime.now(UTC) + timedelta(days=1)) == [
        complaint.reference
    ]
    clock.moment = START + timedelta(minutes=15)
    with capture(execute=True):
        assert complaints_news_trailing_send() == 0
    assert len(_news_emails()) == 1


def test_the_trailing_email_is_a_beat_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["iris-news-trailing"]
    assert entry["task"] == tasks.send_trailing_news.name
    assert entry["schedule"] == timedelta(minutes=1)
