"""The complainant's "there is news" email: at most one per complaint in IRIS_NEWS_EMAIL_MINUTES,
and no news lost: every change is followed by a news email that leaves after it.

A change is told in one of three ways:
- the complaint's last news email is still waiting in the outbox: it has not left, so it tells
  of this change too (a stage move and two messages in a second make one email);
- no news email in the window: one now, which opens the window;
- else the complaint is marked `news_pending_since`, and when the window closes the beat task
  (iris-news-trailing, every minute) sends ONE email for all such changes, opening a new window.

Each path holds the complaint's row (and the waiting email's) for its transaction: of two
officers or two workers at once the second waits, then finds the work done; an outbox worker
cannot take a waiting email before the change it now tells of is committed. A change rolled back
takes back its mark and its email.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from iomuk.models import OutboxMessage
from iomuk.outbox import outbox_enqueue

from .models import Complaint


def _window_closed(now: datetime) -> Q:
    window_opened = now - timedelta(minutes=settings.IRIS_NEWS_EMAIL_MINUTES)
    return Q(news_emailed_at__isnull=True) | Q(news_emailed_at__lte=window_opened)


def _news_email(complaint: Complaint) -> OutboxMessage:
    # The email says only that there is news: one stands for any number of changes.
    return outbox_enqueue(
        to=complaint.email,
        template="iris-complaint-update",
        context={"complaint": complaint},
        language=complaint.preferred_language,
    )


def complaint_news_tell(complaint: Complaint, *, now: datetime | None = None) -> None:
    """Tell the complainant, if they gave an address, that there is news (see the module).

    Call inside the transaction that makes the change.
    """
    if not complaint.email:
        return
    now = now or timezone.now()
    mine = Complaint.objects.filter(pk=complaint.pk)
    with transaction.atomic():
        last_email = mine.select_for_update().values_list("news_email", flat=True).get()
        waiting = OutboxMessage.objects.select_for_update().filter(
            pk=last_email, state=OutboxMessage.State.PENDING
        )
        if last_email is not None and waiting.exists():
            return
        if mine.filter(_window_closed(now)).update(news_emailed_at=now, news_pending_since=None):
            mine.update(news_email=_news_email(complaint))
            return
        mine.update(news_pending_since=Coalesce("news_pending_since", now))


def complaints_news_trailing_send(*, now: datetime | None = None) -> int:
    """Send the trailing "there is news" email of each complaint whose window has closed with
    news pending; returns how many were sent. Safe to run twice, or on two workers at once."""
    now = now or timezone.now()
    due = Complaint.objects.filter(_window_closed(now), news_pending_since__isnull=False)
    sent = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            # The claim: of two workers, the second waits on the row, then matches nothing.
            if not due.filter(pk=pk).update(news_emailed_at=now, news_pending_since=None):
                continue
            complaint = Complaint.objects.get(pk=pk)
            if complaint.email:  # blanked by retention since: nobody left to tell
                Complaint.objects.filter(pk=pk).update(news_email=_news_email(complaint))
                sent += 1
    return sent
