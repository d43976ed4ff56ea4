from celery import shared_task

from .complaints.digest import overdue_digest_send
from .complaints.news import complaints_news_trailing_send
from .recruiters.bulk import roster_export_write
from .recruiters.services import accreditations_expire


@shared_task
def expire_accreditations() -> int:
    return accreditations_expire()


@shared_task
def send_overdue_digest() -> int:
    """Email IRIS officers the references of overdue complaints, once a day."""
    digest = overdue_digest_send()
    return digest.complaints if digest else 0


@shared_task
def send_trailing_news() -> int:
    """Email complainants the news held back in a closed window, one email per complaint."""
    return complaints_news_trailing_send()


@shared_task
def export_roster() -> dict[str, str]:
    return roster_export_write()
