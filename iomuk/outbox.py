"""The outbox: every email is stored with the change that causes it, then delivered by Celery.

A broker or mail server outage delays mail; it never loses it. Delivery takes a row lock,
so a message queued twice (a retry, a requeue, a worker killed mid-task) is sent once.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

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
) -> OutboxMessage:
    """Render `emails/<template>-*` and store it, to be sent after the transaction commits.

    Call inside the transaction that makes the change; the message is delivered only if it commits.
    """
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}-subject.txt", ctx)
        body_text = render_to_string(f"emails/{template}-body-text.txt", ctx)
        body_html = render_to_string(f"emails/{template}-body-html.html", ctx)
    message = OutboxMessage.objects.create(
        to=to,
        subject=" ".join(subject.split())[:200],
        body_text=body_text,
        body_html=body_html,
        template=template,
    )
    for attachment in attachments:
        message.attachments.create(
            filename=attachment.filename, mimetype=attachment.mimetype, content=attachment.content
        )
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Hand a message to the task queue; if the broker is down, leave it for the requeue task."""
    try:
        deliver_outbox_message.delay(message_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the outbox row keeps the mail
        logger.warning("outbox message %s waits: broker unavailable (%r)", message_id, exc)
        return False
    return True


class OutboxDeliveryError(Exception):
    pass


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send a pending message once: lock its row, send, and mark it sent in one transaction."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:  # already sent, given up on, or being sent by another worker
            return None
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.to],
            headers={"X-Outbox-Id": str(message.pk)},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for attachment in message.attachments.all():
            email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # noqa: BLE001 - SMTP and socket errors alike
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.state = OutboxMessage.State.FAILED
            message.save(update_fields=["attempts", "last_error", "state"])
            failed = exc
        else:
            message.state = OutboxMessage.State.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_error", "state", "sent_at"])
            return message
    logger.warning("outbox message %s not sent (attempt %s)", message_id, message.attempts)
    # Named by type and code only: a refusal's text can hold the address, and Celery logs this.
    code = getattr(failed, "smtp_code", "")
    raise OutboxDeliveryError(f"message {message_id}: {type(failed).__name__} {code}".strip())


# The delivery task lives beside the services it joins (as pretix keeps its tasks with their
# services): dispatching queues it, so here it needs no import back from iomuk.tasks.
@shared_task(
    name="iomuk.tasks.deliver_outbox_message",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
)
def deliver_outbox_message(self, message_id: int) -> None:
    try:
        outbox_deliver(message_id=message_id)
    except OutboxDeliveryError as exc:
        # 30 s, 60 s, 2 min, ... then the periodic requeue keeps trying.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


def outbox_requeue(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Queue again every pending message older than `older_than`; returns how many were queued."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    return sum(outbox_dispatch(message_id=pk) for pk in ids)


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
