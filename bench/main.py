"""Run every scenario, print the table, write bench/results/bench.json and bench.svg.

Started by bench/run, which sets the production environment and makes the database. A scenario
whose pieces are missing says "not available: <why>" in its row; the run always completes.
"""

import json
import os
import platform
import subprocess
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import chart
from .server import RESULTS, ROOT, Gunicorn, worker_count


@dataclass
class Context:
    base_url: str
    env: dict[str, str]
    smtp_port: int
    floor: dict | None = None
    notes: list[str] = field(default_factory=list)


class NotAvailable(Exception):
    """A scenario's pieces are not (yet) in the portal: the row says why."""


SCENARIOS = {
    "0": "floor",
    "1": "roster search at scale",
    "2": "public pages",
    "3": "booking rush",
    "4": "mail fan-out",
    "5": "growth",
}


def ratio_to_floor(ctx: Context, p95_ms: float) -> float | None:
    if not ctx.floor or not ctx.floor.get("p95_ms"):
        return None
    return round(p95_ms / ctx.floor["p95_ms"], 2)


def guarded(number: str, fn, ctx: Context) -> list[dict]:
    """Run one scenario; a missing piece or a failure becomes a row, never a crash."""
    only = os.environ.get("BENCH_ONLY", "")  # e.g. BENCH_ONLY=0,4 while working on the bench
    if only and number not in only.split(","):
        return [
            {
                "scenario": number,
                "name": SCENARIOS[number],
                "result": "n/a",
                "note": "skipped (BENCH_ONLY)",
            }
        ]
    started = time.monotonic()
    print(f"-- scenario {number}: {SCENARIOS[number]}", flush=True)
    try:
        rows = fn(ctx)
    except NotAvailable as exc:
        rows = [
            {
                "scenario": number,
                "name": SCENARIOS[number],
                "result": "n/a",
                "note": f"not available: {exc}",
            }
        ]
    except Exception as exc:  # noqa: BLE001 - the run must complete and say what broke
        traceback.print_exc()
        rows = [
            {
                "scenario": number,
                "name": SCENARIOS[number],
                "result": "n/a",
                "note": f"not available: {type(exc).__name__}: {str(exc)[:200]}",
            }
        ]
    for row in rows:
        row.setdefault("scenario", number)
    print(f"   done in {time.monotonic() - started:.0f} s", flush=True)
    return rows


def _ms(value) -> str:
    return "" if value is None else f"{value:.1f}"


def print_table(rows: list[dict]) -> None:
    headers = ["#", "scenario", "median ms", "p95 ms", "p95/floor", "target", "result"]
    lines = []
    for row in rows:
        ratio = row.get("ratio")
        lines.append(
            [
                row["scenario"],
                row["name"],
                _ms(row.get("median_ms")),
                _ms(row.get("p95_ms")),
                "" if ratio is None else f"{ratio:.2f}x",
                row.get("target", ""),
                row.get("result", ""),
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *lines, strict=False)]
    widths[1] = min(widths[1], 46)
    widths[5] = min(widths[5], 34)

    def fmt(cells):
        out = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = str(cell)
            if len(text) > width:
                text = text[: width - 1] + "…"
            out.append(text.rjust(width) if i in (2, 3, 4) else text.ljust(width))
        return " | ".join(out)

    print()
    print(fmt(headers))
    print("-+-".join("-" * w for w in widths))
    for row, cells in zip(rows, lines, strict=True):
        print(fmt(cells))
        if row.get("note"):
            print(" " * (widths[0] + 3) + "  " + row["note"])
    print()


def machine() -> dict:
    info = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gunicorn_workers": worker_count(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        info["postgresql"] = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        info["wrk"] = subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()[0]
    except (OSError, IndexError):
        pass
    return info


def main() -> int:
    started = time.monotonic()
    port = int(os.environ.get("BENCH_PORT", "8201"))
    smtp_port = int(os.environ.get("BENCH_SMTP_PORT", "8202"))
    server_env = {**os.environ}
    # In-process work (data, query counts, the outbox) uses the bench overlay of the settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

    from . import booking, growth, mail, pages, roster

    ctx = Context(base_url=f"http://127.0.0.1:{port}", env=server_env, smtp_port=smtp_port)
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {}

    # Growth first: it builds the data up to 100× (which the served scenarios then run on).
    rows["5"] = guarded("5", growth.run, ctx)

    server = Gunicorn(port, server_env)
    print(f"-- serving the portal with gunicorn ({worker_count()} workers) on {ctx.base_url}")
    server.start()
    try:
        rows["0"] = guarded("0", pages.floor, ctx)
        rows["2"] = guarded("2", pages.run, ctx)
        rows["1"] = guarded("1", roster.run, ctx)
        rows["3"] = guarded("3", booking.run, ctx)
        again = guarded("0", pages.floor_again, ctx)
        rows["0"].extend(again)
    finally:
        server.stop()
    rows["4"] = guarded("4", mail.run, ctx)

    ordered = [row for key in sorted(rows) for row in rows[key]]
    print_table(ordered)
    elapsed = time.monotonic() - started
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "make bench",
        "machine": machine(),
        "load": {"generator": "wrk", "connections": 20, "duration_s": 8, "warmup_s": 2},
        "floor": ctx.floor,
        "rows": ordered,
        "scenario_seconds": round(elapsed),
    }
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / "bench.svg").write_text(chart.svg(report))
    print(
        f"Results: {(RESULTS / 'bench.json').relative_to(ROOT)}, "
        f"{(RESULTS / 'bench.svg').relative_to(ROOT)} ({elapsed:.0f} s of scenarios)"
    )
    return 0
