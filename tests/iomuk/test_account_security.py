"""Issue 17: what a phished password, a stolen session or an odd byte can and cannot do."""

import time

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomuk import roles

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user("coord", email="coord@iom-uk.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


def _sign_in(client, username="coord", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _pass_second_factor(client, user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post("/accounts/second-factor/", {"code": _code(device)})
    assert response.status_code == 302
    return device


# --- A password alone changes nothing --------------------------------------------------------


def test_a_phished_password_cannot_change_the_password(client, coordinator):
    _sign_in(client)
    page = client.get("/accounts/password_change/")
    assert page.status_code == 302 and page.url.startswith("/accounts/second-factor/")
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "an-attackers-new-password-1",
            "new_password2": "an-attackers-new-password-1",
        },
    )
    assert response.status_code == 302 and response.url.startswith("/accounts/second-factor/")
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_the_password_change_opens_once_the_second_factor_is_passed(client, coordinator):
    _sign_in(client)
    _pass_second_factor(client, coordinator)
    assert client.get("/accounts/password_change/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/second-factor/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_the_sign_in_and_reset_pages_stay_open_before_the_second_factor(client, coordinator, path):
    _sign_in(client)
    response = client.get(path)
    assert not (response.status_code == 302 and "second-factor" in response.url)


def test_sign_out_works_before_the_second_factor(client, coordinator):
    _sign_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session


# --- Sessions ---------------------------------------------------------------------------------


def test_passing_the_second_factor_issues_a_new_session_id(client, coordinator):
    _sign_in(client)
    before = client.session.session_key
    _pass_second_factor(client, coordinator)
    after = client.session.session_key
    assert after != before
    # The id an onlooker saw before the second step opens nothing now.
    thief = Client()
    thief.cookies["sessionid"] = before
    assert thief.get("/staff/").status_code == 302


def test_a_session_idle_for_half_an_hour_is_over(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_busy_session_ends_after_twelve_hours(client, coordinator, monkeypatch):
    _sign_in(client)
    _pass_second_factor(client, coordinator)
    assert client.get("/staff/").status_code == 200
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 12 * 3600 + 1)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_expired_sessions_are_cleared_on_a_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "iomuk.tasks.clear_expired_sessions" in schedule


def test_the_scheduled_clearing_removes_expired_sessions(db):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from iomuk.tasks import clear_expired_sessions

    old = SessionStore()
    old.set_expiry(-1)
    old["x"] = 1
    old.save()
    live = SessionStore()
    live["x"] = 1
    live.save()
    clear_expired_sessions()
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert old.session_key not in keys and live.session_key in keys


# --- Odd bytes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/iris/recruiters/?q=abc%00def", "/training/?region=%00", "/iris/verify/?number=IRIS%00"],
)
def test_a_nul_byte_in_a_query_gets_the_plain_400_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "<main" in response.content.decode()


@pytest.mark.parametrize("path", ["/iris/recruiters/abc%00/", "/training/certificates/ABC%00/"])
def test_a_nul_byte_in_a_path_names_no_page(client, db, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_a_form_is_explained_beside_the_field(client, db):
    response = client.post("/iris/complaints/track/", {"reference": "A\x00", "code": "B\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 200


# --- Pages that carry a secret or personal data are never stored by a browser or proxy --------


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_an_attendees_booking_page_is_not_stored(client, db):
    from tests.training.factories import BookingFactory

    booking = BookingFactory()
    response = client.get(f"/training/bookings/{booking.token}/")
    assert response.status_code == 200 and _no_store(response)


def test_a_complaints_tracking_status_is_not_stored(client, db):
    from tests.iris.factories import ComplaintFactory

    ComplaintFactory(reference="IRIS-C-4H8M2P", stage="under_review")
    response = client.post(
        "/iris/complaints/track/", {"reference": "IRIS-C-4H8M2P", "code": "ABCD-EFGH-JKMN"}
    )
    assert "Under review" in response.content.decode() and _no_store(response)


def test_a_staff_csv_export_is_not_stored(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/staff/session-fill.csv")
    assert response.status_code == 200 and _no_store(response)


def test_a_sign_in_page_is_not_stored(client, db):
    assert _no_store(client.get("/accounts/login/"))


def test_static_files_keep_their_long_cache(client, db):
    from django.templatetags.static import static

    response = client.get(static("css/site.css"))
    assert response.status_code == 200 and not _no_store(response)
