import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


def test_it_makes_one_account_per_role_and_prints_them(db, settings, capsys):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    out = capsys.readouterr().out
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


def test_it_can_run_twice(db, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    call_command("seed_demo")


def test_it_refuses_without_a_password_when_debug_is_off(db, settings):
    settings.DEMO_PASSWORD = ""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo")


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


def test_with_debug_off_it_prints_no_set_up_link(db, settings, capsys):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    settings.DEBUG = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "/accounts/set-up/" not in out
    assert "ask for the link" in out
