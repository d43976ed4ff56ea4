from celery import shared_task

from .services import cases_purge_expired


@shared_task
def purge_expired_cases() -> int:
    return len(cases_purge_expired())
