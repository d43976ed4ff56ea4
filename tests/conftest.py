import asyncio
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from iomuk.celery import app as celery_app
from iomuk.outbox import outbox_requeue
from iris.recruiters.choices import forget_here
from tests import database_reset

ROOT = Path(__file__).resolve().parent.parent


def pytest_itemcollected(item):
    _start_each_committing_test_from_the_migrated_database(item)


# The session fixtures that start a stack of real processes (tests/topology).
SHARED_STACKS = ("stack", "drill")


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled them
def pytest_collection_modifyitems(items):
    """The tests on a shared stack of real processes (nginx and gunicorn; the fault drill's
    cluster) run first, each stack's together. pytest-xdist hands each worker its first tests as
    one block, so one worker takes them all and builds each stack once (the fixtures last the
    session), and their waits for leases and restarts overlap the other worker's tests."""
    first = [item for item in items if set(SHARED_STACKS) & set(item.fixturenames)]
    first.sort(key=lambda item: [name in item.fixturenames for name in SHARED_STACKS])
    items[:] = first + [item for item in items if item not in first]


def _commits(item) -> bool:
    """As pytest-django decides: a test that commits (TransactionTestCase) empties the
    database after it."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    if marker and marker.args and marker.args[0]:
        return True
    names = item.fixturenames
    return any(n in names for n in ("transactional_db", "live_server", "django_db_reset_sequences"))


def _start_each_committing_test_from_the_migrated_database(item):
    """Every test that commits gets serialized rollback: it starts from the migrated data
    (roles, countries, content types) and leaves the database empty for the next such test.

    Mixing the two kinds breaks in some orders: a plain flush runs post_migrate, which makes
    the content types again under new ids, and the next serialized test's reload of the
    originals then clashes with them ("duplicate key ... django_content_type"); and a plain
    transactional test that comes after a serialized one finds no roles or countries at all.
    (Tests that roll back run before every committing test: pytest-django orders them so.)
    """
    if not _commits(item):
        return
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    if kwargs.get("serialized_rollback"):
        return
    kwargs.update(transaction=True, serialized_rollback=True)
    item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """Each pytest-xdist worker tests on a database of its own, as pytest-django's fixture of
    this name does; but that one knows SQLite only by Django's engine name, and ours
    (iomuk.db.sqlite3) would get a file name that cannot be opened. SQLite tests in memory,
    which is each process's own already."""
    from django.conf import settings as django_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    for database in django_settings.DATABASES.values():
        if database["ENGINE"].endswith(".sqlite3"):
            continue
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{worker}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The owner builds the test database; then every connection works as the runtime role.

    On PostgreSQL with DATABASE_RUNTIME_ROLE set (.ci/run sets it), each connection does SET
    ROLE, so every test proves that role's grants suffice. Only the flush between
    transactional tests steps back to the owner (iomuk/db/postgresql/base.py).
    """
    from django.conf import settings

    role = settings.DATABASE_RUNTIME_ROLE if connection.vendor == "postgresql" else ""
    if connection.vendor == "postgresql":
        database_reset.install()
    options = connection.settings_dict["OPTIONS"]
    if role:
        options["assume_role"] = role
        connection.close()
    yield
    if role:
        del options["assume_role"]  # the owner drops the test database
        connection.close()


# The test run hashes passwords with MD5: the production hasher (Django's default list, PBKDF2
# first) costs about 0.3 s a password by design, and half the suite's time went on it. Tests
# that need the real one ask for `production_password_hashers`.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashers():
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _a_cache_of_this_workers_own():
    """Under pytest-xdist each worker keeps its keys apart in the shared Redis: one worker's
    throttle counters and stored pages are no other's, nor an earlier run's (CI runs the suite
    twice on one Redis, and an hourly limit outlives a run)."""
    from django.conf import settings as django_settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield
        return
    run = os.environ["PYTEST_XDIST_TESTRUNUID"][:8]
    caches = {
        alias: {**config, "KEY_PREFIX": f"{config.get('KEY_PREFIX', '')}-{worker}-{run}"}
        for alias, config in django_settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        yield


# WhiteNoise reads every collected static file (about 1,000: a stat, headers, its compressed
# copy) each time its middleware is made, and Django's test client makes the whole middleware
# chain anew for each client: 0.1 s a client, a third of the suite's own time. The files do not
# change during a run, so each process reads a folder once for each set of the settings that
# shape what WhiteNoise serves from it, and every middleware made after serves the same entries.
@pytest.fixture(scope="session", autouse=True)
def _static_files_read_once_per_process():
    from django.conf import settings as django_settings
    from whitenoise.base import WhiteNoise

    read, folders_read = WhiteNoise.update_files_dictionary, {}

    def update_files_dictionary(self, root, prefix):
        names = {n for n in dir(django_settings) if n.startswith("WHITENOISE_")}
        names |= {"DEBUG", "STATIC_URL", "STATIC_ROOT", "FORCE_SCRIPT_NAME"}
        shaping = [(name, repr(getattr(django_settings, name))) for name in sorted(names)]
        shaping.append(repr(django_settings.STORAGES["staticfiles"]))
        key = (type(self), str(root), prefix, tuple(shaping))
        if key not in folders_read:
            kept, self.files = self.files, {}
            read(self, root, prefix)
            folders_read[key], self.files = self.files, kept
        self.files.update(folders_read[key])

    WhiteNoise.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoise.update_files_dictionary = read


# Each test's throttle clock (below) starts on a day of its own.
_throttle_days = itertools.count(1)


@pytest.fixture(autouse=True)
def _throttle_clock_starts_a_day_of_its_own(monkeypatch):
    """The per-address limits count in fixed windows (iomuk/throttle.py) that start again when
    the clock turns ten minutes, an hour. A test counting up to a limit could straddle a turn
    and see its count start again; and tests in one window, sharing Redis, would share counts.
    So each test's throttle clock runs at real speed from midnight of a day no other test of
    this process has, which every period divides. Tests of the clock itself set their own."""
    start, midnight = time.time(), 86400 * next(_throttle_days)
    monkeypatch.setattr("iomuk.throttle._now", lambda: midnight + (time.time() - start))


@pytest.fixture
def production_password_hashers(settings):
    """The hashers the portal runs with, for a test that proves them."""
    from django.conf import global_settings

    from iomuk import settings as project_settings

    settings.PASSWORD_HASHERS = getattr(
        project_settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS
    )
    return settings.PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a page an earlier test asked for in Romanian
    leaves Romanian active in this thread, and the services' messages follow it."""
    from django.conf import settings as django_settings
    from django.utils import translation

    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def as_database_owner(db):
    """For a test that does the owner's work (migrate, ANALYZE) rather than the portal's."""
    role = connection.settings_dict["OPTIONS"].get("assume_role")
    if role:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    yield
    if role:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login` stands for a full sign-in: password and a verified authenticator.

    The second factor itself is tested through the real forms in tests/iomuk/test_sign_in.py.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def private_cache(settings):
    """A cache of the test's own, empty: its throttle counters and stored pages reach no other
    test, and clearing it touches no shared Redis."""
    settings.CACHES = {
        **settings.CACHES,  # (the frame's fragments stay in this process)
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        },
    }


@pytest.fixture(autouse=True)
def _no_start_stamp_needed(settings):
    """Test clients post without opening the page first; tests of the bot check
    (tests/iomuk/test_human_check.py, tests/browser/test_quick_people.py) set it back."""
    settings.HUMAN_CHECK_REQUIRE_START_STAMP = False


@pytest.fixture(autouse=True)
def _no_kept_choice_lists():
    """Each test reads the country and sector lists of its own database.

    (They are kept per process by iris/recruiters/choices.py.)"""
    forget_here()


@receiver(setting_changed)
def _forget_frame_fragments(**kwargs):
    """base.html keeps its unchanging parts per process; a test that changes a setting (the
    static files' storage, a help line) sees them drawn again."""
    if "template_fragments" in caches.settings:  # (else the page keeps them in "default")
        caches["template_fragments"].clear()


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process unless a test asks for the live worker."""
    if "live_worker" in request.fixturenames:
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def sweep_until(done, *, timeout: float = 60, what: str):
    """Run the outbox's sweep, as beat would, until `done()`. Once Redis is back, the worker's
    own sweep on reconnecting may queue the waiting mail first, or the periodic one may: which
    comes first is a race, and either way each message must go once."""

    def swept():
        outbox_requeue(older_than=timedelta(0))
        return done()

    return wait_for(swept, timeout=timeout, interval=0.5, what=what)


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.refuse = False
        self.stall = False  # hold every conversation at RCPT TO while set
        self.stalled = False  # a conversation reached RCPT TO while stalling
        self.refused_recipients = set()  # addresses answered "550 no such mailbox"
        self.connections = 0  # conversations that reached RCPT TO
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if not getattr(session, "counted", False):
                    session.counted = True
                    sink.connections += 1
                if address in sink.refused_recipients:
                    return "550 No such mailbox"
                while sink.stall:
                    sink.stalled = True
                    await asyncio.sleep(0.05)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                if sink.refuse:
                    return "451 Mail server unavailable, try later"
                sink.messages.append(envelope.content.decode("utf-8", "replace"))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


class RedisServer:
    """A private redis-server on loopback that a test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, what="redis-server to start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def idle(self) -> bool:
        """No task waits in the default queue and none is taken but unacknowledged: every copy
        of every task queued so far has been worked."""
        client = redis.Redis.from_url(self.url)
        try:
            return client.llen("celery") == 0 and client.hlen("unacked") == 0
        finally:
            client.close()

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _require_real_parts():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the real parts: REDIS_URL is unset (.ci/run sets it)")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must share the test database")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server installed (apt-get install redis-server)")


def _use_broker(url: str) -> None:
    # Point this process's Celery publisher at `url`, dropping connections made to another.
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    celery_app._after_fork()  # forgets pooled connections, as Celery does in a forked child


def _database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


class LiveWorker:
    def __init__(self, redis: RedisServer, smtp: SmtpSink):
        self.redis, self.smtp = redis, smtp
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the worker
            prefix="celery-worker-", suffix=".log", delete=False
        )
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DATABASE_ASSUME_ROLE": connection.settings_dict["OPTIONS"].get("assume_role", ""),
            "REDIS_URL": self.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "iomuk",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: b"ready." in Path(self.log.name).read_bytes(),
            timeout=60,
            what="the Celery worker to be ready",
        )

    def kill(self):
        """SIGKILL, as when a machine dies: no chance to ack or clean up."""
        if self.process:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self):
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


@pytest.fixture
def live_redis():
    _require_real_parts()
    redis = RedisServer()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def live_worker(transactional_db, live_redis, smtp_sink):
    """A real `celery worker` process on a private Redis, delivering to a local SMTP sink."""
    previous = celery_app.conf.broker_url
    _use_broker(live_redis.url)
    worker = LiveWorker(live_redis, smtp_sink)
    worker.start()
    # A worker sweeps the outbox as it first connects: the test starts once that task is
    # worked and acknowledged. (Redis stopped mid-acknowledgement makes kombu's reconnection
    # fail, and the worker stop, as CI saw; a supervisor would restart it, the test has none.)
    wait_for(live_redis.idle, what="the worker's first sweep to be worked")
    yield worker
    worker.stop()
    _use_broker(previous)


@pytest.fixture
def test_email_templates(settings):
    """Adds tests/templates, which holds the `test-message` email, to the template folders."""
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], ROOT / "tests" / "templates"]
    settings.TEMPLATES = templates
