"""A partner keeps a copy of the register: every standing, when each record changed, and pages
by a key that does not move while names change."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from iris.recruiters.services import recruiter_update, recruiter_withdraw
from tests.iris.factories import RecruiterFactory

URL = "/api/v1/recruiters/"
EVERY_STANDING = "accredited,suspended,expired,withdrawn"


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [recruiter["number"] for recruiter in response.json()["results"]]


def test_each_record_says_when_it_last_changed(api, settled):
    recruiter = settled["accredited"]
    body = api.get(f"{URL}IRIS-A-000101/").json()
    recruiter.refresh_from_db()
    assert body["updated_at"] == recruiter.updated_at.isoformat().replace("+00:00", "Z")
    assert "updated_at" in api.get(URL).json()["results"][0]


def test_the_standing_filter_can_include_expired_and_withdrawn(api, world):
    assert _numbers(api.get(URL)) == ["IRIS-A-000101", "IRIS-A-000102"]
    assert _numbers(api.get(URL, {"standing": EVERY_STANDING})) == [
        "IRIS-A-000101",
        "IRIS-A-000102",
        "IRIS-A-000103",
        "IRIS-A-000104",
    ]
    assert _numbers(api.get(URL, {"standing": "expired"})) == ["IRIS-A-000104"]
    assert _numbers(api.get(URL, {"standing": "withdrawn,suspended"})) == [
        "IRIS-A-000102",
        "IRIS-A-000103",
    ]


@pytest.mark.parametrize("standing", ["applicant", "valid", "accredited,,", "ACCREDITED;1", ""])
def test_an_unknown_standing_is_a_bad_request(api, world, standing):
    response = api.get(URL, {"standing": standing})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["standing"]


def test_updated_since_lists_only_what_changed_since(api, settled):
    since = timezone.now()
    recruiter_withdraw(recruiter=settled["suspended"], reason="Audit failed.")
    recruiter_update(recruiter=settled["accredited"], legal_name="Agencja Pracy Opole")
    changed = api.get(URL, {"updated_since": since.isoformat(), "standing": EVERY_STANDING})
    assert _numbers(changed) == ["IRIS-A-000101", "IRIS-A-000102"]
    assert changed.json()["results"][1]["standing"] == "withdrawn"
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert _numbers(api.get(URL, {"updated_since": later, "standing": EVERY_STANDING})) == []


@pytest.mark.parametrize("since", ["yesterday", ""])
def test_a_malformed_updated_since_is_a_bad_request(api, world, since):
    response = api.get(URL, {"updated_since": since})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_pages_hold_while_a_recruiter_is_renamed_mid_sync(api, db):
    made = [RecruiterFactory(legal_name=f"Recruiter {n:02d} Ltd") for n in range(30)]
    first = api.get(URL, {"page_size": 10}).json()
    # Between two pages, a recruiter already read is renamed to sort last by name.
    recruiter_update(recruiter=made[0], legal_name="Zzz Renamed Ltd")
    seen = [r["number"] for r in first["results"]]
    url = first["next"]
    while url:
        body = api.get(url).json()
        seen += [r["number"] for r in body["results"]]
        url = body["next"]
    assert seen == [r.accreditation_number for r in made]


def test_page_size_is_accepted_up_to_its_stated_maximum(api, db):
    for n in range(120):
        RecruiterFactory(legal_name=f"Sized {n:03d} Ltd")
    assert len(api.get(URL, {"page_size": 5}).json()["results"]) == 5
    assert len(api.get(URL, {"page_size": 100}).json()["results"]) == 100
    too_many = api.get(URL, {"page_size": 101})
    assert too_many.status_code == 400
    assert "100" in too_many.json()["errors"]["page_size"][0]


def test_an_answer_carries_link_headers_and_the_total_count(api, db):
    for n in range(25):
        RecruiterFactory(legal_name=f"Linked {n:02d} Ltd")
    first = api.get(URL, {"page_size": 10})
    body = first.json()
    assert body["count"] == 25
    assert f'<{body["next"]}>; rel="next"' in first["Link"]
    assert 'rel="prev"' not in first["Link"]
    second = api.get(urlsplit(body["next"]).path + "?" + urlsplit(body["next"]).query)
    assert second.json()["count"] == 25
    assert f'<{second.json()["previous"]}>; rel="prev"' in second["Link"]
    assert f'<{second.json()["next"]}>; rel="next"' in second["Link"]


def test_names_sort_with_accented_letters_in_their_place(api, db):
    for name in ("Zephyr Ltd", "Ábel Kft.", "Czech Works s.r.o.", "Émile SARL", "Baker Ltd"):
        RecruiterFactory(legal_name=name)
    names = [r["name"] for r in api.get(URL, {"order": "name"}).json()["results"]]
    assert names == ["Ábel Kft.", "Baker Ltd", "Czech Works s.r.o.", "Émile SARL", "Zephyr Ltd"]


def test_a_renamed_recruiter_moves_its_updated_at(api, settled):
    before = api.get(f"{URL}IRIS-A-000102/").json()["updated_at"]
    recruiter_update(recruiter=settled["suspended"], legal_name="Munka Kft.")
    assert api.get(f"{URL}IRIS-A-000102/").json()["updated_at"] > before
