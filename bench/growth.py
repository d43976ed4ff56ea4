"""Scenario 5, growth: query count and time of each list page at 1×, 10× and 100× data.

In-process with django.test.Client and CaptureQueriesContext, signed in as the demo accounts with
their second factor passed (the session holds a confirmed TOTP device, as after a real sign-in).
"""

import statistics
import time

from . import data
from .main import NotAvailable

LEVELS = (1, 10, 100)
REPEATS = 5
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
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

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
    from django.test.utils import override_settings

    # Growth measures the page as drawn, never the public page cache's copy of it.
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        return _run()


def _run() -> list[dict]:
    results: dict[str, dict] = {name: {"levels": {}} for name, *_ in PAGES}
    clients: dict[str | None, object] = {}
    for level in LEVELS:
        made = data.grow_to(level)
        print(f"   {level}x data: {made}", flush=True)
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
    rows = []
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
