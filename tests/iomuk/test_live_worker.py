"""The outbox on the real parts: PostgreSQL, a private Redis and a real `celery worker`."""

import re
from datetime import timedelta

from django.db import transaction

from iomuk.models import OutboxMessage
from iomuk.outbox import outbox_enqueue, outbox_requeue
from tests.conftest import sweep_until, wait_for


def _enqueue_in_a_transaction(to="worker@example.org"):
    with transaction.atomic():
        return outbox_enqueue(to=to, template="test-message", context={"name": "Ana"})


def _state(message):
    message.refresh_from_db()
    return message.state


def test_a_live_worker_delivers_over_smtp(live_worker, test_email_templates):
    message = _enqueue_in_a_transaction()
    wait_for(lambda: _state(message) == OutboxMessage.State.SENT, what="the message to be sent")
    assert len(live_worker.smtp.messages) == 1
    assert "To: worker@example.org" in live_worker.smtp.messages[0]


def test_mail_waits_while_redis_is_down_and_goes_once_when_it_is_back(
    live_worker, test_email_templates
):
    live_worker.redis.stop()
    message = _enqueue_in_a_transaction()  # the write succeeds with the broker down
    assert OutboxMessage.objects.filter(pk=message.pk).exists()
    assert _state(message) == OutboxMessage.State.PENDING

    live_worker.redis.start()
    sweep_until(lambda: _state(message) == OutboxMessage.State.SENT, what="the message to be sent")
    # Every copy of the task queued meanwhile (each sweep queued one) is worked; one more sweep
    # finds nothing waiting. The message went once.
    wait_for(live_worker.redis.idle, what="the queue to be worked")
    assert outbox_requeue(older_than=timedelta(0)) == 0
    assert len(live_worker.smtp.messages) == 1


def test_a_refusing_mail_server_delays_mail_and_loses_none(live_worker, test_email_templates):
    live_worker.smtp.refuse = True
    message = _enqueue_in_a_transaction()

    def kept_after_a_refusal():
        # (The worker's own sweep on connecting may have queued the message a second time: it
        # can then be mid-attempt again, so this waits for it to be back, not for one reading.)
        message.refresh_from_db()
        return message.attempts >= 1 and message.state == OutboxMessage.State.PENDING

    wait_for(kept_after_a_refusal, what="a failed attempt, the message kept to be sent again")
    assert "451" in message.last_error
    live_worker.smtp.refuse = False
    outbox_requeue(older_than=timedelta(0))
    wait_for(lambda: _state(message) == OutboxMessage.State.SENT, what="delivery after the refusal")
    assert len(live_worker.smtp.messages) == 1


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_once(
    live_worker, test_email_templates
):
    live_worker.smtp.stall = True  # the worker will hang in the SMTP conversation
    message = _enqueue_in_a_transaction()
    wait_for(lambda: live_worker.smtp.stalled, what="the worker to be mid-delivery")
    live_worker.kill()
    live_worker.smtp.stall = False
    # Its claim outlives it: no one else sends the message while the lease runs.
    assert _state(message) == OutboxMessage.State.SENDING
    outbox_requeue(older_than=timedelta(0))
    assert _state(message) == OutboxMessage.State.SENDING

    live_worker.start()  # a fresh worker, as a supervisor would restart it
    outbox_requeue(older_than=timedelta(0), lease=timedelta(0))  # as once the lease runs out
    wait_for(
        lambda: _state(message) == OutboxMessage.State.SENT,
        timeout=60,
        what="delivery by the new worker",
    )
    outbox_requeue(older_than=timedelta(0))
    assert len(live_worker.smtp.messages) == 1


def test_a_live_worker_sends_a_fan_out_over_few_connections_once_each(
    live_worker, test_email_templates
):
    with transaction.atomic():
        messages = [
            outbox_enqueue(to=f"person{n}@fan-out.example", template="test-message", context={})
            for n in range(200)
        ]
    wait_for(lambda: len(live_worker.smtp.messages) >= 200, timeout=120, what="every message to go")
    ids = [re.search(r"X-Outbox-Id: (\d+)", m).group(1) for m in live_worker.smtp.messages]
    assert sorted(ids) == sorted(str(m.pk) for m in messages)  # none lost, none twice
    # Duplicates counted as a mail program counts them: by Message-ID, derived from the row.
    message_ids = [re.search(r"Message-ID: <outbox-(\d+)\.", m) for m in live_worker.smtp.messages]
    assert sorted(m.group(1) for m in message_ids if m) == sorted(ids)
    assert live_worker.smtp.connections <= 10
    # The worker records a batch as sent just after the server took it.
    wait_for(
        lambda: not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists(),
        timeout=30,
        what="every message to be recorded as sent",
    )


def test_mail_written_while_redis_was_down_goes_as_soon_as_it_is_back_empty(
    live_worker, test_email_templates
):
    """No sweep is called here, and the periodic one (minutes apart in production) never runs:
    the worker's reconnection to the empty broker is what queues the message again."""
    live_worker.redis.stop()
    message = _enqueue_in_a_transaction()
    assert _state(message) == OutboxMessage.State.PENDING

    live_worker.redis.start()  # a restarted Redis: empty, every queued task gone
    wait_for(
        lambda: _state(message) == OutboxMessage.State.SENT,
        timeout=30,
        what="the message to go once the worker reconnected",
    )
    assert len(live_worker.smtp.messages) == 1
