"""Scenario 5, growth: query count and time of each list page at 1×, 10× and 100× data.

In-process with django.test.Client and CaptureQueriesContext, signed in as the demo accounts with
their second factor passed (the session holds a confirmed TOTP device, as after a real sign-in).
"""

import os
import statistics
import time

from . import data, roster
from .main import NotAvailable

LEVELS = (1, 10, 100)
REPEATS = 5
ROSTER_SIZES = (10_000, 100_000, 1_000_000)  # the last with BENCH_LONG=1
ROSTER_GROWTH_TOLERANCE = 1.5  # search p50 at 1,000,000 at most this many times at 100,000
TIME_TOLERANCE = 2.0  # 100× may take at most this many times the 1× time (page size is fixed)

# name, path (or a callable giving it), demo account (None: anonymous), the data it lists
PAGES = [
    ("training list /training/", "/training/", None, "sessions"),
    ("roster /iris/recruiters/", "/iris/recruiters/", None, "recruiters"),
    ("case list /returns/cases/", "/returns/cases/", "casemanager", "cases"),
    ("complaints admin list", "admin:iris_complaint_changelist", "irisofficer", "complaints"),
    ("staff dashboard /staff/", "/staff/", "casemanager", None),
]


def signed_in_client(username: str | None):
    """A test client signed in as a demo account, second factor included."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from iomuk.models import User

    client = Client()
    if username is None:
        return client
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def resolve(path: str) -> str:
    from django.urls import NoReverseMatch, reverse

    if path.startswith("/"):
        return path
    try:
        return reverse(path)
    except NoReverseMatch as exc:
        raise NotAvailable(f"no URL named {path}") from exc


def measure(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: templates, caches, connection
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # now: the next request empties the connection's query log
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": count,
        "median_ms": round(statistics.median(times), 2),
        "bytes": len(response.content),
    }


def run(ctx) -> list[dict]:
    return _run()


def _run() -> list[dict]:
    results: dict[str, dict] = {name: {"levels": {}} for name, *_ in PAGES}
    clients: dict[str | None, object] = {}
    roster_sizes: list[dict] = []
    searches = roster.Searches()
    for level in LEVELS:
        made = data.grow_to(level)
        print(f"   {level}x data: {made}", flush=True)
        if made.get("recruiters", 0) >= ROSTER_SIZES[0]:
            roster_sizes.append(roster.as_it_grows(searches))
        for name, path, username, kind in PAGES:
            entry = results[name]
            if "unavailable" in entry:
                continue
            try:
                if kind and not data.available(kind):
                    raise NotAvailable(data.why_not(kind))
                if username not in clients:
                    clients[username] = signed_in_client(username)
                figures = measure(clients[username], resolve(path))
                if figures["status"] != 200:
                    raise NotAvailable(f"{path} answers {figures['status']} for {username}")
                entry["levels"][level] = figures
            except NotAvailable as exc:
                entry["unavailable"] = str(exc)
            except Exception as exc:  # noqa: BLE001 - one page's failure is its row
                entry["unavailable"] = f"{type(exc).__name__}: {str(exc)[:160]}"
    if os.environ.get("BENCH_LONG") == "1":
        print("   growing the roster to 1,000,000 recruiters (BENCH_LONG=1)", flush=True)
        roster.ensure_recruiters(data._model("iris", "Recruiter"), 1_000_000)
        roster_sizes.append(roster.as_it_grows(searches))
    rows = [roster_growth_row(roster_sizes)]
    target = f"queries flat, time 100x <= {TIME_TOLERANCE:g}x of 1x"
    for name, *_ in PAGES:
        entry = results[name]
        levels = entry["levels"]
        if "unavailable" in entry or len(levels) < len(LEVELS):
            rows.append(
                {
                    "scenario": "5",
                    "name": name,
                    "result": "n/a",
                    "target": target,
                    "note": f"not available: {entry.get('unavailable', 'incomplete')}",
                }
            )
            continue
        counts = [levels[lv]["queries"] for lv in LEVELS]
        times = [levels[lv]["median_ms"] for lv in LEVELS]
        growth = times[-1] / times[0] if times[0] else 0
        ok = len(set(counts)) == 1 and growth <= TIME_TOLERANCE
        rows.append(
            {
                "scenario": "5",
                "name": name,
                "median_ms": times[-1],
                "target": target,
                "result": "PASS" if ok else "MISS",
                "note": (
                    "queries "
                    + "/".join(str(c) for c in counts)
                    + ", ms "
                    + "/".join(f"{t:.1f}" for t in times)
                    + f" at {'/'.join(f'{lv}x' for lv in LEVELS)} (time x{growth:.2f}), "
                    + f"HTML {levels[LEVELS[-1]]['bytes'] / 1000:.0f} KB"
                ),
                "levels": levels,
            }
        )
    return rows


def roster_growth_row(sizes: list[dict]) -> dict:
    """A name search's p50 (ratio to the floor's) and the index's size per recruiter, at each
    size of the roster; judged at 1,000,000 against 100,000 (BENCH_LONG=1)."""
    target = f"p50 at 1,000,000 <= {ROSTER_GROWTH_TOLERANCE:g}x at 100,000"
    row = {"scenario": "5", "name": "roster cost as it grows", "target": target, "sizes": sizes}
    if len(sizes) < 2:
        return {**row, "result": "n/a", "note": "not available: the roster did not grow"}

    def per_recruiter(size: dict) -> str:
        bytes_ = size["index_bytes_per_recruiter"]
        return "n/a (PostgreSQL only)" if bytes_ is None else f"{bytes_:,} B"

    note = "; ".join(
        f"{s['recruiters']:,} recruiters: search p50 {s['search_p50_ms']:.1f} ms "
        f"({s['p50_ratio']}x floor), index {per_recruiter(s)} a recruiter"
        for s in sizes
    )
    growth = sizes[-1]["search_p50_ms"] / sizes[-2]["search_p50_ms"]
    note += f"; p50 x{growth:.2f} over the last tenfold"
    if sizes[-1]["recruiters"] < 1_000_000:
        return {**row, "result": "reported", "note": note + " (1,000,000 only with BENCH_LONG=1)"}
    ok = growth <= ROSTER_GROWTH_TOLERANCE
    return {**row, "result": "PASS" if ok else "MISS", "note": note}
