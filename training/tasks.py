from celery import shared_task

from . import services


@shared_task
def expire_offers() -> int:
    """Pass on every waiting-list offer not answered in time."""
    return services.offers_expire()


@shared_task
def send_reminders() -> int:
    """Remind confirmed attendees of sessions starting in the next two days (once each)."""
    return services.reminders_send()
