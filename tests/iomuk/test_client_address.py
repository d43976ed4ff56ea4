"""Behind a proxy, each visitor is known by their own address, not the proxy's.

The proxy (nginx, a load balancer) connects to the portal itself, so REMOTE_ADDR is the proxy
for every visitor. It appends the address it saw to X-Forwarded-For; anything to the left of
that was written by the visitor and may be a lie.
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from iomuk import roles
from iomuk.client import client_address, client_key
from iomuk.models import AccessLog, User
from tests.iris.factories import RecruiterFactory
from tests.returns.factories import ReturnCaseFactory, UserFactory

PROXY = "10.0.0.5"  # the load balancer: the only peer the portal ever sees
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings, private_cache):
    """As with BEHIND_TLS_PROXY=true: one trusted proxy, counters of this test's own."""
    settings.TRUSTED_PROXY_COUNT = 1


def _through_proxy(forwarded: str) -> Client:
    """A visitor's browser, reaching the portal through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_failures_from_five_visitors_do_not_lock_out_a_sixth(db):
    staff = User.objects.create_user("coord", password=PASSWORD)
    staff.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    for n in range(5):
        failed = _sign_in(_through_proxy(f"198.51.100.{n + 1}"), f"guess-{n}", "wrong-password")
        assert failed.status_code == 200
    response = _sign_in(_through_proxy("198.51.100.99"), "coord", PASSWORD)
    assert response.status_code == 302, "the sixth visitor was locked out by the others"
    assert response.url == "/staff/"  # on to the second factor from there


def test_one_visitor_is_still_paused_after_five_failures(db):
    User.objects.create_user("coord", password=PASSWORD)
    visitor = _through_proxy("198.51.100.7")
    for _ in range(5):
        _sign_in(visitor, "coord", "wrong-password")
    assert _sign_in(visitor, "coord", PASSWORD).status_code == 429


def test_a_forged_leftmost_entry_does_not_escape_the_lockout(db):
    User.objects.create_user("coord", password=PASSWORD)
    # The attacker writes a new made-up address each time; the proxy appends the real one.
    for n in range(5):
        forged = _through_proxy(f"203.0.113.{n + 1}, 192.0.2.66")
        _sign_in(forged, "coord", "wrong-password")
    fresh_lie = _through_proxy("203.0.113.200, 192.0.2.66")
    assert _sign_in(fresh_lie, "coord", PASSWORD).status_code == 429


def test_a_forged_leftmost_entry_does_not_change_the_key():
    factory = RequestFactory()
    honest = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.66")
    forged = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.66")
    assert client_key(honest) == client_key(forged) == "192.0.2.66"


def _complain(client, recruiter):
    return client.post(
        "/iris/complaints/new/",
        {
            "token": uuid.uuid4().hex,
            "about": "listed",
            "recruiter_ref": recruiter.accreditation_number,
            "categories": ["fees"],
            "description": "They kept my passport.",
            "anonymous": "on",
            "preferred_language": "en-gb",
        },
    )


def test_one_visitors_complaints_do_not_close_the_form_for_others(db, settings):
    settings.IRIS_COMPLAINT_LIMIT = (2, 3600)
    recruiter = RecruiterFactory()
    busy = _through_proxy("198.51.100.20")
    assert [_complain(busy, recruiter).status_code for _ in range(3)][-1] == 429
    other = _complain(_through_proxy("198.51.100.21"), recruiter)
    assert other.status_code == 302, "another visitor was refused by the first one's count"


def test_ipv6_addresses_in_one_slash_64_share_a_throttle(db, settings):
    settings.IRIS_COMPLAINT_LIMIT = (2, 3600)
    recruiter = RecruiterFactory()
    for host in ("2001:db8:1:2::a", "2001:db8:1:2::b"):
        assert _complain(_through_proxy(host), recruiter).status_code == 302
    same_network = _complain(_through_proxy("2001:db8:1:2:ffff::1"), recruiter)
    assert same_network.status_code == 429, "a new address in the same /64 got a fresh count"
    other_network = _complain(_through_proxy("2001:db8:1:3::a"), recruiter)
    assert other_network.status_code == 302


def test_the_access_log_records_the_visitor_not_the_proxy(db):
    caseworker = UserFactory(username="cw", role=roles.CASEWORKERS)
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    browser = _through_proxy("198.51.100.30")
    browser.force_login(caseworker)
    assert browser.get(f"/returns/cases/{case.reference}/").status_code == 200
    entry = AccessLog.objects.filter(object_ref=case.reference, action="view").get()
    assert entry.ip == "198.51.100.30"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("", PROXY),  # no header: the peer itself
        ("not-an-address", PROXY),
        ("198.51.100.1, <script>", PROXY),
        ("198.51.100.1 , 192.0.2.9", "192.0.2.9"),
        ("::ffff:192.0.2.9", "192.0.2.9"),
        ("2001:DB8::1", "2001:db8::1"),
    ],
)
def test_a_missing_or_malformed_header_falls_back_to_the_peer(forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "192.0.2.1"


def test_with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN, then the load balancer
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44, 203.0.113.9"
    )
    assert client_address(request) == "192.0.2.44"
    short = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert client_address(short) == PROXY  # it did not come through both: trust neither


def _trusted_proxy_count(**env) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BEHIND_TLS_PROXY", "TRUSTED_PROXY_COUNT", "DEBUG")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'iomuk.settings'; "
            "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        ],
        cwd=django_settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_behind_a_tls_proxy_means_one_trusted_proxy_unless_told_otherwise():
    assert _trusted_proxy_count() == "0"
    assert _trusted_proxy_count(BEHIND_TLS_PROXY="true") == "1"
    assert _trusted_proxy_count(BEHIND_TLS_PROXY="true", TRUSTED_PROXY_COUNT="2") == "2"
