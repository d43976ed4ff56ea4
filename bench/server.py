"""The portal served as in production: gunicorn, DEBUG off, on loopback."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def worker_count() -> int:
    """gunicorn's usual advice, 2 × cores + 1, capped for a small machine."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Gunicorn:
    def __init__(self, port: int, env: dict[str, str], liveness_port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # Liveness from the gunicorn master (gunicorn.conf.py), outside the request queue.
        self.liveness_url = f"http://127.0.0.1:{liveness_port}/healthz"
        self.env = {**env, "LIVENESS_BIND": f"127.0.0.1:{liveness_port}"}
        self.process: subprocess.Popen | None = None
        self.log_path = RESULTS / "gunicorn.log"

    def start(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "iomuk.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={worker_count()}",
                "--worker-class=sync",
                "--backlog=2048",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz?checks=none", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
