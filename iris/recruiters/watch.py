"""Watching a recruiter: anyone may ask to be told, by email, when its standing changes.

The address is confirmed by a link first; every alert carries a one-click unsubscribe link
(RFC 8058). An officer's change queues one task after commit; the task writes every watcher's
alert to the outbox in one bulk insert, once however often it runs.
"""

import logging
import uuid
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from iomuk.anonymise import delete_each
from iomuk.models import OutboxMessage
from iomuk.outbox import outbox_enqueue, outbox_enqueue_many, outbox_render
from iomuk.throttle import throttle_key_exceeded

from .models import Recruiter, RecruiterWatch

logger = logging.getLogger(__name__)

# The changes a watcher is told about.
CHANGES = (
    "suspended",
    "reinstated",
    "withdrawn",
    "expired",
    "renewed",
    # The contact check's: a contact it had authorised is no longer its own; someone pretending
    # to be it is on the warning list. The alert names neither contact (see the recruiter's page).
    "contact_removed",
    "impostor_listed",
)
# Stands in for each watcher's token while an alert is rendered once per language.
_LINK_SLOT = "WATCHLINKSLOT"
# However often an address is typed in, it is emailed at most once in this many seconds per
# recruiter: the form cannot be used to flood someone's inbox.
WATCH_LINK_RESEND_PERIOD = 15 * 60
# Erased by retention with the whole row (see `watches_delete_unconfirmed`).
WATCH_PERSONAL_DATA = {"email": ""}


def _links(token: str) -> dict[str, str]:
    return {
        "stop_url": settings.SITE_URL + reverse("iris:watch-stop", args=[token]),
        "manage_url": settings.SITE_URL + reverse("iris:watch-manage", args=[token]),
        "confirm_url": settings.SITE_URL + reverse("iris:watch-confirm", args=[token]),
    }


def mailbox_key(email: str) -> str:
    """The mailbox an address reaches, for counting what it is sent: lower case, and without a
    "+tag" (most mail services deliver name+anything@ to name@)."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def watch_request(*, recruiter: Recruiter, email: str, language: str) -> None:
    """Ask to watch a recruiter: a confirmation link goes to the address (at most once per
    WATCH_LINK_RESEND_PERIOD), and the answer is the same whether it already watches or not.

    One mailbox is sent at most IRIS_WATCH_CONFIRM_MAILBOX_LIMIT confirmations, whatever the
    recruiters and whoever asks (as a password reset is limited per address): the form cannot
    flood a stranger's inbox from many clients."""
    mailbox = mailbox_key(email)
    if throttle_key_exceeded(
        scope="iris-watch-link",
        key=f"{recruiter.pk}:{mailbox}",
        limit=1,
        period=WATCH_LINK_RESEND_PERIOD,
    ):
        return
    limit, period = settings.IRIS_WATCH_CONFIRM_MAILBOX_LIMIT
    if throttle_key_exceeded(scope="iris-watch-mailbox", key=mailbox, limit=limit, period=period):
        return
    with transaction.atomic():
        watch = RecruiterWatch.objects.filter(recruiter=recruiter, email__iexact=email).first()
        if watch is None:
            try:
                with transaction.atomic():
                    watch = RecruiterWatch.objects.create(
                        recruiter=recruiter, email=email, language=language
                    )
            except IntegrityError:  # the same address sent at the same moment
                watch = RecruiterWatch.objects.get(recruiter=recruiter, email__iexact=email)
        if watch.confirmed_at is None and watch.language != language:
            watch.language = language
            watch.save(update_fields=["language"])
        outbox_enqueue(
            to=watch.email,
            template="iris-watch-confirm",
            context={"watch": watch, "recruiter": recruiter, **_links(watch.token)},
            language=watch.language,
        )


def watch_confirm(*, token: str) -> RecruiterWatch | None:
    """Confirm a watch from the link emailed to its address (None for an unknown link)."""
    watch = RecruiterWatch.objects.select_related("recruiter").filter(token=token).first()
    if watch is not None and watch.confirmed_at is None:
        watch.confirmed_at = timezone.now()
        watch.save(update_fields=["confirmed_at"])
    return watch


def watch_stop(*, token: str) -> Recruiter | None:
    """Stop a watch at once (one click, no further step): its address goes with it."""
    watch = RecruiterWatch.objects.select_related("recruiter").filter(token=token).first()
    if watch is None:
        return None
    watch.delete()
    return watch.recruiter


def watches_stop_all(*, token: str) -> int:
    """Stop every watch of the address the link was sent to; returns how many stopped."""
    watch = RecruiterWatch.objects.filter(token=token).first()
    if watch is None:
        return 0
    deleted, _ = RecruiterWatch.objects.filter(email__iexact=watch.email).delete()
    return deleted


def watches_delete_unconfirmed(*, dry_run: bool = False) -> list[str]:
    """Delete watches never confirmed within IRIS_WATCH_UNCONFIRMED_DAYS, with their address."""
    cutoff = timezone.now() - timedelta(days=settings.IRIS_WATCH_UNCONFIRMED_DAYS)
    due = RecruiterWatch.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    # Through the same path as every retention act: each deletion is in the access log.
    refs = delete_each(
        due.order_by("pk"),
        key="pk",
        object_type="iris.watch",
        detail=f"unconfirmed for {settings.IRIS_WATCH_UNCONFIRMED_DAYS} days",
        dry_run=dry_run,
    )
    return [f"watch #{ref}" for ref in refs]


# ---------------------------------------------------------------------------
# Alerts
# ---------------------------------------------------------------------------
def watchers_notify(*, recruiter: Recruiter, change: str) -> None:
    """Tell the recruiter's watchers of a change once the transaction making it commits: the
    officer's request only queues one task."""
    assert change in CHANGES, change
    notice = uuid.uuid4().hex
    transaction.on_commit(lambda: _notice_queue(recruiter.pk, change, notice))


def _notice_queue(recruiter_id: int, change: str, notice: str) -> None:
    try:
        alert_watchers.delay(recruiter_id, change, notice)
    except Exception as exc:  # noqa: BLE001 - broker down: write the alerts now, never lose them
        logger.warning("watch alerts written in the request: broker unavailable (%r)", exc)
        watchers_alert(recruiter_id=recruiter_id, change=change, notice=notice)


def watchers_alert(*, recruiter_id: int, change: str, notice: str) -> int:
    """Write one alert per confirmed watcher to the outbox, in the watcher's language, in one
    bulk insert; a watcher already sent this `notice` is skipped. Returns how many were written."""
    recruiter = Recruiter.objects.filter(pk=recruiter_id).first()
    if recruiter is None:  # deleted since, and its watches with it
        return 0
    with transaction.atomic():
        watches = list(
            RecruiterWatch.objects.select_for_update()
            .filter(recruiter=recruiter, confirmed_at__isnull=False)
            .exclude(last_notice=notice)
            .only("pk", "email", "language", "token")
        )
        # Rendered once per language, with a slot for each watcher's own links.
        rendered = {}
        for language in {watch.language for watch in watches}:
            rendered[language] = outbox_render(
                to="",
                template="iris-watch-alert",
                context={"recruiter": recruiter, "change": change, **_links(_LINK_SLOT)},
                language=language,
            )
        messages = []
        for watch in watches:
            model = rendered[watch.language]
            message = OutboxMessage(
                to=watch.email,
                subject=model.subject,
                body_text=model.body_text.replace(_LINK_SLOT, watch.token),
                body_html=model.body_html.replace(_LINK_SLOT, watch.token),
                template=model.template,
                headers=_unsubscribe_headers(watch.token),
            )
            messages.append(message)
        outbox_enqueue_many(messages)
        ids = [watch.pk for watch in watches]
        for start in range(0, len(ids), 500):
            RecruiterWatch.objects.filter(pk__in=ids[start : start + 500]).update(
                last_notice=notice
            )
    return len(messages)


def _unsubscribe_headers(token: str) -> dict[str, str]:
    # RFC 8058: a mail client may POST to this address, with no further step.
    return {
        "List-Unsubscribe": f"<{_links(token)['stop_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@shared_task(name="iris.tasks.alert_watchers", acks_late=True, reject_on_worker_lost=True)
def alert_watchers(recruiter_id: int, change: str, notice: str) -> int:
    return watchers_alert(recruiter_id=recruiter_id, change=change, notice=notice)
