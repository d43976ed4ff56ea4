"""An officer's one change fans out to every watcher: the request queues one task and writes
no mail; the task writes one alert per watcher, in each watcher's language, none lost and none
twice, handed on for delivery once each across several batches.

Asserted here at a small size; the 10,000-watcher run, with its times, is the benchmark's
"watch alerts" row (bench/mail.py, `make bench`)."""

from unittest import mock

from django.urls import reverse
from django.utils import timezone

from iomuk.models import OutboxMessage
from iris.models import RecruiterWatch
from iris.recruiters import watch

from .factories import RecruiterFactory

WATCHERS = 25
LANGUAGES = ("en-gb", "ro", "bg", "cs", "hu")


def test_one_suspension_alerts_every_watcher_once_none_lost_none_twice(
    officer_client, db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BATCH_SIZE = 10  # three delivery batches for 25 alerts
    recruiter = RecruiterFactory()
    now = timezone.now()
    RecruiterWatch.objects.bulk_create(
        RecruiterWatch(
            recruiter=recruiter,
            email=f"watcher{n}@example.org",
            language=LANGUAGES[n % 5],
            confirmed_at=now,
        )
        for n in range(WATCHERS)
    )
    RecruiterWatch.objects.create(recruiter=recruiter, email="unconfirmed@example.org")
    url = reverse("iris-recruiters:decide", args=[recruiter.slug, "suspend"])

    with (
        mock.patch.object(watch.alert_watchers, "delay") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = officer_client.post(url, {"suspend-text": "Passports kept: under review."})
    assert response.status_code == 302
    (call,) = queued.call_args_list  # one task for the whole fan-out
    assert not OutboxMessage.objects.exists()  # the officer waited for no mail

    with mock.patch("iomuk.outbox.deliver_outbox_batch.delay") as delivered:
        with django_capture_on_commit_callbacks(execute=True):
            assert watch.alert_watchers(*call.args) == WATCHERS
        # Run again (a retry, a worker lost before its ack): nothing is written twice.
        with django_capture_on_commit_callbacks(execute=True):
            assert watch.alert_watchers(*call.args) == 0

    alerts = list(OutboxMessage.objects.filter(template="iris-watch-alert"))
    assert sorted(alert.to for alert in alerts) == sorted(
        f"watcher{n}@example.org" for n in range(WATCHERS)
    )
    handed_on = [pk for c in delivered.call_args_list for pk in c.args[0]]
    assert len(delivered.call_args_list) == 3
    assert sorted(handed_on) == sorted(alert.pk for alert in alerts)  # none lost, none twice
    tokens = {alert.headers["List-Unsubscribe"] for alert in alerts}
    assert len(tokens) == WATCHERS  # each watcher's own stop link
    assert len({alert.subject for alert in alerts}) == len(LANGUAGES)  # each in its language
