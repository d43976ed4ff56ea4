"""The outbox: every email is stored with the change that causes it, then delivered by Celery.

A broker or mail server outage delays mail; it never loses it. Delivery claims a message in
one statement, so a message queued twice (a retry, a requeue, a worker killed mid-task) is sent
once; a claim whose worker died is given back after a lease.
"""

import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from .mail import OutboxEmail
from .middleware import LANGUAGE_QUERY
from .models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


def outbox_enqueue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Render `emails/<template>-*` and store it, to be sent after the transaction commits.

    Call inside the transaction that makes the change; the message is delivered only if it commits.
    """
    message = outbox_render(to=to, template=template, context=context, language=language)
    message.headers = headers or {}
    message.save()
    for attachment in attachments:
        message.attachments.create(
            filename=attachment.filename, mimetype=attachment.mimetype, content=attachment.content
        )
    _dispatch_after_commit(message.pk)
    return message


def outbox_render(
    *, to: str, template: str, context: dict, language: str | None = None
) -> OutboxMessage:
    """Render `emails/<template>-*` into an unsaved message (see `outbox_enqueue_many`).

    An email written in its reader's `language` gives its links `lang_query` (?lang=ro): each
    opens its page in that language, even in a browser that has never been to the site.
    """
    lang_query = f"?{LANGUAGE_QUERY}={language}" if language else ""
    ctx = {
        "site_url": settings.SITE_URL,
        "lang_query": lang_query,
        "contact_email": settings.CONTACT_EMAIL,
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}-subject.txt", ctx)
        body_text = render_to_string(f"emails/{template}-body-text.txt", ctx)
        body_html = render_to_string(f"emails/{template}-body-html.html", ctx)
        # A whole document that names its language, so a screen reader reads it in that voice.
        body_html = render_to_string(
            "emails/_document.html",
            {
                "lang": translation.get_language(),
                "subject": " ".join(subject.split()),
                "body": mark_safe(body_html),  # noqa: S308 (our own template's output)
            },
        )
    return OutboxMessage(
        to=to,
        subject=" ".join(subject.split())[:200],
        body_text=body_text,
        body_html=body_html,
        template=template,
    )


def outbox_enqueue_many(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Store unsaved messages in one bulk insert, to be sent after the transaction commits: a
    fan-out of thousands costs one statement, not thousands."""
    created = OutboxMessage.objects.bulk_create(messages, batch_size=1000)
    for message in created:
        _dispatch_after_commit(message.pk)
    return created


class _DispatchAfterCommit:
    """The ids of the messages one transaction wrote, handed to the task queue in batches once
    it commits: a fan-out of 10,000 reminders becomes 100 tasks, not 10,000."""

    def __init__(self):
        self.message_ids: list[int] = []
        self.done = False

    def __call__(self):
        self.done = True
        outbox_dispatch(message_ids=self.message_ids)


def _dispatch_after_commit(message_id: int) -> None:
    connection = transaction.get_connection()
    waiting = getattr(connection, "outbox_dispatch_after_commit", None)
    # A rolled-back transaction or savepoint drops its callback: then start a new list. (An id
    # kept from a rolled-back savepoint is harmless: delivery finds no pending row for it.)
    if (
        waiting is None
        or waiting.done
        or not any(entry[1] is waiting for entry in reversed(connection.run_on_commit))
    ):
        waiting = _DispatchAfterCommit()
        connection.outbox_dispatch_after_commit = waiting
        waiting.message_ids.append(message_id)
        transaction.on_commit(waiting)
    else:
        waiting.message_ids.append(message_id)


def outbox_dispatch(*, message_ids: list[int]) -> int:
    """Hand messages to the task queue, `OUTBOX_BATCH_SIZE` to a task; returns how many were
    handed on. If the broker is down, the rest wait for the requeue task."""
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(message_ids), size):
        batch = message_ids[start : start + size]
        try:
            deliver_outbox_batch.delay(batch)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the outbox rows keep the mail
            logger.warning(
                "%s outbox messages wait: broker unavailable (%r)", len(message_ids) - start, exc
            )
            return start
    return len(message_ids)


class OutboxDeliveryError(Exception):
    pass


def outbox_message_id(message: OutboxMessage) -> str:
    """The message's Message-ID, derived from its outbox row: the same on every attempt, so a
    copy sent twice (a worker killed between the server's accept and its mark) is folded by
    mail programs. The HMAC part keeps ids unguessable; nothing in it is personal."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = domain or urlsplit(settings.SITE_URL).hostname or "localhost"
    tag = salted_hmac("iomuk.outbox.message-id", str(message.pk)).hexdigest()[:16]
    return f"<outbox-{message.pk}.{tag}@{domain}>"


def _email(message: OutboxMessage) -> OutboxEmail:
    email = OutboxEmail(
        subject=message.subject,
        body=message.body_text,
        to=[message.to],
        headers={
            **message.headers,
            "X-Outbox-Id": str(message.pk),
            "Message-ID": outbox_message_id(message),
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all() if message.has_attachments else ():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def _claim(message_ids: list[int]) -> tuple[str, list[OutboxMessage]]:
    """Take the batch's pending messages for this worker: one statement writes its claim on
    them (another worker's claim, or a sent message, is left alone), one reads them back."""
    claim = secrets.token_hex(16)
    OutboxMessage.objects.filter(pk__in=message_ids, state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.SENDING, claim=claim, claimed_at=timezone.now()
    )
    messages = list(
        OutboxMessage.objects.filter(pk__in=message_ids, claim=claim)
        # (most mail has no attachment: then no query for them)
        .annotate(has_attachments=Exists(OutboxAttachment.objects.filter(message=OuterRef("pk"))))
        .order_by("pk")
    )
    return claim, messages


def _claimed(message: OutboxMessage, claim: str):
    return OutboxMessage.objects.filter(
        pk=message.pk, claim=claim, state=OutboxMessage.State.SENDING
    )


# Anything shaped like an address: a refusal's text names the recipient, and last_error is
# plain text, shown in the admin and kept as long as the message.
_ADDRESS = re.compile(r"[^\s'\"<>()\[\]{},;:]+@[^\s'\"<>()\[\]{},;:]+")


def outbox_error_text(exc: Exception, *, recipient: str) -> str:
    """The error to keep on a message: its type and text, with the recipient and anything that
    looks like an address replaced by "<recipient>" (the address itself is kept encrypted)."""
    text = _ADDRESS.sub("<recipient>", str(exc))
    if recipient:
        text = re.sub(re.escape(recipient), "<recipient>", text, flags=re.IGNORECASE)
    return f"{type(exc).__name__}: {text}"[:500]


def _send_claimed(message: OutboxMessage, claim: str, connection) -> Exception | None:
    """Send a message this worker claimed, then mark it sent (one statement, committed at
    once), or put it back to be tried again. Returns the error if the send failed."""
    email = _email(message)
    message.attempts += 1
    try:
        connection.open()  # (a no-op while the connection is open)
        connection.send_messages([email])
    except Exception as exc:  # noqa: BLE001 - SMTP and socket errors alike
        message.last_error = outbox_error_text(exc, recipient=message.to)
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.state = OutboxMessage.State.FAILED if failed else OutboxMessage.State.PENDING
        _claimed(message, claim).update(
            state=message.state, attempts=message.attempts, last_error=message.last_error
        )
        return exc
    message.state = OutboxMessage.State.SENT
    _claimed(message, claim).update(
        state=message.state, attempts=message.attempts, last_error="", sent_at=timezone.now()
    )
    return None


def _delivery_error(message: OutboxMessage, failed: Exception) -> OutboxDeliveryError:
    logger.warning("outbox message %s not sent (attempt %s)", message.pk, message.attempts)
    # Named by type and code only: a refusal's text can hold the address, and Celery logs this.
    code = getattr(failed, "smtp_code", "")
    return OutboxDeliveryError(f"message {message.pk}: {type(failed).__name__} {code}".strip())


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send a pending message once: claim it, send, and mark it sent."""
    connection = mailers.default
    try:
        claim, messages = _claim([message_id])
        if not messages:  # already sent, given up on, or being sent by another worker
            return None
        failed = _send_claimed(messages[0], claim, connection)
    finally:
        connection.close()
    if failed is not None:
        raise _delivery_error(messages[0], failed)
    return messages[0]


def outbox_deliver_batch(*, message_ids: list[int]) -> list[int]:
    """Send each pending message of a batch once, over one mail-server connection; returns the
    ids that failed, or were not reached in time, and are to be tried again.

    The batch is claimed in one statement and each message is marked sent, in one statement
    committed at once, as soon as the server accepts it. A worker that dies mid-batch leaves
    the rest claimed until its lease (`OUTBOX_LEASE`) runs out, then the requeue sends them;
    nothing is sent twice, bar the one message in the instant between the server's accept and
    its mark, as with one message a task. A send starts only while the lease has time for it."""
    to_retry = []
    connection = mailers.default
    send_until = time.monotonic() + settings.OUTBOX_LEASE - 2 * settings.EMAIL_TIMEOUT
    try:
        claim, messages = _claim(message_ids)
        for position, message in enumerate(messages):
            if time.monotonic() >= send_until:  # give the rest back before the lease runs out
                rest = [m.pk for m in messages[position:]]
                OutboxMessage.objects.filter(
                    pk__in=rest, claim=claim, state=OutboxMessage.State.SENDING
                ).update(state=OutboxMessage.State.PENDING)
                to_retry += rest
                break
            failed = _send_claimed(message, claim, connection)
            if failed is None:
                continue
            _delivery_error(message, failed)
            connection.close()  # the next message starts a fresh conversation
            if message.state == OutboxMessage.State.PENDING:
                to_retry.append(message.pk)
    finally:
        connection.close()
    return to_retry


# The delivery task lives beside the services it joins (as pretix keeps its tasks with their
# services): dispatching queues it, so here it needs no import back from iomuk.tasks.
@shared_task(
    name="iomuk.tasks.deliver_outbox_batch",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
)
def deliver_outbox_batch(self, message_ids: list[int]) -> None:
    to_retry = outbox_deliver_batch(message_ids=message_ids)
    if to_retry:
        # Only the failed ones, 30 s, 60 s, 2 min, ... then the periodic requeue keeps trying.
        exc = OutboxDeliveryError(f"{len(to_retry)} of {len(message_ids)} messages not sent")
        raise self.retry(args=(to_retry,), exc=exc, countdown=30 * 2**self.request.retries)


def outbox_requeue(
    *, older_than: timedelta = timedelta(minutes=1), lease: timedelta | None = None
) -> int:
    """Put back every message claimed longer ago than the lease (its worker died before marking
    it sent), then queue again every pending message older than `older_than`; returns how many
    were queued."""
    if lease is None:
        lease = timedelta(seconds=settings.OUTBOX_LEASE)
    OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lte=timezone.now() - lease
    ).update(state=OutboxMessage.State.PENDING)
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    return outbox_dispatch(message_ids=ids)


def outbox_retry_failed(*, message_ids: list[int]) -> int:
    """Put failed messages back to pending so they are tried again (an admin action)."""
    return OutboxMessage.objects.filter(
        pk__in=message_ids, state=OutboxMessage.State.FAILED
    ).update(state=OutboxMessage.State.PENDING, attempts=0)


def outbox_prune(*, older_than: timedelta) -> int:
    """Delete messages sent, or failed for good, more than `older_than` ago: their bodies hold
    personal data. Returns how many messages went."""
    cutoff = timezone.now() - older_than
    sent = Q(state=OutboxMessage.State.SENT, sent_at__lt=cutoff)
    failed = Q(state=OutboxMessage.State.FAILED, created_at__lt=cutoff)
    _, by_model = OutboxMessage.objects.filter(sent | failed).delete()
    return by_model.get(OutboxMessage._meta.label, 0)
