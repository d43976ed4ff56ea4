"""Registered partners get a key in the admin: shown once, stored hashed, revocable."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomuk.models import User
from iris.models import ApiKey
from iris.recruiters.services import api_key_issue, api_key_revoke

URL = "/api/v1/recruiters/"


@pytest.fixture
def admin_client(db):
    admin = User.objects.create_superuser("root", "root@example.org", "root-pass-1234567")
    client = Client()
    client.force_login(admin)
    return client


def _partner(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_administrator_issues_a_key_and_sees_it_once(admin_client):
    response = admin_client.post(
        "/admin/iris/apikey/add/", {"name": "Job board Romania"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    shown = re.search(
        r"shown only this once: <code>(iris_[0-9a-f]{6}_[A-Za-z0-9_-]{43})</code>", page
    )
    assert shown, "the new key is not shown"
    token = shown.group(1)
    key = ApiKey.objects.get(name="Job board Romania")
    # Stored hashed: the key itself is nowhere in the row.
    assert key.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    # Never shown again.
    change = admin_client.get(f"/admin/iris/apikey/{key.pk}/change/").content.decode()
    assert token not in change
    assert _partner(token).get(URL).status_code == 200


def test_an_administrator_revokes_a_key_and_it_is_refused(admin_client):
    key, token = api_key_issue(name="NGO Bulgaria")
    assert _partner(token).get(URL).status_code == 200
    admin_client.post(
        "/admin/iris/apikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    response = _partner(token).get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "This API key is unknown or was revoked."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_key_is_refused_not_treated_as_anonymous(db):
    response = _partner("made-up-key").get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_revoking_twice_keeps_the_first_date(db):
    key, _ = api_key_issue(name="Twice")
    first = api_key_revoke(key=key).revoked_at
    assert api_key_revoke(key=key).revoked_at == first


def test_a_keyed_partner_gets_a_higher_rate_than_an_anonymous_client(db, settings):
    settings.API_CLIENT_LIMIT = (3, 60)
    settings.API_KEY_LIMIT = (6, 60)
    _, token = api_key_issue(name="Busy partner")
    anonymous, partner = Client(), _partner(token)
    assert [anonymous.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [partner.get(URL).status_code for _ in range(7)] == [200] * 6 + [429]


def test_two_keys_behind_one_address_do_not_share_a_bucket(db, settings):
    settings.API_KEY_LIMIT = (2, 60)
    _, one = api_key_issue(name="One")
    _, two = api_key_issue(name="Two")
    assert [_partner(one).get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert _partner(two).get(URL).status_code == 200


def test_a_key_shows_its_prefix_and_the_admin_lists_it_with_its_last_use(admin_client):
    response = admin_client.post("/admin/iris/apikey/add/", {"name": "NGO Czechia"}, follow=True)
    token = re.search(r"<code>(iris_\w+_[\w-]+)</code>", response.content.decode()).group(1)
    prefix = token.split("_")[1]
    assert f"<code>{prefix}</code>" in response.content.decode()
    listed = admin_client.get("/admin/iris/apikey/").content.decode()
    assert prefix in listed
    assert token.split("_", 2)[2] not in listed  # the secret part, never
    before = re.search(r'<td class="field-last_used_at[^"]*">([^<]*)</td>', listed).group(1)
    assert before == "-"
    assert _partner(token).get(URL).status_code == 200
    listed = admin_client.get("/admin/iris/apikey/").content.decode()
    used = re.search(r'<td class="field-last_used_at[^"]*">([^<]*)</td>', listed).group(1)
    assert used != "-", "the key's use is not shown"


def test_a_key_s_use_is_written_down_at_most_once_an_hour(db):
    key, token = api_key_issue(name="Busy board")
    partner = _partner(token)
    partner.get(URL)
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
    keys = ApiKey.objects.filter(pk=key.pk)
    recently = timezone.now() - timedelta(minutes=59)
    keys.update(last_used_at=recently)
    partner.get(URL)
    assert keys.get().last_used_at == recently, "written again within the hour"
    an_hour_ago = timezone.now() - timedelta(minutes=61)
    keys.update(last_used_at=an_hour_ago)
    partner.get(URL)
    assert keys.get().last_used_at > recently


def test_a_key_s_second_request_within_the_hour_writes_nothing(db):
    _, token = api_key_issue(name="Quiet board")
    partner = _partner(token)
    partner.get(URL)
    with CaptureQueriesContext(connection) as queries:
        partner.get(URL)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
