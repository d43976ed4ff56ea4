"""Staff sign-in: password, then a second factor; limits on failures; reset; sign-out elsewhere."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomuk import roles

from .conftest import PASSWORD


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


def test_first_sign_in_enrols_an_authenticator_then_opens_the_workspace(client, coordinator):
    _sign_in(client)
    page = client.get("/accounts/second-factor/")
    assert "Set up your second sign-in step" in page.content.decode()
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    response = client.post("/accounts/second-factor/", {"code": _code(device), "next": "/staff/"})
    assert response.status_code == 302 and response.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_with_a_message(client, coordinator):
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
