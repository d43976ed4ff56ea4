"""A partner loads the daily bulk file once, then keeps its copy in step with updated_since."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.conf import settings as django_settings

from iris.models import Recruiter
from iris.recruiters.services import (
    recruiter_suspend,
    recruiter_update,
    recruiter_withdraw,
)
from iris.tasks import export_roster
from tests.iris.factories import RecruiterFactory, sector

BULK = "/api/v1/bulk/roster"
EVERY_STANDING = "accredited,suspended,expired,withdrawn"


@pytest.fixture(autouse=True)
def _own_disk(settings, tmp_path):
    """Each test writes its bulk files to a disk of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_daily_task_writes_json_with_its_licence_and_when_it_was_made(api, world):
    export_roster()
    response = api.get(f"{BULK}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert django_settings.ROSTER_LICENCE_URL in response["Link"]
    bulk = json.loads(_body(response))
    assert bulk["licence"]["url"] == django_settings.ROSTER_LICENCE_URL
    assert bulk["licence"]["name"] == django_settings.ROSTER_LICENCE_NAME
    made_at = datetime.fromisoformat(bulk["made_at"])
    assert abs((datetime.now(UTC) - made_at).total_seconds()) < 60
    numbers = [r["number"] for r in bulk["recruiters"]]
    # Every standing but the applicant, each record as the API gives it.
    assert numbers == ["IRIS-A-000101", "IRIS-A-000102", "IRIS-A-000103", "IRIS-A-000104"]
    assert bulk["count"] == 4
    assert bulk["recruiters"][0] == api.get("/api/v1/recruiters/IRIS-A-000101/").json()


def test_the_csv_states_its_licence_and_reads_as_a_spreadsheet(api, world):
    RecruiterFactory(legal_name="=HYPERLINK(1) Ltd", accreditation_number="IRIS-A-000105")
    export_roster()
    response = api.get(f"{BULK}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert django_settings.ROSTER_LICENCE_URL in response["Link"]
    assert response["Last-Modified"]
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert [row["number"] for row in rows][:2] == ["IRIS-A-000101", "IRIS-A-000102"]
    assert rows[0]["recruits_from"] == "PL"
    assert rows[0]["standing"] == "accredited"
    assert rows[-1]["name"] == "'=HYPERLINK(1) Ltd"


def test_a_repeat_download_with_its_etag_is_a_304(api, world):
    export_roster()
    first = api.get(f"{BULK}.json")
    again = api.get(f"{BULK}.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_before_the_beat_writes_one_the_first_request_writes_the_file(api, world):
    response = api.get(f"{BULK}.csv")
    assert response.status_code == 200
    assert b"IRIS-A-000101" in _body(response)


def test_a_newer_file_is_served_once_written(api, world):
    export_roster()
    first = api.get(f"{BULK}.json")
    recruiter_update(recruiter=world["accredited"], legal_name="Agencja Pracy Opole")
    export_roster()
    newer = api.get(f"{BULK}.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert newer.status_code == 200
    assert b"Agencja Pracy Opole" in _body(newer)


def _follow(api, copy: dict, since: datetime) -> datetime:
    """Page through every record changed since `since` into `copy`; the newest change seen."""
    url = "/api/v1/recruiters/"
    params = {"standing": EVERY_STANDING, "updated_since": since.isoformat()}
    while url:
        body = api.get(url, params).json()
        for record in body["results"]:
            copy[record["number"]] = record
            since = max(since, datetime.fromisoformat(record["updated_at"]))
        url, params = body["next"], None
    return since


def test_a_copy_from_the_bulk_file_and_updated_since_equals_the_roster(api, world):
    for n in range(30):
        RecruiterFactory(legal_name=f"Synced {n:02d} Ltd")
    export_roster()
    bulk = json.loads(_body(api.get(f"{BULK}.json")))
    copy = {record["number"]: record for record in bulk["recruiters"]}
    since = datetime.fromisoformat(bulk["made_at"])

    renamed, suspended, withdrawn, widened = Recruiter.objects.filter(
        legal_name__startswith="Synced"
    ).order_by("id")[:4]
    recruiter_update(recruiter=renamed, legal_name="Aaa Renamed Ltd")
    since = _follow(api, copy, since)
    recruiter_suspend(recruiter=suspended, reason="Under review.")
    recruiter_withdraw(recruiter=withdrawn, reason="Audit failed.")
    recruiter_update(recruiter=widened, sectors=[*widened.sectors.all(), sector("care")])
    recruiter_withdraw(recruiter=world["suspended"], reason="Audit failed.")
    since = _follow(api, copy, since)

    every = {}
    _follow(api, every, datetime(2000, 1, 1, tzinfo=UTC))
    assert copy == every
    assert copy[renamed.accreditation_number]["name"] == "Aaa Renamed Ltd"
    assert copy[suspended.accreditation_number]["standing"] == "suspended"
    assert copy[withdrawn.accreditation_number]["standing"] == "withdrawn"
    assert "care" in [s["code"] for s in copy[widened.accreditation_number]["sectors"]]


def test_the_bulk_file_is_written_daily_by_the_beat():
    tasks = {
        entry["task"]: entry["schedule"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert tasks["iris.tasks.export_roster"].total_seconds() <= 24 * 3600
