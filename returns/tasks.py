"""Retention runs for every app from iomuk.tasks; returns has only its follow-up reminders."""

from celery import shared_task

from .services import follow_ups_remind


@shared_task
def remind_follow_ups() -> int:
    """Each follow-up's caseworker is emailed once, a few days before it is due (hourly)."""
    return follow_ups_remind()
