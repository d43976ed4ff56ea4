"""The floor (the cheapest answer the stack gives) and scenario 2, the public pages."""

import re

from .load import fetch, wrk

FLOOR_PATH = "/healthz?checks=none"
PAGE_LIMIT_BYTES = 60_000  # "each page's HTML under 60 KB"
PAGE_TARGET_RATIO = 2.0


def _floor_row(ctx, name: str) -> dict:
    figures = wrk(ctx.base_url, [FLOOR_PATH])
    if figures["errors"]:
        raise RuntimeError(f"the floor answered with {figures['errors']} errors")
    return {
        "scenario": "0",
        "name": name,
        "median_ms": figures["median_ms"],
        "p95_ms": figures["p95_ms"],
        "target": "the yardstick",
        "result": "",
        "note": f"{figures['rps']:.0f} req/s, {figures['connections']} connections",
        "figures": figures,
    }


def floor(ctx) -> list[dict]:
    """/healthz?checks=none under the same load as every page: the ratios divide by its p95."""
    row = _floor_row(ctx, f"floor {FLOOR_PATH}")
    ctx.floor = row["figures"]
    row["ratio"] = 1.0
    return [row]


def floor_again(ctx) -> list[dict]:
    """The floor once more at the end: how much the machine drifted during the run."""
    row = _floor_row(ctx, "floor again, after the scenarios")
    row["ratio"] = round(row["p95_ms"] / ctx.floor["p95_ms"], 2) if ctx.floor else None
    row["target"] = "drift check"
    if row["ratio"] and not 0.75 <= row["ratio"] <= 1.33:
        row["note"] += "; the floor moved: the machine was busy, ratios are rough (run again)"
    return [row]


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
    ctx,
    name: str,
    paths: list[str],
    *,
    target_ratio: float,
    scenario: str,
    target: str,
    size_limit: int | None = None,
) -> dict:
    """Check every path answers 200, then load them with wrk; one row."""
    sizes = []
    for path in paths:
        page = fetch(ctx.base_url, path)
        if page.status != 200:
            return {
                "scenario": scenario,
                "name": name,
                "result": "n/a",
                "target": target,
                "note": f"not available: {path} answers {page.status}",
            }
        sizes.append(page.size)
    figures = wrk(ctx.base_url, paths)
    ratio = round(figures["p95_ms"] / ctx.floor["p95_ms"], 2) if ctx.floor else None
    fits = size_limit is None or max(sizes) < size_limit
    ok = ratio is not None and ratio <= target_ratio and fits and not figures["errors"]
    note = f"{figures['rps']:.0f} req/s"
    if size_limit is not None:
        note += f", HTML {max(sizes) / 1000:.1f} KB"
    if len(paths) > 1:
        note += f", {len(paths)} URLs cycled"
    if figures["errors"]:
        note += f", {figures['errors']} errors ({figures['status_errors']} non-2xx/3xx)"
    return {
        "scenario": scenario,
        "name": name,
        "median_ms": figures["median_ms"],
        "p95_ms": figures["p95_ms"],
        "ratio": ratio,
        "target_ratio": target_ratio,
        "target": target,
        "result": "PASS" if ok else "MISS",
        "note": note,
        "paths": paths,
        "html_bytes": max(sizes),
        "figures": figures,
    }


def run(ctx) -> list[dict]:
    """Home, training list, a session page, a recruiter page and the complaint form."""
    target = f"p95 <= {PAGE_TARGET_RATIO:g}x floor, HTML < 60 KB"
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
        rows.append(
            measure_page(
                ctx,
                name,
                [path],
                target_ratio=PAGE_TARGET_RATIO,
                scenario="2",
                target=target,
                size_limit=PAGE_LIMIT_BYTES,
            )
        )
    return rows
