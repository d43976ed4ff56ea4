import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

# Two tasks are queued by services and live beside them; imported here, the worker's task
# discovery registers them with the rest.
from .accounts import send_password_reset
from .held_uploads import held_uploads_prune
from .outbox import deliver_outbox_batch, outbox_prune, outbox_requeue
from .retention import retention_apply

__all__ = ["deliver_outbox_batch", "send_password_reset"]

logger = logging.getLogger(__name__)


@shared_task
def requeue_outbox() -> int:
    return outbox_requeue(older_than=timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER))


@shared_task
def requeue_outbox_now() -> int:
    """Any age: what was written while the broker was down was never queued at all."""
    queued = outbox_requeue(older_than=timedelta(0))
    if queued:
        logger.warning("broker empty on (re)connect: %s outbox messages queued", queued)
    return queued


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
def prune_held_uploads() -> int:
    """Files held for a form that was never sent again are deleted after HELD_UPLOAD_HOURS."""
    return held_uploads_prune()
