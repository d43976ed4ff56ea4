"""Scenario 6, the open roster API: a page of the list, one recruiter, a number checked, and a
revalidation answered 304, each as ratios to the floor as the public pages are.

The load comes from one address, so the server runs with a client limit no load reaches
(API_CLIENT_LIMIT in bench/run): the throttle still counts every request in Redis, as in
production. One recruiter and the verify answer are asked of many numbers, read from the list
as a partner would (its `next` followed), so no two requests in a row ask the same thing."""

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .load import measure_twice
from .pages import PAGE_TARGET_THROUGHPUT, with_ratios

LIST_PATH = "/api/v1/recruiters/?page_size=20"
NUMBERS_WANTED = 600
# A 304 reads one row and renders nothing: it should cost little more than the floor.
NOT_MODIFIED_TARGET_THROUGHPUT = 1 / 2


def _get(base_url: str, path: str, headers: dict | None = None):
    """One GET on loopback: (status, headers, JSON body or None)."""
    assert base_url.startswith("http://127.0.0.1:"), "load is aimed at loopback only"
    request = urllib.request.Request(base_url + path, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            body = response.read()
            return response.status, response.headers, json.loads(body) if body else None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, None


def numbers(base_url: str, wanted: int = NUMBERS_WANTED) -> list[str]:
    """Accreditation numbers from the list, following `next` as a partner would."""
    found, path = [], "/api/v1/recruiters/?page_size=100"
    while path and len(found) < wanted:
        status, _, body = _get(base_url, path)
        if status != 200:
            break
        found += [record["number"] for record in body["results"] if record["number"]]
        following = body.get("next")
        path = None
        if following:
            address = urlsplit(following)
            path = address.path + "?" + address.query
    return found[:wanted]


def _row(ctx, name: str, paths: list[str], *, target: float, headers=(), expect=200) -> dict:
    status, _, _ = _get(ctx.base_url, paths[0], dict(h.split(": ", 1) for h in headers))
    label = f"req/s >= 1/{1 / target:g} of floor"
    if status != expect:
        return {
            "scenario": "6",
            "name": name,
            "result": "n/a",
            "target": label,
            "note": f"not available: {paths[0]} answers {status}, not {expect}",
        }
    figures = measure_twice(ctx.base_url, paths, headers=tuple(headers))
    row = with_ratios(
        ctx,
        {
            "scenario": "6",
            "name": name,
            "p50_ms": figures["p50_ms"],
            "p95_ms": figures["p95_ms"],
            "rps": figures["rps"],
            "target": label,
            "paths": paths[:3],
            "figures": figures,
        },
    )
    ok = (row.get("rps_ratio") or 0) >= target and not figures["errors"]
    row["result"] = "PASS" if ok else "MISS"
    row["note"] = f"{len(set(paths))} distinct addresses"
    if figures["errors"]:
        row["note"] += f", {figures['errors']} errors (429s among them if the limit was reached)"
    return row


def run(ctx) -> list[dict]:
    """The list, one recruiter, verify, and a 304."""
    known = numbers(ctx.base_url)
    if not known:
        return [
            {
                "scenario": "6",
                "name": "open API",
                "result": "n/a",
                "note": f"not available: {LIST_PATH} lists no recruiter",
            }
        ]
    one = f"/api/v1/recruiters/{known[0]}/"
    _, headers, _ = _get(ctx.base_url, one)
    etag = headers.get("ETag", "")
    return [
        _row(ctx, f"API list page {LIST_PATH}", [LIST_PATH], target=PAGE_TARGET_THROUGHPUT),
        _row(
            ctx,
            "API one recruiter /api/v1/recruiters/<number>/",
            [f"/api/v1/recruiters/{number}/" for number in known],
            target=PAGE_TARGET_THROUGHPUT,
        ),
        _row(
            ctx,
            "API verify /api/v1/verify/<number>/",
            [f"/api/v1/verify/{number}/" for number in known],
            target=PAGE_TARGET_THROUGHPUT,
        ),
        _row(
            ctx,
            "API 304 /api/v1/recruiters/<number>/ with If-None-Match",
            [one],
            target=NOT_MODIFIED_TARGET_THROUGHPUT,
            headers=(f"If-None-Match: {etag}",),
            expect=304,
        ),
    ]
