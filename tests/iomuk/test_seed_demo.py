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
