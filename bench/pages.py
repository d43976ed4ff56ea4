"""The floor (the cheapest answer the stack gives) and scenario 2, the public pages.

Every page is drawn for each request: the server runs with no page cache (bench/main.py), so
the figures are the portal's work, and the booking and complaint forms carry each visitor's
own CSRF token and stamps."""

import re

from .load import fetch, measure_twice

FLOOR_PATH = "/healthz?checks=none"
PAGE_LIMIT_BYTES = 60_000  # "each page's HTML under 60 KB"
PAGE_TARGET_THROUGHPUT = 1 / 5  # of the floor's requests a second, at 20 connections


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


def measure_page(ctx, name: str, paths: list[str], *, size_limit: int | None) -> dict:
    """Check every path answers 200, then measure them at 1 and 20 connections; one row."""
    target = f"req/s >= 1/{1 / PAGE_TARGET_THROUGHPUT:g} of floor, HTML < 60 KB"
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
    ok = (row.get("rps_ratio") or 0) >= PAGE_TARGET_THROUGHPUT and fits and not figures["errors"]
    row["result"] = "PASS" if ok else "MISS"
    row["note"] = f"HTML {max(sizes) / 1000:.1f} KB, drawn for each request"
    if figures["errors"]:
        row["note"] += f", {figures['errors']} errors"
    return row


def run(ctx) -> list[dict]:
    """Home, training list, a session page, a recruiter page and the complaint form."""
    target = f"req/s >= 1/{1 / PAGE_TARGET_THROUGHPUT:g} of floor, HTML < 60 KB"
    session = first_link(
        ctx, "/training/", "/training/", exclude=("request/", "bookings/", "certificates/")
    )
    recruiter = first_link(ctx, "/iris/recruiters/", "/iris/recruiters/")
    pages = [
        ("home /", "/"),
        ("training list /training/", "/training/"),
        ("session page /training/<session>/", session),
        ("recruiter page /iris/recruiters/<slug>/", recruiter),
        ("complaint form /iris/complaints/new/", "/iris/complaints/new/"),
    ]
    rows = []
    for name, path in pages:
        if path is None:
            rows.append(
                {
                    "scenario": "2",
                    "name": name,
                    "result": "n/a",
                    "target": target,
                    "note": "not available: no link to such a page on its list page",
                }
            )
            continue
        rows.append(measure_page(ctx, name, [path], size_limit=PAGE_LIMIT_BYTES))
    return rows
