"""Journey 5: staff sign in with a password and an authenticator code and see their charts."""

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomuk.models import User

PASSWORD = "demo-password-for-the-journey"
# username, panels that must be drawn, a panel of another team that must not be
JOURNEYS = [
    ("coordinator", ["session-fill", "attendance"], "cases-by-country"),
    ("casemanager", ["cases-by-country", "overdue-plan-items"], "complaints-by-month"),
    ("irisofficer", ["overdue-complaints", "expiring-accreditations"], "session-fill"),
]


@pytest.fixture
def demo_world(live_server, settings):
    """Seeded once for every person's sign-in below: the seed takes a while. (The roles and
    reference lists are there already: each committing test starts from the migrated data.)"""
    settings.DEMO_PASSWORD = PASSWORD
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _sign_in(page, username: str, lands_on: str = "**/staff/") -> None:
    device = TOTPDevice.objects.create(
        user=User.objects.get(username=username), name="phone", confirmed=True
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/second-factor/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("6-digit code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lands_on)


def test_staff_see_their_teams_charts_and_a_partner_referrer_their_referrals(
    new_page, demo_world, assert_accessible, screenshot
):
    for username, panels, other_team in JOURNEYS:
        page = new_page()  # a browser of each person's own
        errors = []
        page.on(
            "console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text)
        )
        _sign_in(page, username)

        assert page.get_by_role("heading", name="Staff workspace", level=1).is_visible()
        for slug in panels:
            panel = page.locator(f"[data-panel={slug}]")
            title = panel.get_by_role("heading", level=3).inner_text()
            # The chart is an image named by its title (and described), with bars drawn in it.
            chart = panel.get_by_role("img", name=title)
            assert chart.count() == 1 and chart.is_visible(), (username, slug)
            assert chart.locator("rect").count() > 0, (username, slug)
            assert panel.get_by_role("table").is_visible(), (username, slug)
        assert page.locator(f"[data-panel={other_team}]").count() == 0, username

        assert_accessible(page)
        assert errors == [], f"{username}: console errors (often a CSP violation): {errors}"
        screenshot(page, f"journey-5-staff-dashboard-{username}")

    # A partner referrer lands on their referrals, not the workspace.
    page = new_page()
    _sign_in(page, "referrer", lands_on="**/returns/referrals/")
    assert page.locator("[data-panel]").count() == 0
