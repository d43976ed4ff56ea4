"""The floor (the cheapest answer the stack gives) and scenario 2, the public pages.

Every page is drawn for each request: the server runs with no page cache (bench/main.py), so
the figures are the portal's work, and the booking and complaint forms carry each visitor's
own CSRF token and stamps."""

import re
import statistics
import threading
import time
import urllib.request

from .load import fetch, measure_twice, wrk

FLOOR_PATH = "/healthz?checks=none"
PAGE_LIMIT_BYTES = 60_000  # "each page's HTML under 60 KB"
PAGE_TARGET_THROUGHPUT = 1 / 5  # of the floor's requests a second, at 20 connections
# Issue 30's targets for the pages that carry a form or rows (the home page keeps 1/5).
FORM_PAGE_TARGET_THROUGHPUT = 1 / 6
COMPLAINT_FORM_TARGET_THROUGHPUT = 1 / 8


def _target(throughput: float) -> str:
    return f"req/s >= 1/{1 / throughput:g} of floor, HTML < 60 KB"


def _floor_row(ctx, name: str) -> dict:
    figures = measure_twice(ctx.base_url, [FLOOR_PATH])
    if figures["errors"]:
        raise RuntimeError(f"the floor answered with {figures['errors']} errors")
    return {
        "scenario": "0",
        "name": name,
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "rps": figures["rps"],
        "target": "the yardstick",
        "result": "",
        "figures": figures,
    }


def floor(ctx) -> list[dict]:
    """/healthz?checks=none measured as every page is: the ratios divide by its figures."""
    row = _floor_row(ctx, f"floor {FLOOR_PATH}")
    ctx.floor = row["figures"]
    row["p50_ratio"], row["rps_ratio"] = 1.0, 1.0
    return [row]


def floor_again(ctx) -> list[dict]:
    """The floor once more at the end: how much the machine drifted during the run."""
    row = _floor_row(ctx, "floor again, after the scenarios")
    with_ratios(ctx, row)
    row["target"] = "drift check"
    drift = row["rps_ratio"]
    if drift and not 0.75 <= drift <= 1.33:
        row["note"] = "the floor moved: the machine was busy, ratios are rough (run again)"
    return [row]


LIVENESS_CONNECTIONS = 200  # as the fault drill of issue 27 opened
PROBE_TIMEOUT_S = 1  # a common liveness probe timeout


def _probe(url: str) -> float | None:
    """One probe's time in ms, None if it took longer than the probe's timeout (or failed)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT_S * 5) as response:  # noqa: S310 - loopback
            response.read()
    except OSError:
        return None
    return (time.monotonic() - started) * 1000


def liveness_under_load(ctx) -> list[dict]:
    """Probes while 200 connections load the home page: the gunicorn master's liveness answer
    (gunicorn.conf.py) beside Django's /healthz?checks=none, which waits in the request queue."""
    times: dict[str, list[float | None]] = {"master": [], "django": []}
    stop = threading.Event()

    def probe_loop():
        stop.wait(1.5)  # once the load is at full strength
        while not stop.is_set():
            times["master"].append(_probe(ctx.liveness_url))
            times["django"].append(_probe(ctx.base_url + FLOOR_PATH))
            stop.wait(0.2)

    prober = threading.Thread(target=probe_loop)
    prober.start()
    try:
        load = wrk(ctx.base_url, ["/"], connections=LIVENESS_CONNECTIONS, warmup=0)
    finally:
        stop.set()
        prober.join()

    def figures(samples):
        answered = sorted(t for t in samples if t is not None and t <= PROBE_TIMEOUT_S * 1000)
        late = len(samples) - len(answered)
        p50 = statistics.median(answered) if answered else None
        p95 = answered[int(0.95 * (len(answered) - 1))] if answered else None
        worst = max((t for t in samples if t is not None), default=None)
        return p50, p95, worst, late

    p50, p95, worst, late = figures(times["master"])
    d50, _, dworst, dlate = figures(times["django"])
    n = len(times["master"])
    note = (
        f"liveness (gunicorn master): {n} probes, {late} over {PROBE_TIMEOUT_S} s, max "
        f"{worst or 0:.0f} ms; Django /healthz?checks=none: p50 {d50 or 0:.0f} ms, max "
        f"{dworst or 0:.0f} ms, {dlate} over {PROBE_TIMEOUT_S} s; the load: {load['rps']:.0f} req/s"
    )
    return [
        {
            "scenario": "0",
            "name": f"liveness at {LIVENESS_CONNECTIONS} connections",
            "p50_ms": p50,
            "p95_ms": p95,
            "target": f"every probe < {PROBE_TIMEOUT_S} s (reported)",
            "result": "PASS" if n and not late else "MISS",
            "note": note,
            "figures": {"master": times["master"], "django": times["django"], "load": load},
        }
    ]


def with_ratios(ctx, row: dict) -> dict:
    """The row's p50 (one connection) and throughput (20 connections) as ratios to the floor's."""
    if ctx.floor and row.get("p50_ms") is not None:
        row["p50_ratio"] = round(row["p50_ms"] / ctx.floor["p50_ms"], 2)
        row["rps_ratio"] = round(row["rps"] / ctx.floor["rps"], 3)
    return row


def first_link(ctx, list_path: str, prefix: str, exclude: tuple[str, ...] = ()) -> str | None:
    """The first link on a list page to a page under `prefix` (as a visitor would click)."""
    page = fetch(ctx.base_url, list_path)
    if page.status != 200:
        return None
    html = page.body.decode("utf-8", "replace")
    for match in re.finditer(r'href="(' + re.escape(prefix) + r'[^"?#]+/)"', html):
        path = match.group(1)
        rest = path[len(prefix) :]
        if rest.count("/") == 1 and not rest.startswith(exclude):
            return path
    return None


def measure_page(
    ctx, name: str, paths: list[str], *, size_limit: int | None, throughput: float
) -> dict:
    """Check every path answers 200, then measure them at 1 and 20 connections; one row."""
    target = _target(throughput)
    sizes = []
    for path in paths:
        page = fetch(ctx.base_url, path)
        if page.status != 200:
            return {
                "scenario": "2",
                "name": name,
                "result": "n/a",
                "target": target,
                "note": f"not available: {path} answers {page.status}",
            }
        sizes.append(page.size)
    figures = measure_twice(ctx.base_url, paths)
    row = with_ratios(
        ctx,
        {
            "scenario": "2",
            "name": name,
            "p50_ms": figures["p50_ms"],
            "p95_ms": figures["p95_ms"],
            "rps": figures["rps"],
            "target": target,
            "paths": paths,
            "html_bytes": max(sizes),
            "figures": figures,
        },
    )
    fits = size_limit is None or max(sizes) < size_limit
    ok = (row.get("rps_ratio") or 0) >= throughput and fits and not figures["errors"]
    row["result"] = "PASS" if ok else "MISS"
    row["note"] = f"HTML {max(sizes) / 1000:.1f} KB, drawn for each request"
    if figures["errors"]:
        row["note"] += f", {figures['errors']} errors"
    return row


def run(ctx) -> list[dict]:
    """Home, training list, a session page, a recruiter page and the complaint form."""
    session = first_link(
        ctx, "/training/", "/training/", exclude=("request/", "bookings/", "certificates/")
    )
    recruiter = first_link(ctx, "/iris/recruiters/", "/iris/recruiters/")
    pages = [
        ("home /", "/", PAGE_TARGET_THROUGHPUT),
        ("training list /training/", "/training/", FORM_PAGE_TARGET_THROUGHPUT),
        ("session page /training/<session>/", session, FORM_PAGE_TARGET_THROUGHPUT),
        ("recruiter page /iris/recruiters/<slug>/", recruiter, FORM_PAGE_TARGET_THROUGHPUT),
        (
            "complaint form /iris/complaints/new/",
            "/iris/complaints/new/",
            COMPLAINT_FORM_TARGET_THROUGHPUT,
        ),
    ]
    rows = []
    for name, path, throughput in pages:
        if path is None:
            rows.append(
                {
                    "scenario": "2",
                    "name": name,
                    "result": "n/a",
                    "target": _target(throughput),
                    "note": "not available: no link to such a page on its list page",
                }
            )
            continue
        rows.append(
            measure_page(ctx, name, [path], size_limit=PAGE_LIMIT_BYTES, throughput=throughput)
        )
    return rows
