from celery import shared_task

from .recruiters.services import accreditations_expire


@shared_task
def expire_accreditations() -> int:
    return accreditations_expire()
