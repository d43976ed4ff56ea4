"""Load from wrk (Debian's package), bounded in time and aimed at loopback only."""

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
CONNECTIONS = 20  # "20 sessions of load"
DURATION = int(os.environ.get("BENCH_SECONDS", "6"))  # seconds per measured run
SOLO_DURATION = max(2, DURATION // 2)  # at one connection: latency settles sooner
WARMUP = 1  # second of unmeasured load before each run


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
    """Run wrk over `paths`, each request with `headers`; its figures in milliseconds.

    The warm-up takes the first paths and the measured run the ones after, so a list of
    distinct searches is never repeated while it lasts; `repeats` counts the requests that
    had to reuse a path (the list ran out)."""
    assert base_url.startswith("http://127.0.0.1:"), "load is aimed at loopback only"
    threads = min(2, connections)

    def one(seconds: int, share: list[str]) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
            listing.write("\n".join(share or ["/"]) + "\n")
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={WRK_SCRIPT}",
            *(f"--header={header}" for header in headers),
            base_url,
            "--",
            str(threads),
            listing.name,
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=seconds + 30, check=False
            )
        finally:
            Path(listing.name).unlink()
        for line in done.stdout.splitlines():
            if line.startswith("BENCH_JSON "):
                return json.loads(line.removeprefix("BENCH_JSON "))
        raise LoadError(f"wrk gave no figures: {done.stderr.strip() or done.stdout.strip()}")

    rest = paths
    if warmup:
        warm = one(warmup, rest)
        used = min(len(rest), warm["furthest"] * threads)
        if used < len(rest):  # a list of one page (or a few) is simply cycled again
            rest = rest[used:]
    raw = one(duration, rest)
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
        "repeats": raw["repeats"],
        "distinct_paths": len(rest),
        "connections": connections,
        "duration_s": round(seconds, 2),
    }


def measure_twice(base_url: str, paths: list[str], *, headers: tuple[str, ...] = ()) -> dict:
    """One connection (latency with no queueing: p50, p95), then CONNECTIONS connections
    (throughput). Distinct paths are split between the two, so neither repeats the other's."""
    half = len(paths) // 3  # one connection makes fewer requests than twenty
    alone_paths, busy_paths = (paths[:half], paths[half:]) if half > 50 else (paths, paths)
    alone = wrk(base_url, alone_paths, connections=1, duration=SOLO_DURATION, headers=headers)
    busy = wrk(base_url, busy_paths, headers=headers)
    return {
        "p50_ms": alone["median_ms"],
        "p95_ms": alone["p95_ms"],
        "rps": busy["rps"],
        "busy_p95_ms": busy["p95_ms"],
        "errors": alone["errors"] + busy["errors"],
        "repeats": alone["repeats"] + busy["repeats"],
        "requests": alone["requests"] + busy["requests"],
        "alone": alone,
        "busy": busy,
    }
