"""An officer's one change fans out to 10,000 watchers: the request queues one task and writes
no mail; the task writes one alert per watcher in a bulk insert, none lost and none twice."""

import time
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from iomuk.models import OutboxMessage
from iris import watch
from iris.models import RecruiterWatch

from .factories import RecruiterFactory

WATCHERS = 10_000


def test_one_suspension_alerts_ten_thousand_watchers_once_each(
    officer_client, db, django_capture_on_commit_callbacks, capsys
):
    recruiter = RecruiterFactory()
    now = timezone.now()
    RecruiterWatch.objects.bulk_create(
        RecruiterWatch(
            recruiter=recruiter,
            email=f"watcher{n}@example.org",
            language=("en-gb", "ro", "bg", "cs", "hu")[n % 5],
            confirmed_at=now,
        )
        for n in range(WATCHERS)
    )
    url = reverse("admin:iris_recruiter_suspend", args=[recruiter.pk])

    with mock.patch.object(watch.alert_watchers, "delay") as queued:
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = officer_client.post(url)
        request_seconds = time.perf_counter() - started
    assert response.status_code == 302
    (call,) = queued.call_args_list  # one task for the whole fan-out
    assert not OutboxMessage.objects.exists()  # the officer waited for no mail

    with mock.patch("iomuk.outbox.deliver_outbox_batch.delay") as delivered:
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            assert watch.alert_watchers(*call.args) == WATCHERS
        task_seconds = time.perf_counter() - started
        # Run again (a retry, a worker lost before its ack): nothing is written twice.
        with django_capture_on_commit_callbacks(execute=True):
            assert watch.alert_watchers(*call.args) == 0

    alerts = list(OutboxMessage.objects.filter(template="iris-watch-alert"))
    assert len(alerts) == WATCHERS
    assert len({alert.to for alert in alerts}) == WATCHERS
    handed_on = [pk for c in delivered.call_args_list for pk in c.args[0]]
    assert sorted(handed_on) == sorted(alert.pk for alert in alerts)
    tokens = {alert.headers["List-Unsubscribe"] for alert in alerts}
    assert len(tokens) == WATCHERS  # each watcher's own stop link
    with capsys.disabled():
        print(
            f"\nfan-out to {WATCHERS}: officer's request {request_seconds * 1000:.0f} ms, "
            f"task {task_seconds:.1f} s"
        )
