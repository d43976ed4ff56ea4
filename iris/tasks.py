from celery import shared_task

from .recruiters.bulk import roster_export_write
from .recruiters.services import accreditations_expire


@shared_task
def expire_accreditations() -> int:
    return accreditations_expire()


@shared_task
def export_roster() -> dict[str, str]:
    return roster_export_write()
