"""The bench harness's own parts: reading forms, answering them, search terms and the report."""

import json
import shutil
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from bench import chart
from bench.forms import forms_in, select_options
from bench.main import markdown, print_table
from bench.roster import strip_accents, typo
from bench.rush import address_of, fill

BOOKING_PAGE = """
<form method="post" action="/i18n/setlang/"><select name="language"><option value="bg">B</option>
</select></form>
<form method="post" action="book/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok123">
  <input type="text" name="full_name" required>
  <input type="email" name="email">
  <select name="sector"><option value="">Choose</option><option value="nhs">NHS</option></select>
  <input type="checkbox" name="consent" required>
  <textarea name="needs">none</textarea>
  <div class="hp-field"><input type="text" name="homepage"></div>
  <input type="hidden" name="form_started" value="123:signed">
  <button type="submit">Book</button>
</form>
"""


def test_it_reads_every_form_and_its_fields():
    forms = forms_in(BOOKING_PAGE)
    assert [f.action for f in forms] == ["/i18n/setlang/", "book/"]
    names = [f.name for f in forms[1].fields]
    assert names == [
        "csrfmiddlewaretoken",
        "full_name",
        "email",
        "sector",
        "consent",
        "needs",
        "homepage",
        "form_started",
    ]
    assert forms[1].fields[3].options == ["", "nhs"]
    assert forms[1].fields[5].value.strip() == "none"


def test_it_lists_the_options_of_a_filter():
    assert select_options(BOOKING_PAGE, "sector") == ["nhs"]
    assert select_options(BOOKING_PAGE, "country") == []


def test_a_person_keeps_the_hidden_fields_and_leaves_the_honeypot_empty():
    answers = fill(forms_in(BOOKING_PAGE)[1], 7)
    assert answers["csrfmiddlewaretoken"] == "tok123"
    assert answers["form_started"] == "123:signed"
    assert answers["homepage"] == ""
    assert answers["email"] == "rush0007@bench.example"
    assert answers["full_name"] == "Rush Person 0007"
    assert answers["sector"] == "nhs"
    assert answers["consent"] == "on"


def test_five_hundred_people_each_speak_from_their_own_loopback_address():
    addresses = {address_of(n) for n in range(500)}
    assert len(addresses) == 500
    assert all(a.startswith("127.0.") and not a.endswith(".0") for a in addresses)
    assert "127.0.0.1" not in addresses


def test_search_terms_lose_their_accents_or_gain_a_typo():
    assert strip_accents("Łódź Bălan Škoda Őrs") == "Lodz Balan Skoda Ors"
    slipped = typo("recruitment")
    assert slipped != "recruitment"
    assert len(slipped) in (10, 11)
    assert slipped[0] == "r" and slipped[-1] == "t"


def test_the_table_and_the_chart_show_every_row(capsys):
    report = {
        "date": "2026-11-25 08:00 UTC",
        "command": "make bench",
        "commit": "abc1234",
        "machine": {"cores": 2, "cpu": "EPYC", "memory_gb": 23},
        "load": [3.0, 4.5],
        "scenario_seconds": 200,
        "rows": [
            {
                "scenario": "0",
                "name": "floor",
                "p50_ms": 2.0,
                "p95_ms": 4.0,
                "p50_ratio": 1.0,
                "rps": 1000.0,
                "rps_ratio": 1.0,
                "result": "",
            },
            {
                "scenario": "2",
                "name": "home <page>",
                "p50_ms": 5.0,
                "p95_ms": 9.0,
                "p50_ratio": 2.5,
                "rps": 125.0,
                "rps_ratio": 0.125,
                "result": "MISS",
                "note": "HTML 6.0 KB",
            },
            {
                "scenario": "3",
                "name": "booking rush",
                "result": "n/a",
                "note": "not available: no training app",
            },
        ],
    }
    print_table(report["rows"])
    out = capsys.readouterr().out
    assert "2.50x" in out and "1/8.0" in out and "MISS" in out
    assert "not available: no training app" in out
    root = ET.fromstring(chart.svg(report))  # noqa: S314 - our own output
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "home <page>" in text
    assert "not available: no training app" in text
    quoted = markdown(report)
    assert "commit `abc1234`" in quoted and "2026-11-25 08:00 UTC" in quoted
    assert "load average 3.0 at the start, 4.5 at the end" in quoted
    assert quoted.strip().endswith("Falls short: 2 home <page>.")


def test_the_rush_picks_the_booking_form_not_the_language_switcher():
    from bench.booking import _booking_form

    form = _booking_form(forms_in(BOOKING_PAGE))
    assert form.action == "book/"


def test_the_generators_make_rows_the_list_pages_show(client, db):
    from bench import data
    from iris.models import Complaint, Recruiter
    from tests.training.factories import CourseFactory
    from training.models import Booking, Session

    CourseFactory()
    data.make_sessions(3, start=0)
    data.make_recruiters(4, start=0)
    data.make_complaints(2, start=0)
    assert Session.objects.filter(slug__startswith="bench-session-").count() == 3
    assert Booking.objects.filter(session__slug="bench-session-000001").count() == 5
    assert Recruiter.objects.filter(slug__startswith="synthetic-").count() == 4
    assert Complaint.objects.filter(categories__isnull=False).count() == 2
    assert "bench-session-000001" in client.get("/training/").text


def test_every_search_the_bench_makes_is_one_no_one_made_before(db):
    from bench import data
    from bench.roster import Searches, build_queries
    from iris.models import Recruiter

    data.make_recruiters(60, start=0)
    searches = Searches()
    kinds = build_queries(Recruiter, ["ro"], ["care"], searches, per_kind=20)
    assert {"name as typed", "typo", "one word, country and sector"} <= kinds.keys()
    made = [urlencode(sorted(q.items())).lower() for qs in kinds.values() for q, _ in qs]
    assert len(made) == len(set(made)) > 40
    again = build_queries(Recruiter, ["ro"], ["care"], searches, per_kind=20)
    assert not {urlencode(sorted(q.items())).lower() for qs in again.values() for q, _ in qs} & set(
        made
    )


@pytest.fixture
def path_counting_server():
    """A tiny HTTP server on loopback that counts the paths asked for."""
    seen = Counter()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen[self.path] += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


@pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)")
def test_the_load_sends_each_search_once_while_the_list_lasts(path_counting_server):
    from bench.load import wrk

    base_url, seen = path_counting_server
    paths = [f"/search?q=name{n}" for n in range(100_000)]
    figures = wrk(base_url, paths, duration=1, warmup=1, connections=4)
    assert figures["requests"] > 50
    assert figures["repeats"] == 0
    assert max(seen.values()) == 1, "a search was sent twice"
    # A list of one page is simply drawn again for every request, and says so.
    seen.clear()
    figures = wrk(base_url, ["/healthz"], duration=1, warmup=0, connections=2)
    assert set(seen) == {"/healthz"} and seen["/healthz"] > 1
    assert figures["repeats"] >= figures["requests"] - 2


@pytest.fixture
def roster_api_server():
    """Two pages of the API's list, the first pointing to the second by its `next`, and a
    recruiter answering 304 to its ETag."""
    pages = {
        "/api/v1/recruiters/?page_size=20": {"results": [], "next": None},
        "/api/v1/recruiters/?page_size=100": {
            "results": [{"number": "IRIS-A-000001"}, {"number": None}],
            "next": "http://127.0.0.1/api/v1/recruiters/?cursor=abc&page_size=100",
        },
        "/api/v1/recruiters/?cursor=abc&page_size=100": {
            "results": [{"number": "IRIS-A-000002"}],
            "next": None,
        },
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if "/IRIS-A-" in self.path:
                fresh = self.headers.get("If-None-Match") == 'W/"same"'
                body = b"" if fresh else b'{"number": "IRIS-A-000001"}'
                self.send_response(304 if fresh else 200)
                self.send_header("ETag", 'W/"same"')
            else:
                body = json.dumps(pages[self.path]).encode()
                self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_api_rows_read_numbers_from_the_list_following_next(roster_api_server):
    from bench.api import numbers

    assert numbers(roster_api_server) == ["IRIS-A-000001", "IRIS-A-000002"]


@pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)")
def test_the_api_304_row_revalidates_with_the_etag(roster_api_server, monkeypatch):
    from bench import api
    from bench.main import Context

    monkeypatch.setattr(api, "measure_twice", lambda base_url, paths, headers: _figures(headers))
    rows = api.run(Context(base_url=roster_api_server, env={}, smtp_port=0))
    assert [row["name"].split(" /")[0] for row in rows] == [
        "API list page",
        "API one recruiter",
        "API verify",
        "API 304",
    ]
    assert rows[3]["result"] != "n/a", rows[3].get("note")
    assert rows[3]["figures"]["headers"] == ('If-None-Match: W/"same"',)


def _figures(headers) -> dict:
    return {"p50_ms": 1.0, "p95_ms": 2.0, "rps": 100.0, "errors": 0, "headers": headers}


@pytest.mark.django_db(transaction=True)  # the suspension queues its task once it commits
def test_the_watch_alert_row_counts_only_its_own_run_on_a_kept_database():
    # BENCH_KEEP_DB=1 keeps an earlier run's alerts: the next run waits for its own only.
    from bench.mail import _enqueue_watch_alerts
    from tests.iris.factories import RecruiterFactory

    RecruiterFactory.create_batch(2)
    first = _enqueue_watch_alerts(3, {})
    second = _enqueue_watch_alerts(3, {})
    assert len(first) == len(second) == 3
    assert not set(first) & set(second)
