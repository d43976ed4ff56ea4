import os
import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from iomuk.models import OutboxMessage, User
from iris.complaints.services import complaint_find
from iris.models import Complaint, Recruiter
from returns.models import ReturnCase
from tests.conftest import ROOT


def test_it_makes_one_account_per_role_and_prints_them_with_no_set_up_link_when_debug_is_off(
    db, settings, capsys
):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    settings.DEBUG = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "/accounts/set-up/" not in out
    assert "ask for the link" in out
    for username in (
        "coordinator",
        "caseworker",
        "casemanager",
        "referrer",
        "irisofficer",
        "admin",
    ):
        assert username in out
        assert User.objects.get(username=username).check_password("demo-pass-for-tests")


def test_it_refuses_without_a_password_when_debug_is_off(db, settings):
    settings.DEMO_PASSWORD = ""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo")


def test_it_ends_with_a_short_summary_a_newcomer_can_use(db, settings, capfd, monkeypatch):
    # As `make run` seeds: DEBUG on, mail to the console, tasks run at once. The test's
    # transaction never commits, so each email is handed on at once, as the seed's commit would.
    monkeypatch.setattr("iomuk.outbox.transaction.on_commit", lambda send, *a, **kw: send())
    settings.DEMO_PASSWORD = ""
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo")
    out, err = capfd.readouterr()
    assert len(out.splitlines()) <= 30, out[:3000]
    assert "deliver_outbox_message" not in err  # no line per email in the log either
    assert "Subject:" not in out  # no raw email
    assert "demo-password-for-local-use" in out
    assert "http://127.0.0.1:8123/" in out
    reference = re.search(r"IRIS-C-[0-9A-Z]+", out).group(0)
    code = re.search(r"[Tt]racking code:?\s+(\S+)", out).group(1)
    complaint = complaint_find(reference=reference, code=code)
    assert complaint is not None and complaint.submission_token == "demo-0"
    # The demo's emails were sent, and are kept in the outbox.
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() > 10


def test_a_second_run_adds_nothing_and_gives_the_demo_complaint_a_code_that_works(
    db, settings, capsys
):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    cases = ReturnCase.objects.count()
    call_command("seed_demo")
    assert ReturnCase.objects.count() == cases == 36
    waiting = [c for c in Complaint.objects.filter(recruiter__isnull=True) if c.needs_matching]
    assert len(waiting) == 1  # one report for officers to match, made once
    assert Recruiter.objects.filter(legal_name="Demo Munkaerő Kft.").count() == 1
    out = capsys.readouterr().out.split("Demo accounts")[-1]
    reference = re.search(r"IRIS-C-[0-9A-Z]+", out).group(0)
    code = re.search(r"[Tt]racking code:?\s+(\S+)", out).group(1)
    assert complaint_find(reference=reference, code=code) is not None


def _make_dry_run(*args) -> str:
    return subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")},
    ).stdout


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_run_serves_on_the_port_it_is_given_and_links_to_it():
    out = _make_dry_run("PORT=8123")
    assert "runserver 127.0.0.1:8123" in out
    assert "SITE_URL=http://127.0.0.1:8123" in out
    assert "8000" not in out


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_run_serves_on_port_8000_by_default():
    out = _make_dry_run()
    assert "runserver 127.0.0.1:8000" in out
    assert "SITE_URL=http://127.0.0.1:8000" in out


def test_with_debug_on_it_prints_a_set_up_link_that_works_for_each_account(
    db, settings, capsys, client
):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    links = dict(re.findall(r"^  (\w+) +(https?://\S+/accounts/set-up/\S+/)$", out, re.M))
    assert set(links) == {
        "coordinator",
        "caseworker",
        "casemanager",
        "referrer",
        "irisofficer",
        "admin",
    }
    client.post("/accounts/login/", {"username": "caseworker", "password": "demo-pass-for-tests"})
    path = "/" + links["caseworker"].split("://", 1)[1].split("/", 1)[1]
    assert "Scan this QR code" in client.get(path, follow=True).content.decode()
