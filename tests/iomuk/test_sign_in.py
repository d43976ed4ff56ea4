"""Staff sign-in: password, then a second factor set up through a one-time link; limits on
failures; reset; sign-out elsewhere."""

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomuk import roles
from iomuk.models import User

from .conftest import PASSWORD


@pytest.fixture(autouse=True)
def _private_throttle_cache(private_cache):
    """Counters of this test's own (set-up links are counted per account id)."""


def _sign_in(client, username="coord", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _main(response):
    """The page's main content (the header differs only by its CSRF token)."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_password_alone_opens_no_staff_page(client, coordinator):
    _sign_in(client)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/second-factor/")


def test_the_admin_also_needs_the_second_factor(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    _sign_in(client)
    response = client.get("/admin/")
    assert response.url.startswith("/accounts/second-factor/")


def _set_up_link(django_capture_on_commit_callbacks, client):
    """Ask for a set-up link from the page a new account sees; return its path from the email."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/set-up-link/", follow=True)
    assert "We have sent a new set-up link" in response.content.decode()
    assert mail.outbox[-1].subject == "Set up your IOM UK portal sign-in"
    link = re.search(r"https?://[^\s]+/accounts/set-up/[^\s]+/", mail.outbox[-1].body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_a_password_alone_cannot_set_up_an_authenticator(client, coordinator):
    # Someone who learnt the password of an account with no authenticator yet signs in first.
    _sign_in(client)
    page = client.get("/accounts/second-factor/").content.decode()
    assert "open the set-up link we emailed to you" in page
    assert "data:image/svg+xml" not in page and "Key:" not in page
    assert client.post("/accounts/second-factor/", {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert client.get("/staff/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_through_the_emailed_link(
    client, coordinator, django_capture_on_commit_callbacks
):
    _sign_in(client)
    path = _set_up_link(django_capture_on_commit_callbacks, client)
    page = client.get(path, follow=True)
    assert "Scan this QR code" in page.content.decode()
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    response = client.post("/accounts/second-factor/", {"code": _code(device), "next": "/staff/"})
    assert response.status_code == 302 and response.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_set_up_link_works_until_the_app_is_confirmed_and_then_never(
    client, coordinator, django_capture_on_commit_callbacks
):
    _sign_in(client)
    path = _set_up_link(django_capture_on_commit_callbacks, client)
    first = client.get(path, follow=True).content.decode()
    other = Client()
    _sign_in(other)  # the same person later, on another browser, before typing a code
    again = other.get(path, follow=True).content.decode()
    key = re.search(r'<code class="fs-5">(\w+)</code>', first).group(1)
    assert key in again  # the same key: an app that scanned the first page still works
    device = TOTPDevice.objects.get(user=coordinator)
    response = other.post("/accounts/second-factor/", {"code": _code(device)})
    assert response.status_code == 302
    spent = Client()
    _sign_in(spent)
    refused = spent.get(path)
    assert refused.status_code == 404
    assert "This set-up link does not work" in refused.content.decode()
    assert "data:image/svg+xml" not in spent.get("/accounts/second-factor/").content.decode()


def test_a_set_up_link_expires_after_a_day(
    client, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    _sign_in(client)
    path = _set_up_link(django_capture_on_commit_callbacks, client)
    later = time.time() + 24 * 3600 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    _sign_in(client)  # a day later the first session has ended too (12 hours at most)
    assert client.get(path).status_code == 404


def test_a_set_up_link_opens_only_for_its_own_account(
    client, coordinator, django_capture_on_commit_callbacks
):
    _sign_in(client)
    path = _set_up_link(django_capture_on_commit_callbacks, client)
    User.objects.create_user("intruder", email="i@example.org", password=PASSWORD)
    intruder = Client()
    _sign_in(intruder, username="intruder")
    assert intruder.get(path).status_code == 404
    assert client.get(path).status_code == 302  # still good for its own account


def test_a_signed_out_person_opening_the_link_signs_in_first(
    client, coordinator, django_capture_on_commit_callbacks
):
    _sign_in(client)
    path = _set_up_link(django_capture_on_commit_callbacks, client)
    fresh = Client()
    response = fresh.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    fresh.post(response.url, {"username": "coord", "password": PASSWORD})
    assert "Scan this QR code" in fresh.get(path, follow=True).content.decode()


def test_asking_for_set_up_links_is_limited(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SET_UP_LINK_LIMIT = (3, 3600)
    _sign_in(client)
    for _ in range(3):
        _set_up_link(django_capture_on_commit_callbacks, client)
    assert client.post("/accounts/set-up-link/").status_code == 429
    assert len(mail.outbox) == 3


def test_an_administrator_sends_a_set_up_link_from_the_admin(
    client, coordinator, django_capture_on_commit_callbacks
):
    admin_user = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/iomuk/user/",
            {"action": "send_set_up_link", "_selected_action": [coordinator.pk]},
            follow=True,
        )
    assert "1 set-up link(s) sent by email." in response.content.decode()
    assert mail.outbox[-1].to == ["coord@iom-uk.example"]
    assert "coord" not in mail.outbox[-1].subject


def test_a_wrong_code_is_refused_with_a_message(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    _sign_in(client)
    client.get("/accounts/second-factor/")
    response = client.post("/accounts/second-factor/", {"code": "000000"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "That code is not right" in body
    assert "<title>Error:" in body
    assert client.get("/staff/").status_code == 302


def test_a_later_sign_in_asks_for_a_code_not_a_new_enrolment(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    _sign_in(client)
    page = client.get("/accounts/second-factor/").content.decode()
    assert "Enter your sign-in code" in page
    assert "data:image/svg+xml" not in page
    client.post("/accounts/second-factor/", {"code": _code(device)})
    assert client.get("/staff/").status_code == 200


def test_the_second_factor_ignores_a_next_address_on_another_site(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    _sign_in(client)
    response = client.post(
        "/accounts/second-factor/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/staff/"


def test_repeated_failures_pause_sign_in_without_saying_whether_the_account_exists(coordinator):
    known, unknown = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.11")
    for _ in range(5):
        _sign_in(known, password="wrong-password")
        _sign_in(unknown, username="nobody-here", password="wrong-password")
    locked_known = _sign_in(known)  # even the right password is refused while paused
    locked_unknown = _sign_in(unknown, username="nobody-here")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert "Sign-in paused" in locked_known.content.decode()
    assert _main(locked_known) == _main(locked_unknown)


@pytest.fixture
def colleague(db):
    user = User.objects.create_user("colleague", email="col@iom-uk.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


def test_one_persons_wrong_passwords_do_not_lock_out_a_colleague_at_the_same_office(
    coordinator, colleague
):
    office = Client(REMOTE_ADDR="192.0.2.30")
    for _ in range(5):
        _sign_in(office, password="wrong-password")
    assert _sign_in(office).status_code == 429  # that account, from that address, is paused
    colleague_at_office = Client(REMOTE_ADDR="192.0.2.30")
    signed_in = _sign_in(colleague_at_office, username="colleague")
    assert signed_in.status_code == 302 and signed_in.url == "/staff/"


def test_the_same_account_from_another_address_can_still_sign_in(coordinator):
    office = Client(REMOTE_ADDR="192.0.2.31")
    for _ in range(5):
        _sign_in(office, password="wrong-password")
    at_home = Client(REMOTE_ADDR="198.51.100.31")
    signed_in = _sign_in(at_home)
    assert signed_in.status_code == 302 and signed_in.url == "/staff/"


def test_one_address_may_fail_many_more_times_than_one_account(settings):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.AXES_FAILURE_LIMIT == 5


def test_guessing_many_accounts_from_one_address_is_still_paused(coordinator, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 12  # 50 by default; each wrong password is slow
    spray = Client(REMOTE_ADDR="192.0.2.32")
    for n in range(11):
        assert _sign_in(spray, username=f"guess-{n}", password="wrong-password").status_code == 200
    assert _sign_in(spray, username="guess-11", password="wrong-password").status_code == 429
    assert _sign_in(spray).status_code == 429  # even the right password, from that address
    assert "Sign-in paused" in _sign_in(spray, username="guess-99").content.decode()
    assert _sign_in(Client(REMOTE_ADDR="192.0.2.33")).status_code == 302


def test_a_wrong_password_says_how_many_tries_are_left(client, coordinator):
    for left in (4, 3, 2):
        page = _main(_sign_in(client, password="wrong-password"))
        assert f"{left} tries left before sign-in pauses for an hour." in page
    page = _main(_sign_in(client, password="wrong-password"))
    assert "1 try left before sign-in pauses for an hour." in page


def test_the_tries_left_read_the_same_whether_or_not_the_account_exists(coordinator):
    known, unknown = Client(REMOTE_ADDR="192.0.2.34"), Client(REMOTE_ADDR="192.0.2.35")
    for _ in range(3):
        seen_known = _sign_in(known, password="wrong-password")
        seen_unknown = _sign_in(unknown, username="nobody-here", password="wrong-password")
    known_page, unknown_page = _main(seen_known), _main(seen_unknown)
    assert "2 tries left" in known_page
    assert _without_csrf(known_page).replace("coord", "nobody-here") == _without_csrf(unknown_page)


def test_the_tries_left_count_the_addresss_own_limit_when_it_is_nearer(coordinator, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    spray = Client(REMOTE_ADDR="192.0.2.36")
    for n in range(4):
        _sign_in(spray, username=f"guess-{n}", password="wrong-password")
    page = _main(_sign_in(spray, password="wrong-password"))
    assert "1 try left before sign-in pauses for an hour." in page


def test_a_wrong_password_gets_a_plain_message(client, coordinator):
    response = _sign_in(client, password="wrong-password")
    assert response.status_code == 200
    # Once, in the error summary at the top: not again above the form.
    assert _main(response).count("Please enter a correct username and password") == 1


def test_password_reset_sends_a_link_that_works_once(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "coord@iom-uk.example"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your IOM UK portal password"
    link = re.search(r"https?://[^\s]+/accounts/reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(f"/{path}", follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "a-brand-new-long-password"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert "expired" in client.get(f"/{path}", follow=True).content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.url == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_changing_the_password_signs_out_every_other_session(coordinator):
    laptop, phone = Client(), Client()
    laptop.force_login(coordinator)
    phone.force_login(coordinator)
    new = "another-long-password-9"
    laptop.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert laptop.get("/staff/").status_code == 200
    assert phone.get("/staff/").status_code == 302


def test_an_idle_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_the_suite_hashes_with_md5_but_the_portal_does_not(client, db, production_password_hashers):
    from django.contrib.auth.hashers import get_hasher

    # The portal's own list (the settings module, not the test run's override).
    assert production_password_hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "MD5" not in " ".join(production_password_hashers)
    user = User.objects.create_user("real-hash", password=PASSWORD, is_staff=True)
    assert user.password.startswith(f"{get_hasher().algorithm}$")
    assert get_hasher().algorithm == "pbkdf2_sha256"
    # Signing in through the real form works with it.
    assert _sign_in(client, "real-hash").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_suite_itself_uses_the_fast_hasher(db):
    assert User.objects.create_user("fast", password=PASSWORD).password.startswith("md5$")
