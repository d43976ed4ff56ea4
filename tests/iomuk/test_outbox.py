from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from iomuk.models import OutboxMessage
from iomuk.outbox import Attachment, outbox_deliver, outbox_enqueue, outbox_requeue


@pytest.fixture(autouse=True)
def _templates(test_email_templates):
    pass


def _enqueue(**kwargs):
    return outbox_enqueue(
        to="someone@example.org", template="test-message", context={"name": "Ana"}, **kwargs
    )


def test_it_sends_after_commit_and_marks_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["someone@example.org"]
    assert "Ana" in mail.outbox[0].body


def test_it_keeps_personal_data_out_of_the_subject(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
    assert "Ana" not in mail.outbox[0].subject


def test_it_sends_nothing_when_the_change_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _enqueue()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_it_attaches_files(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(attachments=(Attachment("session.ics", "text/calendar", b"BEGIN:VCALENDAR"),))
    assert mail.outbox[0].attachments[0][0] == "session.ics"


def test_it_never_sends_a_message_twice(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert outbox_deliver(message_id=message.pk) is None
    assert len(mail.outbox) == 1


def test_it_renders_in_the_language_asked_for(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _enqueue(language="ro")
    assert 'lang="ro"' in message.body_html


def test_requeue_delivers_what_the_broker_missed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # as if the broker was down
        message = _enqueue()
    assert message.state == OutboxMessage.State.PENDING
    assert outbox_requeue(older_than=timedelta(0)) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1


def test_failed_delivery_is_recorded_and_retried(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.iomuk.failing_backend.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    # Eager mode retries at once; each attempt is counted, then the message waits for a person.
    assert message.attempts == 3
    assert message.state == OutboxMessage.State.FAILED
    assert "SMTPDataError" in message.last_error


def test_prune_deletes_old_sent_mail_and_keeps_what_is_pending(db):
    from django.utils import timezone

    from iomuk.outbox import outbox_prune

    old = OutboxMessage.objects.create(
        to="a@example.org",
        subject="s",
        body_text="b",
        template="t",
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now() - timedelta(days=40),
    )
    recent = OutboxMessage.objects.create(
        to="b@example.org",
        subject="s",
        body_text="b",
        template="t",
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now() - timedelta(days=2),
    )
    pending = OutboxMessage.objects.create(
        to="c@example.org", subject="s", body_text="b", template="t"
    )
    assert outbox_prune(older_than=timedelta(days=30)) == 1
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, pending.pk}
    assert old.pk not in remaining
