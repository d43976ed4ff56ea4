"""Liveness is answered outside the request queue: a probe gets its answer at once however busy
the web workers are, so an orchestrator with a 1 s probe timeout never restarts a busy but
healthy process (gunicorn.conf.py)."""

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for

pytestmark = pytest.mark.topology

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE_TIMEOUT = 1  # seconds: a common liveness probe setting


def _get(url: str, timeout: float = PROBE_TIMEOUT):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
        return response.status, response.read()


@pytest.fixture
def gunicorn(tmp_path):
    web, live = free_port(), free_port()
    env = {**os.environ, "LIVENESS_BIND": f"127.0.0.1:{live}", "DEBUG": "false"}
    # One sync worker, as each of production's is while it draws a page.
    command = [sys.executable, "-m", "gunicorn", "iomuk.wsgi", "--bind", f"127.0.0.1:{web}"]
    command += ["--workers", "1", "--worker-class", "sync", "--timeout", "30"]
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )

    def answers(port):
        try:
            return _get(f"http://127.0.0.1:{port}/healthz?checks=none", timeout=5)[0] == 200
        except OSError:
            return False

    try:
        wait_for(lambda: answers(web) and answers(live), timeout=60, what="gunicorn to answer")
        yield web, live
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_liveness_answers_at_once_while_every_worker_is_busy(gunicorn):
    web, live = gunicorn
    # A client that sends half a request holds the one worker, as a slow page would.
    with socket.create_connection(("127.0.0.1", web)) as busy:
        busy.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        # The probe in Django's request path waits behind it...
        with pytest.raises(OSError):  # (a timeout is an OSError)
            _get(f"http://127.0.0.1:{web}/healthz?checks=none")
        # ...the master's answers within the probe's timeout, with the workers it has.
        status, body = _get(f"http://127.0.0.1:{live}/healthz")
    assert status == 200
    assert body == b'{"status": "ok", "workers": 1}'


def test_the_liveness_address_answers_nothing_else(gunicorn):
    _, live = gunicorn
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(f"http://127.0.0.1:{live}/training/")
    assert refused.value.code == 404
