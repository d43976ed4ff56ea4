"""The fault drill: the portal's parts fail under it, and what people see and what is kept is
counted. It starts its own PostgreSQL cluster (pg_createcluster, on a port of its own) and its
own redis-server, so that it may restart them; two gunicorn processes, two Celery workers, one
beat and an SMTP server run on them.

- A booking rush across a PostgreSQL restart: never oversold, every success page backed by a
  row, every failure a 503 that the person can send again once the database is back.
- A mail fan-out across a worker killed with SIGKILL, a Redis restart (it comes back empty) and
  an SMTP outage: none lost, and any message sent twice carries the same Message-ID.

Each prints its figures (the README's "Scaling out" quotes them). Needs root (pg_createcluster,
as .ci/run runs) and Debian's postgresql-common; skipped with its reason otherwise.
"""

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import RedisServer, SmtpSink, free_port, wait_for
from tests.topology.test_behind_nginx import (
    Visitor,
    _listening,
    _manage,
    _sql,
    _start,
    _stop,
)

pytestmark = pytest.mark.topology

ROOT = Path(__file__).resolve().parent.parent.parent
PG_LIB = Path("/usr/lib/postgresql")
RUSH_SESSION = "drill-rush"
CAPACITY = 30
RUSH = 120
FAN_OUT = 600

SEED = f"""
from tests.training.factories import SessionFactory
SessionFactory(slug={RUSH_SESSION!r}, capacity={CAPACITY})
"""

FAN_OUT_SCRIPT = f"""
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from iomuk.outbox import outbox_enqueue

templates = [dict(settings.TEMPLATES[0])]
templates[0]["DIRS"] = [*templates[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]
with override_settings(TEMPLATES=templates), transaction.atomic():
    for n in range({FAN_OUT}):
        outbox_enqueue(to=f"person{{n}}@drill.example", template="test-message",
                       context={{"name": f"Person {{n}}"}})
"""


def _skip_reason() -> str:
    if os.geteuid() != 0:
        return "needs root to make its own PostgreSQL cluster (.ci/run runs as root)"
    if not shutil.which("pg_createcluster") or not PG_LIB.is_dir():
        return "needs PostgreSQL with postgresql-common (apt-get install postgresql)"
    if not shutil.which("redis-server"):
        return "needs redis-server (apt-get install redis-server)"
    return ""


class Cluster:
    """A PostgreSQL cluster of the drill's own, made, restarted and removed by it."""

    def __init__(self):
        self.version = sorted(p.name for p in PG_LIB.iterdir() if p.name.isdigit())[-1]
        self.name = f"iomuk_drill_{os.getpid()}"
        self.port = free_port()
        self.url = f"postgres://drill:drill-password@127.0.0.1:{self.port}/iomuk_drill"

    def _run(self, *command):
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self):
        self._run("pg_createcluster", self.version, self.name, "--port", str(self.port), "--start")
        for sql in (
            "CREATE ROLE drill LOGIN SUPERUSER PASSWORD 'drill-password'",
            "CREATE DATABASE iomuk_drill OWNER drill",
        ):
            self._run("runuser", "-u", "postgres", "--", "psql", "-p", str(self.port), "-c", sql)

    def restart(self) -> float:
        started = time.monotonic()
        self._run("pg_ctlcluster", self.version, self.name, "restart")
        return time.monotonic() - started

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name], capture_output=True, timeout=120
        )


def _smtp_restart_after(sink: SmtpSink, seconds: float) -> None:
    """The mail server goes away (connections refused) for `seconds`, then comes back."""
    handler = sink.controller.handler
    sink.controller.stop()
    time.sleep(seconds)
    sink.controller = Controller(handler, hostname="127.0.0.1", port=sink.port)
    sink.controller.start()


@pytest.fixture(scope="session")  # built once: tests/conftest.py runs its tests together
def drill(tmp_path_factory):
    reason = _skip_reason()
    if reason:
        print(f"\nSKIPPED the fault drill: {reason}")
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("drill")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: every command at INFO
    cluster = Cluster()
    redis = RedisServer()
    smtp = SmtpSink()
    processes = []
    try:
        cluster.create()
        redis.start()
        smtp.__enter__()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
            "DJANGO_SETTINGS_MODULE": "iomuk.settings",
            "DEBUG": "false",
            "SECRET_KEY": "drill-secret-key-not-for-production-0123456789abcdef",
            "FIELD_ENCRYPTION_KEY": "drill-field-key-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": cluster.url,
            "DATABASE_RUNTIME_ROLE": "",
            "DATABASE_ASSUME_ROLE": "",
            "REDIS_URL": redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "HUMAN_CHECK_MIN_SECONDS": "0",
            "TRAINING_BOOKING_LIMIT": "10000",  # every visitor comes from 127.0.0.1 here
            "OUTBOX_REQUEUE_EVERY": "5",
            "OUTBOX_REQUEUE_AFTER": "5",
            "OUTBOX_LEASE": "20",  # a killed worker's claim comes back after 20 s
            "EMAIL_TIMEOUT": "5",
            "LOG_LEVEL": "WARNING",
        }
        _manage(env, "migrate", "--no-input", "--verbosity", "0")
        _manage(env, "shell", stdin_script=SEED)
        web_ports = [free_port(), free_port()]
        for n, port in enumerate(web_ports, start=1):
            command = [sys.executable, "-m", "gunicorn", "iomuk.wsgi", "--bind"]
            command += [f"127.0.0.1:{port}", "--workers", "2"]
            processes.append(_start(command, env, tmp / f"gunicorn-{n}.log"))
        workers = [_worker(env, tmp, n) for n in (1, 2)]
        processes += workers
        beat = [sys.executable, "-m", "celery", "-A", "iomuk", "beat", "--loglevel=INFO"]
        beat += ["-s", str(tmp / "beat-schedule")]
        processes.append(_start(beat, env, tmp / "beat.log"))
        for port in web_ports:
            wait_for(_listening(port), timeout=60, what=f"port {port} to listen")
        for n in (1, 2):
            log = tmp / f"worker-{n}.log"
            wait_for(lambda log=log: b"ready." in log.read_bytes(), timeout=60, what="a worker")
        yield SimpleNamespace(
            cluster=cluster,
            redis=redis,
            smtp=smtp,
            env=env,
            tmp=tmp,
            urls=[f"http://127.0.0.1:{port}" for port in web_ports],
            workers=workers,
            processes=processes,
        )
    finally:
        for process in reversed(processes):
            _stop(process)
        smtp.__exit__(None, None, None)
        redis.stop()
        cluster.drop()


def _worker(env, tmp, n) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "iomuk", "worker", "--pool=solo"]
    command += ["--loglevel=INFO", "--without-gossip", "--without-mingle"]
    command += ["-n", f"drill-{n}-{time.monotonic_ns()}@%h"]
    return _start(command, env, tmp / f"worker-{n}.log")


def _report(capsys, figures: str) -> None:
    """The drill's figures, shown in the run's output whether it passes or not."""
    with capsys.disabled():
        print(f"\n{figures}")


def _form(n: int) -> dict:
    return {
        "name": f"Drill Person {n}",
        "email": f"drill{n}@council.example",
        "organisation": "Camden Council",
        "sector": "social_work",
        "job_title": "Social worker",
        "requirements": "",
        "consent_contact": "on",
    }


def test_a_booking_rush_across_a_postgresql_restart(drill, capsys):
    path = f"/training/{RUSH_SESSION}/"
    visitors = []
    for n in range(RUSH):
        visitor = Visitor(SimpleNamespace(url=drill.urls[n % 2]), "127.0.0.1")
        form = visitor.open(path)
        assert form.status == 200
        fields = {"csrfmiddlewaretoken": form.hidden("csrfmiddlewaretoken"), **_form(n)}
        for name in ("form_started", "token"):
            if f'name="{name}"' in form.text:
                fields[name] = form.hidden(name)
        visitors.append((n, visitor, fields))

    statuses: dict[int, int] = {}
    answered_at: dict[int, float] = {}
    go = threading.Event()

    def book(n, visitor, fields):
        go.wait()
        statuses[n] = visitor.open(path, fields).status
        answered_at[n] = time.monotonic()

    threads = [threading.Thread(target=book, args=v) for v in visitors]
    for thread in threads:
        thread.start()
    go.set()
    time.sleep(0.2)  # the rush is under way
    restart_began = time.monotonic()
    restart_seconds = drill.cluster.restart()
    for thread in threads:
        thread.join(timeout=120)

    # (email addresses are stored encrypted: the rows are counted, one per address at most)
    counts = dict(
        _sql(
            drill.env["DATABASE_URL"],
            "SELECT b.state, count(*) FROM training_booking b JOIN training_session s"
            " ON s.id = b.session_id WHERE s.slug = %s GROUP BY b.state",
            RUSH_SESSION,
        )
    )
    succeeded = [n for n, status in statuses.items() if status == 302]
    failed = [n for n, status in statuses.items() if status == 503]
    after = {n: answered_at[n] - restart_began for n in statuses}
    last_503 = max((after[n] for n in failed), default=0)
    back = min((after[n] for n in succeeded if after[n] > restart_seconds), default=None)
    _report(
        capsys,
        f"DRILL booking rush: {RUSH} bookings at once; PostgreSQL's restart began 0.2 s in and"
        f" took {restart_seconds:.2f} s; {len(succeeded)} success pages, {len(failed)} 503"
        f" pages (the last {last_503:.2f} s after the restart began), other statuses:"
        f" {sorted(s for s in statuses.values() if s not in (302, 503))}; first success page"
        f" after it: {back if back is None else f'{back:.2f} s'} after the restart began",
    )
    assert len(statuses) == RUSH
    assert set(statuses.values()) <= {302, 503}, statuses  # never the generic 500
    assert failed, "the restart missed the rush: nothing tested"
    assert sum(counts.values()) == len(succeeded)  # every success page has its row
    assert counts.get("confirmed", 0) <= CAPACITY

    # The people who saw the 503 send the form again, as it asks: all are taken now.
    again = [visitors[n][1].open(path, visitors[n][2]) for n in failed]
    assert all(page.status == 302 for page in again), [p.status for p in again]
    counts = dict(
        _sql(
            drill.env["DATABASE_URL"],
            "SELECT b.state, count(*) FROM training_booking b JOIN training_session s"
            " ON s.id = b.session_id WHERE s.slug = %s GROUP BY b.state",
            RUSH_SESSION,
        )
    )
    assert counts == {"confirmed": CAPACITY, "waiting": RUSH - CAPACITY}  # never oversold


def test_a_fan_out_across_a_worker_kill_a_redis_restart_and_an_smtp_outage(drill, capsys):
    smtp = drill.smtp
    before = len(smtp.messages)
    started = time.monotonic()
    _manage(drill.env, "shell", stdin_script=FAN_OUT_SCRIPT)

    def delivered() -> list[tuple[str, str]]:
        out = []
        for m in smtp.messages[before:]:
            if "@drill.example" in m:
                outbox_id = re.search(r"X-Outbox-Id: (\d+)", m).group(1)
                message_id = re.search(r"Message-ID: (<outbox-\d+\.[^>]+>)", m).group(1)
                out.append((outbox_id, message_id))
        return out

    def distinct() -> int:
        return len({outbox_id for outbox_id, _ in delivered()})

    wait_for(lambda: distinct() >= FAN_OUT // 6, timeout=60, what="the fan-out to start")
    victim = drill.workers[0]
    os.killpg(victim.pid, 9)  # kill -9, mid-fan-out
    victim.wait(timeout=10)
    replacement = _worker(drill.env, drill.tmp, 3)  # as a supervisor restarts it
    drill.processes.append(replacement)
    at_kill = distinct()

    wait_for(lambda: distinct() >= at_kill + FAN_OUT // 6, timeout=60, what="delivery to go on")
    drill.redis.stop()  # Redis goes away; it comes back empty, every queued task lost
    time.sleep(2)
    drill.redis.start()
    redis_back = time.monotonic()
    at_redis = distinct()
    wait_for(lambda: distinct() > at_redis, timeout=60, what="mail after Redis came back")
    redis_recovery = time.monotonic() - redis_back

    smtp_down_for = 3.0
    at_smtp = distinct()
    _smtp_restart_after(smtp, smtp_down_for)
    smtp_back = time.monotonic()
    while_down = distinct()
    if while_down < FAN_OUT:
        wait_for(lambda: distinct() > while_down, timeout=90, what="mail after SMTP came back")
    smtp_recovery = time.monotonic() - smtp_back

    wait_for(lambda: distinct() >= FAN_OUT, timeout=150, what="every message")
    total = time.monotonic() - started
    time.sleep(2)  # a copy sent twice would arrive now
    pairs = delivered()
    ids_by_row: dict[str, set[str]] = {}
    for outbox_id, message_id in pairs:
        ids_by_row.setdefault(outbox_id, set()).add(message_id)
    twice = len(pairs) - len(ids_by_row)
    _report(
        capsys,
        f"DRILL mail fan-out: {FAN_OUT} messages; a worker killed with SIGKILL at {at_kill},"
        f" Redis restarted empty at {at_redis} (mail again {redis_recovery:.2f} s after it was"
        f" back), SMTP down {smtp_down_for:.0f} s at {at_smtp} (mail again {smtp_recovery:.2f} s"
        f" after); {len(ids_by_row)} of {FAN_OUT} delivered, {twice} sent twice, all in"
        f" {total:.1f} s",
    )
    assert len(ids_by_row) == FAN_OUT  # none lost
    # A copy sent twice carries the same Message-ID, so mail programs fold it.
    assert all(len(ids) == 1 for ids in ids_by_row.values())
    pending = _sql(
        drill.env["DATABASE_URL"], "SELECT count(*) FROM iomuk_outboxmessage WHERE state <> 'sent'"
    )
    assert pending == [(0,)]
