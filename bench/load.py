"""Load from wrk (Debian's package), bounded in time and aimed at loopback only."""

import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
CONNECTIONS = 20  # "20 sessions of load"
DURATION = 8  # seconds per measured run
WARMUP = 2  # seconds of unmeasured load before each run


@dataclass
class Fetched:
    status: int
    size: int
    body: bytes


class LoadError(Exception):
    pass


def fetch(base_url: str, path: str, timeout: float = 30) -> Fetched:
    """One GET with no redirect following: status, body size (bytes, uncompressed) and body."""
    assert base_url.startswith("http://127.0.0.1:"), "load is aimed at loopback only"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(base_url + path, timeout=timeout) as response:
            body = response.read()
            return Fetched(response.status, len(body), body)
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return Fetched(exc.code, len(body), body)


def wrk(
    base_url: str,
    paths: list[str],
    *,
    duration: int = DURATION,
    connections: int = CONNECTIONS,
    warmup: int = WARMUP,
    headers: tuple[str, ...] = (),
) -> dict:
    """Run wrk over `paths` (cycled), each request with `headers`; its figures in milliseconds."""
    assert base_url.startswith("http://127.0.0.1:"), "load is aimed at loopback only"

    def one(seconds: int) -> dict:
        command = [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={WRK_SCRIPT}",
            *(f"--header={header}" for header in headers),
            base_url,
            "--",
            *paths,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
        for line in done.stdout.splitlines():
            if line.startswith("BENCH_JSON "):
                return json.loads(line.removeprefix("BENCH_JSON "))
        raise LoadError(f"wrk gave no figures: {done.stderr.strip() or done.stdout.strip()}")

    if warmup:
        one(warmup)
    raw = one(duration)
    seconds = raw["duration_us"] / 1e6
    errors = sum(
        raw[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0,
        "median_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "status_errors": raw["status_errors"],
        "connections": connections,
        "duration_s": round(seconds, 2),
    }
