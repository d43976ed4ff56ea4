"""Scenario 4, mail fan-out: 10,000 reminders via the outbox, one Celery worker, an SMTP sink.

Run twice: one message a task (`OUTBOX_BATCH_SIZE=1`, as the portal delivered before batching),
then as the portal delivers now; the rate is the worker's, from ready to the last message. A third
row: one suspension alerting 10,000 people who watch the recruiter (issue 20)."""

import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser

from .server import RESULTS, ROOT

MESSAGES = int(os.environ.get("BENCH_MAIL_MESSAGES", "10000"))
# One message a task is slow: its rate needs fewer messages to be measured.
BEFORE_MESSAGES = int(os.environ.get("BENCH_MAIL_BEFORE_MESSAGES", str(min(MESSAGES, 2000))))
TARGET_SPEEDUP = 5.0
BATCH = 500  # reminders written per transaction, as a reminder job would
DRAIN_TIMEOUT = 300  # seconds


def _sink_main(port, received, distinct, ready, stop, pipe) -> None:
    """The SMTP sink's own process (so it never competes with the writer for the GIL)."""
    from aiosmtpd.controller import Controller

    lock = threading.Lock()
    outbox_ids: Counter[str] = Counter()
    message_ids: Counter[str] = Counter()
    stats = {"connections": 0, "first_at": None, "last_at": None}
    parser = BytesHeaderParser()

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            with lock:
                stats["connections"] += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            headers = parser.parsebytes(envelope.original_content or envelope.content)
            now = time.time()
            with lock:
                outbox_id = headers.get("X-Outbox-Id", "")
                if outbox_id not in outbox_ids:
                    distinct.value += 1
                outbox_ids[outbox_id] += 1
                message_ids[headers.get("Message-ID", "")] += 1
                received.value += 1
                stats["first_at"] = stats["first_at"] or now
                stats["last_at"] = now
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    with lock:
        pipe.send({"outbox_ids": dict(outbox_ids), "message_ids": dict(message_ids), **stats})
    pipe.close()


class SmtpSink:
    """aiosmtpd on loopback in a child process: counts messages, Message-IDs and X-Outbox-Ids."""

    def __init__(self, port: int):
        mp = multiprocessing.get_context("spawn")
        self.received = mp.Value("i", 0)
        self.distinct = mp.Value("i", 0)
        self.ready, self.stop = mp.Event(), mp.Event()
        self.pipe, child_pipe = mp.Pipe(duplex=False)
        self.process = mp.Process(
            target=_sink_main,
            args=(port, self.received, self.distinct, self.ready, self.stop, child_pipe),
            daemon=True,
        )

    def __enter__(self):
        self.process.start()
        if not self.ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def results(self) -> dict:
        """Stop the sink and return what it received."""
        self.stop.set()
        results = self.pipe.recv() if self.pipe.poll(30) else {}
        self.process.join(10)
        return results

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


def _start_worker(env: dict[str, str], smtp_port: int) -> tuple[subprocess.Popen, object]:
    log_path = RESULTS / "celery-worker.log"
    log = log_path.open("wb")
    worker_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "iomuk",
            "worker",
            "--loglevel=INFO",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if b"ready." in log_path.read_bytes():
            return process, log_path
        if process.poll() is not None:
            break
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"the Celery worker did not start; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _flush_queue(redis_url: str) -> None:
    """Empty the bench's own Redis database: no task from an earlier scenario mixes in."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def _enqueue(count: int) -> list[int]:
    from django.db import transaction

    from iomuk.outbox import outbox_enqueue

    ids: list[int] = []
    for start in range(0, count, BATCH):
        with transaction.atomic():
            for n in range(start, min(start + BATCH, count)):
                message = outbox_enqueue(
                    to=f"attendee{n}@bench.example",
                    template="bench-reminder",
                    context={
                        "title": "Spotting the signs of modern slavery",
                        "starts": "Thursday 26 November 2026, 10:00",
                        "token": f"bench-{n:06d}-token",
                    },
                )
                ids.append(message.pk)
    return ids


def _enqueue_watch_alerts(count: int, figures: dict) -> list[int]:
    """One recruiter with `count` confirmed watchers is suspended, as an officer does: the
    suspension is timed (it queues one task), then that task's work writes the alerts (their
    delivery tasks wait in the queue, as the reminders' do)."""
    from unittest import mock

    from django.utils import timezone

    from iomuk.models import OutboxMessage
    from iris.models import AccreditationState, Recruiter, RecruiterWatch
    from iris.recruiters import services, watch

    recruiter = Recruiter.objects.filter(
        state=AccreditationState.ACCREDITED, valid_until__gte=timezone.localdate()
    ).first()
    # Only this run's alerts: a kept database (BENCH_KEEP_DB=1) still holds an earlier run's.
    written_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    RecruiterWatch.objects.bulk_create(
        (
            RecruiterWatch(
                recruiter=recruiter,
                email=f"watcher{n}@bench.example",
                language=("en-gb", "ro", "bg", "cs", "hu")[n % 5],
                confirmed_at=timezone.now(),
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    with mock.patch.object(watch.alert_watchers, "delay") as queued:
        started = time.monotonic()
        services.recruiter_suspend(recruiter=recruiter, reason="Complaints under review.")
        figures["suspend_ms"] = round((time.monotonic() - started) * 1000, 1)
    (call,) = queued.call_args_list
    started = time.monotonic()
    watch.alert_watchers(*call.args)
    figures["alerts_written_s"] = round(time.monotonic() - started, 2)
    alerts = OutboxMessage.objects.filter(template="iris-watch-alert", pk__gt=written_before or 0)
    return list(alerts.values_list("pk", flat=True))


def task_times_ms(log_path) -> list[float]:
    """How long each delivery task took, from the worker's own log lines."""
    times = []
    for line in log_path.read_text(errors="replace").splitlines():
        match = re.search(r"succeeded in ([0-9.]+)s", line)
        if match:
            times.append(float(match.group(1)) * 1000)
    return sorted(times)


def run(ctx) -> list[dict]:
    """The fan-out as the portal was (one message a task, each on its own connection), then
    as it is (`OUTBOX_BATCH_SIZE` messages a task over one connection); judged on the second:
    none lost, none twice, and at least TARGET_SPEEDUP times the first's rate."""
    from django.test.utils import override_settings

    with override_settings(OUTBOX_BATCH_SIZE=1):
        before = fan_out(ctx, BEFORE_MESSAGES, "one message a task (as before batching)")
    after = fan_out(ctx, MESSAGES, "in batches over one connection")
    watch_figures: dict = {}
    alerts = fan_out(
        ctx,
        MESSAGES,
        "alerts to the watchers of one suspended recruiter",
        enqueue=lambda count: _enqueue_watch_alerts(count, watch_figures),
    )
    alerts["name"] = f"watch alerts, one suspension to {MESSAGES:,} watchers, 1 worker"
    alerts["note"] = (
        f"the officer's suspension took {watch_figures.get('suspend_ms')} ms (it queues one "
        f"task); the task wrote the alerts in {watch_figures.get('alerts_written_s')} s; "
        + alerts["note"]
    )
    alerts["figures"].update(watch_figures)
    before_rate = before["figures"]["messages_per_s"]
    after_rate = after["figures"]["messages_per_s"]
    speedup = after_rate / before_rate if before_rate else 0.0
    after["target"] = f"none lost, none twice; >= {TARGET_SPEEDUP:g}x the rate before"
    after["note"] += f"; x{speedup:.1f} the rate one message a task"
    after["figures"]["speedup"] = round(speedup, 1)
    if after["result"] == "PASS" and speedup < TARGET_SPEEDUP:
        after["result"] = "MISS"
    before["result"] = "reported" if before["result"] == "PASS" else before["result"]
    return [before, after, alerts]


def fan_out(ctx, messages: int, how: str, enqueue=_enqueue) -> dict:
    """Write the reminders (their tasks wait in the queue), then start one worker and time it
    from ready until the sink holds every one: the delivery rate, not the writer's."""
    from iomuk.models import OutboxMessage

    base = {"scenario": "4", "target": "none lost, none twice"}
    _flush_queue(ctx.env["REDIS_URL"])
    with SmtpSink(ctx.smtp_port) as sink:
        started = time.monotonic()
        ids = enqueue(messages)
        enqueued_s = time.monotonic() - started
        worker, log_path = _start_worker(ctx.env, ctx.smtp_port)
        try:
            started = time.monotonic()
            deadline = started + DRAIN_TIMEOUT
            while sink.distinct.value < len(ids) and time.monotonic() < deadline:
                time.sleep(0.1)
            drained_s = time.monotonic() - started
            time.sleep(2)  # anything sent twice would arrive now
        finally:
            _stop(worker)
        received = sink.results()
    wanted = {str(pk) for pk in ids}
    outbox_ids = received.get("outbox_ids", {})
    got = Counter({k: v for k, v in outbox_ids.items() if k in wanted})
    stray = sum(v for k, v in outbox_ids.items() if k not in wanted)
    twice_mid = sum(1 for v in received.get("message_ids", {}).values() if v > 1)
    first, last = received.get("first_at"), received.get("last_at")
    connections = received.get("connections", 0)
    undelivered = wanted - got.keys()
    twice = sum(1 for v in got.values() if v > 1)
    states = Counter(OutboxMessage.objects.filter(pk__in=ids).values_list("state", flat=True))
    # Lost: marked sent (or given up on) yet never received. Still pending is only late.
    waiting = OutboxMessage.objects.filter(
        pk__in=[int(pk) for pk in undelivered], state=OutboxMessage.State.PENDING
    ).count()
    lost = len(undelivered) - waiting
    timed_out = waiting > 0
    rate = len(got) / drained_s if drained_s else 0.0
    steady = (len(got) - 1) / (last - first) if first and last and last > first else 0.0
    tasks = task_times_ms(log_path)
    task_median = statistics.median(tasks) if tasks else 0.0
    ok = not undelivered and not twice and not twice_mid and states.get("sent", 0) == len(ids)
    note = (
        f"{len(ids):,} written in {enqueued_s:.1f} s; delivered {len(got):,} "
        f"in {drained_s:.1f} s ({rate:.0f}/s, steady {steady:.0f}/s); lost {lost}, "
        f"twice {twice} (Message-ID repeats {twice_mid}); SMTP connections {connections:,}; "
        f"{len(tasks):,} tasks, median {task_median:.0f} ms each; "
        f"outbox states {dict(states)}"
        + (
            f"; stopped waiting after {DRAIN_TIMEOUT} s with {waiting:,} still pending (late, "
            "not lost: a slower machine needs longer)"
            if timed_out
            else ""
        )
        + (f"; {stray} other messages" if stray else "")
    )
    return {
        **base,
        "name": f"mail fan-out, {messages:,} reminders, 1 worker, {how}",
        "result": "PASS" if ok else "MISS",
        "note": note,
        "figures": {
            "messages": len(ids),
            "enqueue_s": round(enqueued_s, 2),
            "drain_s": round(drained_s, 2),
            "messages_per_s": round(rate, 1),
            "steady_messages_per_s": round(steady, 1),
            "delivered": len(got),
            "lost": lost,
            "sent_twice": twice,
            "message_id_repeats": twice_mid,
            "smtp_connections": connections,
            "tasks": len(tasks),
            "task_median_ms": round(task_median, 1),
            "outbox_states": dict(states),
            "worker_log": str(log_path.relative_to(ROOT)),
        },
    }
