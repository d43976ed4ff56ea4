"""A new member of staff sets up the authenticator app from the emailed link, and types codes
as the app shows them ("123 456").

The link works until the app is confirmed with a code, so someone called away before typing
the code can open it again; once confirmed it is spent, and after 24 hours it has expired."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomuk import roles
from iomuk.accounts import enrolment_link_issue
from iomuk.models import User

from .conftest import email_to, link_in

PASSWORD = "set-up-journey-password"
CODE_LABEL = "6-digit code from your authenticator app"
ON_THE_DASHBOARD = re.compile(r"^https?://[^/]+/staff/$")


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user(
        "coordinator", email="coordinator@iom-uk.example", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


def _app_code(secret: str, *, drift: int = 0, spaced: str = "{} {}") -> str:
    """The code an authenticator app shows for the key, written as it shows it ("123 456")."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{totp(key, drift=drift):06d}"
    return spaced.format(code[:3], code[3:])


def _password(page, path: str) -> None:
    """Open `path` signed out: sign in with the password, and arrive where the link pointed."""
    page.goto(path)
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_set_up_link_left_unfinished_works_again_until_the_code_is_confirmed(
    new_page, coordinator
):
    first = new_page()
    _password(first, "/accounts/login/")
    first.get_by_role("button", name="Email me a new set-up link").click()
    first.get_by_text("We have sent a new set-up link").wait_for()
    link = link_in(email_to(coordinator.email, "account-set-up").body_text, "/accounts/set-up/")
    first.goto(link)
    first.get_by_text("Scan this QR code").wait_for()
    first.context.close()  # called away before typing a code

    # Later, on another browser: the same link still sets the app up.
    second = new_page()
    _password(second, link)
    second.get_by_text("Scan this QR code").wait_for()
    secret = second.locator("p", has_text="Key:").locator("code").inner_text()
    second.get_by_label(CODE_LABEL).press_sequentially(_app_code(secret))
    second.get_by_role("button", name="Continue").click()
    second.wait_for_url(ON_THE_DASHBOARD)
    assert TOTPDevice.objects.get(user=coordinator).confirmed

    # Once the app is confirmed, the link is spent, and says so plainly.
    third = new_page()
    _password(third, link)
    third.get_by_role("heading", name="This set-up link does not work").wait_for()
    assert "Scan this QR code" not in third.content()
    assert "Key:" not in third.locator("main").inner_text()


def test_a_set_up_link_older_than_a_day_is_refused(new_page, coordinator, monkeypatch):
    with monkeypatch.context() as earlier:
        yesterday = time.time() - 24 * 3600 - 60
        earlier.setattr(signing.time, "time", lambda: yesterday)
        link = enrolment_link_issue(user=coordinator)
    page = new_page()
    _password(page, link)
    page.get_by_role("heading", name="This set-up link does not work").wait_for()
    assert "Scan this QR code" not in page.content()


@pytest.mark.parametrize("spaced", ["{} {}", "{}-{}", "{}{} ", " {} {} "])
def test_a_sign_in_code_is_accepted_as_the_app_shows_it(new_page, coordinator, spaced):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    page = new_page()
    _password(page, "/accounts/login/")
    page.get_by_role("heading", name="Enter your sign-in code").wait_for()
    page.get_by_label(CODE_LABEL).press_sequentially(_app_code(secret, spaced=spaced))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(ON_THE_DASHBOARD)
