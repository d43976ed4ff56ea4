"""Every curl line in the README's API section, run against the demo world: a partner who
copies one gets the answer the README promises."""

import io
import re
import shlex
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from iris.models import Recruiter
from iris.recruiters.services import api_key_issue
from tests.conftest import ROOT

DEMO_NUMBER = re.compile(r"IRIS-A-(\d{6})")


def _curl_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## API for partners", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("curl ")]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module (the seed takes seconds), and rolled back after it. Returns
    what to add to a README number: the README's are those of a fresh database, where the demo's
    first recruiter has id 1; here ids may start later (sequences are not reset between tests)."""
    storages = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": tmp_path_factory.mktemp("demo-files")},
        },
    }
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_PASSWORD="demo-pass-for-tests", STORAGES=storages),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield Recruiter.objects.order_by("pk").values_list("pk", flat=True).first() - 1
        transaction.set_rollback(True)


@pytest.fixture
def demo(db, demo_world, settings):
    settings.API_CLIENT_LIMIT = (1000, 60)
    return demo_world


def _request(line: str, offset: int, token: str) -> tuple[str, dict, dict]:
    words = shlex.split(line)[1:]
    headers, url = {}, None
    while words:
        word = words.pop(0)
        if word == "-H":
            name, value = words.pop(0).split(": ", 1)
            headers["HTTP_" + name.upper().replace("-", "_")] = value.replace("<key>", token)
        elif word == "-o":
            words.pop(0)
        elif not word.startswith("-"):
            url = word
    url = DEMO_NUMBER.sub(lambda m: f"IRIS-A-{int(m.group(1)) + offset:06d}", url)
    address = urlsplit(url)
    return address.path + ("?" + address.query if address.query else ""), headers


def test_the_readme_names_numbers_the_demo_world_has(demo):
    lines = _curl_lines()
    assert len(lines) >= 10
    assert "IRIS-A-000123" not in "\n".join(lines)
    assert "cursor=" not in "\n".join(lines), "a cursor is followed, never written by hand"


@pytest.mark.parametrize("line", _curl_lines())
def test_every_curl_line_in_the_readme_answers_as_it_says(demo, line):
    _, token = api_key_issue(name="README partner")
    path, headers = _request(line, demo, token)
    client = Client()
    if "<etag>" in line:
        etag = client.get(path)["ETag"]
        headers["HTTP_IF_NONE_MATCH"] = etag
        assert client.get(path, **headers).status_code == 304
        return
    response = client.get(path, **headers)
    assert response.status_code == 200, (line, response.status_code)
    if "/bulk/" in path:
        assert b"IRIS-A-" in b"".join(response.streaming_content)
        return
    body = response.json()
    if "results" in body:
        assert body["results"], f"{line} finds no one in the demo world"
    if "q=wroclaw" in path:
        assert body["results"][0]["name"] == "Demo Praca Wrocław Sp. z o.o."
    if "standing=expired" in path:
        assert [r["standing"] for r in body["results"]] == ["expired"]
    if "/verify/" in path:
        assert body["answer"] == "suspended"
    if "/contacts/check/" in path:
        assert body["answer"] == ("warning" if "brasov" in path else "authorised")
        assert body["recruiter"]["name"].startswith("Demo")
    if path.endswith(f"/recruiters/IRIS-A-{1 + demo:06d}/"):
        assert body["standing"] == "accredited"
