"""Scenario 1, roster search at scale: 100,000 recruiters, searched as job seekers search.

Queries are names from the roster as someone types them from an advert (their first three words):
as written, without their accents and with a typo, each checked to find its recruiter; then broad
searches for one word of a name, alone and with the country and sector filters (values read from
the search form itself). Each kind is
loaded with wrk; its p95 is compared with the floor's. The speed-up is measured in-process on the
database: the SQL the page runs for a search (captured from a real request) against the same
search as a plain `icontains` scan, timed alternately in the same run.
"""

import io
import random
import statistics
import time
import unicodedata
from urllib.parse import urlencode

from . import data
from .forms import select_options
from .load import fetch, wrk
from .main import NotAvailable

RECRUITERS = 100_000
TARGET_RATIO = 3.0
TARGET_SPEEDUP = 20.0
QUERIES_PER_KIND = 60
SPEEDUP_SAMPLES_PER_KIND = 10  # searches of each kind timed against the scan
ROSTER = "/iris/recruiters/"
rng = random.Random(9)


_NOT_DECOMPOSED = str.maketrans("łŁđĐøØ", "lLdDoO")  # letters NFKD leaves as they are


def strip_accents(text: str) -> str:
    """What someone types without the accents: Łódź → Lodz."""
    folded = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(c for c in folded if not unicodedata.combining(c))


def typo(word: str) -> str:
    """One slip of the finger: two letters swapped, or one dropped, away from the ends."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def name_field(model) -> str:
    names = {f.name for f in model._meta.get_fields()}
    for candidate in ("legal_name", "name", "trading_name", "display_name"):
        if candidate in names:
            return candidate
    raise NotAvailable("the Recruiter model has no name field the bench knows")


def ensure_recruiters(model) -> int:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    have = model.objects.count()
    if have < RECRUITERS:
        try:
            call_command("generate_recruiters", RECRUITERS - have, stdout=io.StringIO())
        except CommandError as exc:
            raise NotAvailable(f"generate_recruiters: {exc}") from exc
        data.settle()
    return model.objects.count()


def words_of(name: str) -> list[str]:
    return [w.strip(".,&()'") for w in name.split() if len(w.strip(".,&()'")) >= 5]


def as_typed(name: str) -> str:
    """A recruiter's name as someone types it from an advert: its first three words."""
    return " ".join(name.split()[:3])


def build_queries(model, field: str, countries: list[str], sectors: list[str]) -> dict:
    """Search terms of each kind, with the recruiter each should find ("" if none in particular)."""
    listed = model.objects.on_roster()  # only listed recruiters can be found
    total = listed.count()
    ids = list(listed.order_by("pk").values_list("pk", flat=True)[:: max(1, total // 4000)])
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", field))
    accented = [(pk, n) for pk, n in names.items() if strip_accents(as_typed(n)) != as_typed(n)]
    plain = [(pk, n) for pk, n in names.items() if words_of(n)]
    rng.shuffle(plain)
    rng.shuffle(accented)
    n = QUERIES_PER_KIND
    kinds: dict[str, list[tuple[dict, str]]] = {"name": [], "no accents": [], "typo": []}
    for _pk, name in plain[:n]:
        kinds["name"].append(({"q": as_typed(name)}, name))
    for _pk, name in plain[n : 2 * n]:
        typed = as_typed(name)
        longest = max(typed.split(), key=len)
        kinds["typo"].append(({"q": typed.replace(longest, typo(longest), 1)}, name))
    for _pk, name in accented[:n]:
        kinds["no accents"].append(({"q": strip_accents(as_typed(name)).lower()}, name))
    # A broad search: one word of a name, which the synthetic roster shares with thousands.
    kinds["one word of a name"] = [
        ({"q": rng.choice(words)}, "")
        for _pk, name in plain[2 * n : 3 * n]
        if (words := [w for w in words_of(name) if not w.isdigit()])
    ]
    if countries and sectors:
        kinds["with country and sector"] = [
            ({"q": q["q"], "country": rng.choice(countries), "sector": rng.choice(sectors)}, "")
            for q, _ in kinds["one word of a name"]
        ]
    return {k: v for k, v in kinds.items() if v}


def time_sql(statements: list[str], repeats: int) -> float:
    from django.db import connection

    runs = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def page_search_sql(path: str, tables: list[str]) -> list[str]:
    """The SQL statements the roster page runs on the recruiters and their search index for one
    search: finding the matches, then fetching the page's recruiters (the last)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # The page cache would answer a search the load has already made, with no query to capture.
    with (
        override_settings(PUBLIC_PAGE_CACHE_SECONDS=0),
        CaptureQueriesContext(connection) as queries,
    ):
        response = Client().get(path)
    if response.status_code != 200:
        raise NotAvailable(f"{path} answers {response.status_code} in-process")
    return [
        q["sql"]
        for q in queries.captured_queries
        if any(f'"{table}"' in q["sql"] for table in tables)
    ]


def speedup(model, field: str, kinds: dict) -> dict:
    """Median time of the page's own SQL against a plain icontains scan, for each kind of search."""
    from django.conf import settings
    from django.db import connection

    from iris.selectors import roster_listed

    # The recruiters, and the search index beside them (the words and their spellings).
    tables = [
        m._meta.db_table
        for m in model._meta.apps.get_app_config("iris").get_models()
        if m is model or m.__name__.startswith("Roster")
    ]
    most = settings.IRIS_ROSTER_MOST_LISTED
    page_ms, scan_ms = [], []
    by_kind = {}
    for kind, queries in kinds.items():
        kind_page, kind_scan = [], []
        for params, _ in queries[:SPEEDUP_SAMPLES_PER_KIND]:
            statements = page_search_sql(f"{ROSTER}?{urlencode(params)}", tables)
            if not statements:
                raise NotAvailable("the roster page ran no query on the recruiter table")
            # The same listing, filters and bound as the page; only the name match is a plain
            # scan. The page's last statement fetches the page's recruiters by id, as would a
            # page built on the scan.
            scan = roster_listed(
                country=params.get("country", ""), sector=params.get("sector", "")
            ).filter(**{f"{field}__icontains": params["q"]})
            scan = scan.order_by(field, "pk").values_list("pk", flat=True)[: most + 1]
            with connection.cursor() as cursor:
                ids_sql, ids_params = scan.query.sql_with_params()
                baseline = [cursor.mogrify(ids_sql, ids_params).decode(), statements[-1]]
            # Alternate, so both see the same cache and the same noise.
            for _ in range(2):
                kind_page.append(time_sql(statements, 3))
                kind_scan.append(time_sql(baseline, 3))
        by_kind[kind] = round(statistics.median(kind_scan) / statistics.median(kind_page), 1)
        page_ms += kind_page
        scan_ms += kind_scan
    # Judged by the slowest kind: a median over all searches would swing with how many of the
    # sample are quick exact names.
    return {
        "page_ms": round(statistics.median(page_ms), 2),
        "scan_ms": round(statistics.median(scan_ms), 2),
        "speedup": min(by_kind.values()),
        "speedup_by_kind": by_kind,
        "searches": len(page_ms) // 2,
    }


def run(ctx) -> list[dict]:
    model = data._model("iris", "Recruiter")
    field = name_field(model)
    started = time.monotonic()
    count = ensure_recruiters(model)
    made_s = time.monotonic() - started
    roster = fetch(ctx.base_url, ROSTER)
    if roster.status != 200:
        raise NotAvailable(f"{ROSTER} answers {roster.status}")
    html = roster.body.decode("utf-8", "replace")
    countries, sectors = select_options(html, "country"), select_options(html, "sector")
    kinds = build_queries(model, field, countries, sectors)
    if not kinds:
        raise NotAvailable("no recruiter names to search for")
    rows = []
    target = f"p95 <= {TARGET_RATIO:g}x floor"
    for kind, queries in kinds.items():
        paths = [f"{ROSTER}?{urlencode(q)}" for q, _ in queries]
        found = 0
        checked = queries[:10]
        for q, name in checked:
            page = fetch(ctx.base_url, f"{ROSTER}?{urlencode(q)}")
            if page.status != 200:
                raise NotAvailable(f"a search answers {page.status}")
            if not name or _html_has(page.body, name):
                found += 1
        figures = wrk(ctx.base_url, paths)
        ratio = round(figures["p95_ms"] / ctx.floor["p95_ms"], 2) if ctx.floor else None
        ok = ratio is not None and ratio <= TARGET_RATIO and not figures["errors"]
        note = f"{figures['rps']:.0f} req/s over {len(paths)} searches"
        if any(name for _, name in checked):
            note += f"; found the recruiter in {found}/{len(checked)} checked"
        if figures["errors"]:
            note += f"; {figures['errors']} errors"
        rows.append(
            {
                "scenario": "1",
                "name": f"roster search: {kind}",
                "median_ms": figures["median_ms"],
                "p95_ms": figures["p95_ms"],
                "ratio": ratio,
                "target_ratio": TARGET_RATIO,
                "target": target,
                "result": "PASS" if ok else "MISS",
                "note": note,
                "example": paths[0],
                "figures": figures,
            }
        )
    rows.append(drawn_afresh(ctx, kinds))
    sp = speedup(model, field, kinds)
    rows.append(
        {
            "scenario": "1",
            "name": "roster search vs plain icontains scan",
            "target": f"speed-up >= {TARGET_SPEEDUP:g}x, every kind",
            "result": "PASS" if (sp["speedup"] or 0) >= TARGET_SPEEDUP else "MISS",
            "note": (
                f"{count:,} recruiters ({made_s:.0f} s to make); "
                f"page's SQL {sp['page_ms']:.2f} ms, "
                f"icontains scan {sp['scan_ms']:.2f} ms (medians of {sp['searches']} searches); "
                "speed-up by kind "
                + ", ".join(f"{kind} x{ratio}" for kind, ratio in sp["speedup_by_kind"].items())
                + f"; the slowest x{sp['speedup']}"
            ),
            "figures": sp,
        }
    )
    return rows


def drawn_afresh(ctx, kinds: dict) -> dict:
    """Every kind of search at once, each request drawn anew: a session cookie skips the page
    cache, which otherwise answers a search that someone has made in the last minute. Reported,
    not judged: the target is met by the portal as it runs, with its cache."""
    paths = [f"{ROSTER}?{urlencode(q)}" for queries in kinds.values() for q, _ in queries]
    figures = wrk(ctx.base_url, paths, headers=("Cookie: sessionid=bench-no-such-session",))
    ratio = round(figures["p95_ms"] / ctx.floor["p95_ms"], 2) if ctx.floor else None
    return {
        "scenario": "1",
        "name": "roster search: drawn afresh",
        "median_ms": figures["median_ms"],
        "p95_ms": figures["p95_ms"],
        "ratio": ratio,
        "target": "reported (page cache skipped)",
        "result": "",
        "note": (
            f"{figures['rps']:.0f} req/s over {len(paths)} searches of every kind, "
            f"each with a session cookie, so none is answered from the page cache; "
            f"{figures['errors']} errors"
        ),
        "example": paths[0],
        "figures": figures,
    }


def _html_has(body: bytes, name: str) -> bool:
    import html

    text = html.unescape(body.decode("utf-8", "replace"))
    return name in text
