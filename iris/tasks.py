from celery import shared_task

from .complaints.digest import overdue_digest_send
from .recruiters.services import accreditations_expire


@shared_task
def expire_accreditations() -> int:
    return accreditations_expire()


@shared_task
def send_overdue_digest() -> int:
    """Email IRIS officers the references of overdue complaints, once a day."""
    digest = overdue_digest_send()
    return digest.complaints if digest else 0
