"""Scenario 7, the contact check at scale: 100,000 recruiters with 300,000 authorised contacts
(a phone number, a website and a social page each) and 3,000 impostors, each check drawn
afresh: a listed number written the local way, a listed website with a subdomain and a path,
an impostor's look-alike website, and a number no one has given. Through the open API as a
registered partner (`/api/v1/contacts/check/`; the partner's rate limit is raised for the run:
the limit is a policy, not what is measured), at 1 connection (p50, p95) and at 20 (requests a
second), as ratios to the floor's. A second row shows the plan of a check's SQL (EXPLAIN on
PostgreSQL): an index look-up on the normalised key, not a scan.

The bench's numbers are generated Romanian mobile numbers (+40 7…) in its own database only;
its domains are `.example`.
"""

import json
import random
import urllib.request
from urllib.parse import urlencode

from .load import measure_twice
from .main import NotAvailable
from .pages import with_ratios
from .roster import ensure_recruiters

CONTACTS_PER_RECRUITER = 3  # 100,000 recruiters: 300,000 contacts
IMPOSTORS = 3_000
CHECKS = 6_000  # more than two runs send, so none repeats
CHECKED = 12
# What the bench writes, told apart from the demo world's own contacts and impostors.
BENCH_IMPOSTOR = "-agency-jobs.example"
BENCH_SOCIAL = r"^social:facebook\.com/r[0-9]+agency$"
TARGET_THROUGHPUT = 1 / 8
TARGET_P50 = 5.0
URL = "/api/v1/contacts/check/"
rng = random.Random(31)


def _phone(pk: int) -> str:
    return f"7{pk:08d}"  # a Romanian mobile's nine digits after +40


def ensure_contacts(recruiter_model) -> tuple[int, int]:
    from django.apps import apps

    from . import data

    contact = apps.get_model("iris", "RecruiterContact")
    impostor = apps.get_model("iris", "ImpostorContact")
    have = set(contact.objects.values_list("recruiter_id", flat=True).distinct())
    ids = [pk for pk in recruiter_model.objects.values_list("pk", flat=True) if pk not in have]
    batch = []
    for pk in ids:
        batch += [
            contact(
                recruiter_id=pk,
                kind="phone",
                value=f"+40 {_phone(pk)}",
                key=f"phone:+40{_phone(pk)}",
            ),
            contact(
                recruiter_id=pk,
                kind="web",
                value=f"https://r{pk}-agency.example/",
                key=f"web:r{pk}-agency.example",
            ),
            contact(
                recruiter_id=pk,
                kind="social",
                value=f"https://facebook.com/r{pk}agency",
                key=f"social:facebook.com/r{pk}agency",
            ),
        ]
        if len(batch) >= 6_000:
            contact.objects.bulk_create(batch)
            batch = []
    contact.objects.bulk_create(batch)
    # The demo world has impostors of its own: the bench's are told apart by their address.
    if not impostor.objects.filter(key__endswith=BENCH_IMPOSTOR).exists():
        imitated = list(recruiter_model.objects.values_list("pk", flat=True)[:IMPOSTORS])
        impostor.objects.bulk_create(
            impostor(
                kind="web",
                value=f"r{pk}-agency-jobs.example",
                key=f"web:r{pk}-agency-jobs.example",
                imitates_id=pk,
            )
            for pk in imitated
        )
    if ids:
        data.settle()
    return contact.objects.count(), impostor.objects.count()


def bench_listed_and_faked(recruiter_model) -> tuple[list[int], list[int]]:
    """The recruiters the bench gave contacts to, accredited today (a suspended recruiter's
    contact answers "not_valid"), and those its impostors imitate: not the demo world's, whose
    contacts and impostors are its own."""
    from django.apps import apps

    listed = recruiter_model.objects.on_roster().filter(
        state="accredited", contacts__key__regex=BENCH_SOCIAL
    )
    faked = apps.get_model("iris", "ImpostorContact").objects.filter(key__endswith=BENCH_IMPOSTOR)
    return (
        list(listed.values_list("pk", flat=True)),
        list(faked.values_list("imitates_id", flat=True)),
    )


def build_checks(recruiter_ids: list[int], impostor_ids: list[int]) -> list[tuple[dict, str]]:
    """Distinct checks, a quarter of each kind, with the answer each should get."""
    listed, faked = recruiter_ids[:], impostor_ids[:]
    rng.shuffle(listed)
    rng.shuffle(faked)
    checks, per = [], CHECKS // 4
    for i in range(per):
        pk = listed[i % len(listed)]
        digits = _phone(pk)
        local = f"0{digits[:3]} {digits[3:6]} {digits[6:]}"
        checks.append(({"contact": local, "country": "RO"}, "authorised"))
        other = listed[-(i + 1) % len(listed)]
        checks.append(
            ({"contact": f"https://jobs.r{other}-agency.example/apply?n={i}"}, "authorised")
        )
        checks.append(
            ({"contact": f"http://www.r{faked[i % len(faked)]}-agency-jobs.example/{i}"}, "warning")
        )
        checks.append(({"contact": f"+40 78{i:07d}"}, "unknown"))
    return checks


def plan_of_a_check() -> str:
    """PostgreSQL's plan for the SQL a check runs (a listed number)."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iris.recruiters.contact_services import contact_check

    if connection.vendor != "postgresql":
        raise NotAvailable("the plan is PostgreSQL's")
    pk = (
        apps.get_model("iris", "RecruiterContact")
        .objects.values_list("recruiter_id", flat=True)
        .first()
    )
    with CaptureQueriesContext(connection) as queries:
        contact_check(text=f"0{_phone(pk)}", region="RO")
    lines = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            lines += [row[0].strip() for row in cursor.fetchall()]
    return " / ".join(line for line in lines if "Scan" in line)


def run(ctx) -> list[dict]:
    from django.apps import apps

    from . import data

    try:
        from iris.recruiters.services import api_key_issue
    except ImportError as exc:
        raise NotAvailable("no API keys") from exc
    recruiter = data._model("iris", "Recruiter")
    try:
        apps.get_model("iris", "RecruiterContact")
    except LookupError as exc:
        raise NotAvailable("iris has no RecruiterContact model") from exc
    recruiters = ensure_recruiters(recruiter)
    contacts, impostors = ensure_contacts(recruiter)
    # Accredited today (a suspended recruiter's contact answers "not_valid").
    checks = build_checks(*bench_listed_and_faked(recruiter))
    rng.shuffle(checks)
    _, token = api_key_issue(name="bench partner")
    headers = (f"Authorization: Bearer {token}",)

    assert ctx.base_url.startswith("http://127.0.0.1:"), "load is aimed at loopback only"
    right = 0
    for params, answer in checks[:CHECKED]:
        request = urllib.request.Request(  # noqa: S310 - loopback, checked above
            ctx.base_url + URL + "?" + urlencode(params),
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            right += json.loads(response.read())["answer"] == answer
    paths = [f"{URL}?{urlencode(params)}" for params, _ in checks[CHECKED:]]
    figures = measure_twice(ctx.base_url, paths, headers=headers)
    row = with_ratios(
        ctx,
        {
            "scenario": "7",
            "name": "contact check at scale (API)",
            "p50_ms": figures["p50_ms"],
            "p95_ms": figures["p95_ms"],
            "rps": figures["rps"],
            "target": (
                f"req/s >= 1/{1 / TARGET_THROUGHPUT:g} of floor; p50 <= {TARGET_P50:g}x floor"
            ),
            "example": paths[0],
            "figures": figures,
        },
    )
    ok = (
        (row.get("rps_ratio") or 0) >= TARGET_THROUGHPUT
        and (row.get("p50_ratio") or 99) <= TARGET_P50
        and not figures["errors"]
        and right == CHECKED
    )
    row["result"] = "PASS" if ok else "MISS"
    row["note"] = (
        f"{recruiters:,} recruiters, {contacts:,} contacts, {impostors:,} impostors; "
        f"{figures['requests']:,} checks, {figures['repeats']} repeated; "
        f"{right}/{CHECKED} checked answered as expected"
        + (f"; {figures['errors']} errors" if figures["errors"] else "")
    )
    plan = plan_of_a_check()
    scanned = (
        "Seq Scan on iris_recruitercontact" in plan or "Seq Scan on iris_impostorcontact" in plan
    )
    return [
        row,
        {
            "scenario": "7",
            "name": "contact check SQL plan",
            "target": "index look-ups on the normalised key, no scan of the contacts",
            "result": "MISS" if scanned else "PASS",
            "note": plan,
        },
    ]
