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
from .load import DURATION, SOLO_DURATION, WARMUP
from .server import RESULTS, ROOT, Gunicorn, worker_count


@dataclass
class Context:
    base_url: str
    env: dict[str, str]
    smtp_port: int
    floor: dict | None = None
    liveness_url: str = ""
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
    "6": "open API",
    "7": "contact check at scale",
}


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


def _times(ratio) -> str:
    return "" if ratio is None else f"{ratio:.2f}x"


def _share(ratio) -> str:
    """A throughput ratio as a share of the floor's: 0.125 → 1/8.0."""
    return "" if not ratio else f"1/{1 / ratio:.1f}"


HEADERS = [
    "#",
    "scenario",
    "p50 ms, 1 conn",
    "p95 ms, 1 conn",
    "p50 / floor",
    "req/s, 20 conn",
    "req/s / floor",
    "target",
    "result",
]


def cells(row: dict) -> list[str]:
    return [
        str(row["scenario"]),
        row["name"],
        _ms(row.get("p50_ms")),
        _ms(row.get("p95_ms")),
        _times(row.get("p50_ratio")),
        "" if row.get("rps") is None else f"{row['rps']:.0f}",
        _share(row.get("rps_ratio")),
        row.get("target", ""),
        row.get("result", ""),
    ]


def print_table(rows: list[dict]) -> None:
    lines = [cells(row) for row in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(HEADERS, *lines, strict=False)]
    widths[1] = min(widths[1], 46)
    widths[7] = min(widths[7], 34)

    def fmt(values):
        out = []
        for i, (cell, width) in enumerate(zip(values, widths, strict=True)):
            text = str(cell)
            if len(text) > width:
                text = text[: width - 1] + "…"
            out.append(text.rjust(width) if 2 <= i <= 6 else text.ljust(width))
        return " | ".join(out)

    print()
    print(fmt(HEADERS))
    print("-+-".join("-" * w for w in widths))
    for row, values in zip(rows, lines, strict=True):
        print(fmt(values))
        if row.get("note"):
            print(" " * (widths[0] + 3) + "  " + row["note"])
    print()


def markdown(report: dict) -> str:
    """The table as the README quotes it, with the date, machine and commit, and the rows that
    fall short."""
    m = report["machine"]
    lines = [
        f"{report['date']}, `{report['command']}` at commit `{report['commit']}`; "
        f"{m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gb', '?')} GB, "
        f"{m.get('postgresql', '')}, gunicorn {m.get('gunicorn_workers')} sync workers; "
        f"load average {report['load'][0]:.1f} at the start, {report['load'][1]:.1f} at the end "
        f"({report['scenario_seconds']} s of scenarios).",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "| " + " | ".join(["---"] * 2 + ["---:"] * 5 + ["---"] * 2) + " |",
    ]
    for row in report["rows"]:
        values = [v.replace("|", "/") for v in cells(row)]
        if row.get("note"):
            values[1] += f" ({row['note'].replace('|', '/')})"
        lines.append("| " + " | ".join(values) + " |")
    short = [f"{r['scenario']} {r['name']}" for r in report["rows"] if r.get("result") == "MISS"]
    lines += ["", "Falls short: " + ("; ".join(short) if short else "none") + "."]
    return "\n".join(lines) + "\n"


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (done.stdout.strip() or "unknown") + ("+changes" if dirty else "")


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
    load_at_start = os.getloadavg()[0]
    # The portal has no page cache: every page the load asks for is drawn for it.
    server_env = dict(os.environ)
    # In-process work (data, query counts, the outbox) uses the bench overlay of the settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

    from . import api, booking, contacts, growth, mail, pages, roster

    ctx = Context(base_url=f"http://127.0.0.1:{port}", env=server_env, smtp_port=smtp_port)
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {}

    # Growth first: it builds the data up to 100× (which the served scenarios then run on).
    rows["5"] = guarded("5", growth.run, ctx)

    server = Gunicorn(
        port, server_env, liveness_port=int(os.environ.get("BENCH_LIVE_PORT", "8203"))
    )
    ctx.liveness_url = server.liveness_url
    print(f"-- serving the portal with gunicorn ({worker_count()} workers) on {ctx.base_url}")
    server.start()
    try:
        rows["0"] = guarded("0", pages.floor, ctx)
        rows["2"] = guarded("2", pages.run, ctx)
        rows["1"] = guarded("1", roster.run, ctx)
        rows["6"] = guarded("6", api.run, ctx)
        rows["7"] = guarded("7", contacts.run, ctx)
        rows["3"] = guarded("3", booking.run, ctx)
        rows["0"].extend(guarded("0", pages.liveness_under_load, ctx))
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
        "commit": commit(),
        "machine": machine(),
        "load": [load_at_start, os.getloadavg()[0]],
        "generator": {
            "tool": "wrk",
            "connections": [1, 20],
            "duration_s": [SOLO_DURATION, DURATION],
            "warmup_s": WARMUP,
        },
        "floor": ctx.floor,
        "rows": ordered,
        "scenario_seconds": round(elapsed),
    }
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / "bench.svg").write_text(chart.svg(report))
    (RESULTS / "bench.md").write_text(markdown(report))
    print(markdown(report))
    print(
        f"Results: {(RESULTS / 'bench.json').relative_to(ROOT)}, "
        f"{(RESULTS / 'bench.svg').relative_to(ROOT)} ({elapsed:.0f} s of scenarios)"
    )
    return 0
