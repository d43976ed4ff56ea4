"""The one retention command and the daily task that runs it."""

import pytest
from django.conf import settings
from django.core.management import call_command

from iomuk.tasks import apply_retention

pytestmark = pytest.mark.django_db


def test_the_command_reports_every_app_in_counts(capsys):
    call_command("retention")
    out = capsys.readouterr().out
    for kind in [
        "training bookings",
        "adapted-session requests",
        "return cases",
        "IRIS complaints",
        "IRIS applications",
        "IRIS unconfirmed watches",
    ]:
        assert f"{kind} anonymised" in out
    assert "Dry run" not in out


def test_a_dry_run_says_so(capsys):
    call_command("retention", "--dry-run")
    assert "Dry run: nothing was changed." in capsys.readouterr().out


def test_the_task_runs_daily_and_returns_counts():
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "iomuk.tasks.apply_retention"
    assert entry["schedule"].total_seconds() == 24 * 60 * 60
    assert apply_retention() == {
        "training bookings": 0,
        "adapted-session requests": 0,
        "return cases": 0,
        "IRIS complaints": 0,
        "IRIS applications": 0,
        "IRIS unconfirmed watches": 0,
    }
