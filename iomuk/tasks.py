from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from .accounts import password_reset_send
from .fields import fernet
from .outbox import OutboxDeliveryError, outbox_deliver_batch, outbox_prune, outbox_requeue
from .retention import retention_apply


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6)
def deliver_outbox_batch(self, message_ids: list[int]) -> None:
    to_retry = outbox_deliver_batch(message_ids=message_ids)
    if to_retry:
        # Only the failed ones, 30 s, 60 s, 2 min, ... then the periodic requeue keeps trying.
        exc = OutboxDeliveryError(f"{len(to_retry)} of {len(message_ids)} messages not sent")
        raise self.retry(args=(to_retry,), exc=exc, countdown=30 * 2**self.request.retries)


@shared_task
def requeue_outbox() -> int:
    return outbox_requeue(older_than=timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER))


@shared_task
def prune_outbox() -> int:
    return outbox_prune(older_than=timedelta(days=settings.OUTBOX_RETENTION_DAYS))


@shared_task
def apply_retention() -> dict[str, int]:
    return {kind: len(refs) for kind, refs in retention_apply().items()}


@shared_task
def clear_expired_sessions() -> None:
    """Expired sessions are deleted hourly, so a stolen old cookie finds nothing to reopen."""
    call_command("clearsessions")


@shared_task
def send_password_reset(sealed_email: str) -> int:
    # The address travels encrypted: broker messages and worker logs hold no personal data.
    return password_reset_send(email=fernet().decrypt(sealed_email.encode()).decode())
