"""After the return, in Chromium with a frozen clock: a caseworker records the person's consent
to follow-up calls and the departure; on its due date the 3-month follow-up is in her queue; she
records the survey; the case page shows the scores; the referrer, who asked to be emailed, sees
"followed up" and was emailed once; withdrawing the consent cancels the 6- and 12-month ones."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import OutboxMessage, User
from returns.models import Stage, SurveyIndicator
from tests.returns.factories import ReturnCaseFactory

PASSWORD = "a-long-test-password-for-staff"
DEPARTURE_DAY = dt.datetime(2031, 1, 15, 10, 0, tzinfo=dt.UTC)


def account(username: str, role: str, email: str) -> User:
    user = User.objects.create_user(
        username, email=email, password=PASSWORD, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def frozen():
    """The clock the portal reads (timezone.now, and localdate through it), set by the test."""
    with mock.patch("django.utils.timezone.now", return_value=DEPARTURE_DAY) as now:

        def set_to(moment: dt.datetime) -> None:
            now.return_value = moment

        yield set_to


def test_a_follow_up_from_departure_to_the_referrers_page(
    page, new_page, sign_in, settings, frozen, assert_accessible, screenshot
):
    # Months pass between the steps; the idle timeout would sign everyone out meanwhile.
    settings.SESSION_COOKIE_AGE = 3 * 365 * 24 * 3600
    caseworker = account("caseworker", roles.CASEWORKERS, "caseworker@iom-uk.example")
    referrer = account("referrer", roles.PARTNER_REFERRERS, "referrer@partner.example")
    case = ReturnCaseFactory(
        assigned_caseworker=caseworker, referred_by=referrer, stage=Stage.TRAVEL_ARRANGED
    )
    case_url = f"/returns/cases/{case.reference}/"

    # The referrer asks to be emailed when the outcome changes.
    partner = new_page()
    sign_in(partner, "referrer", PASSWORD, next_path=f"/returns/referrals/{case.reference}/")
    partner.get_by_role("button", name="Email me when the outcome changes").click()
    partner.get_by_text("We will email you when the outcome of this referral changes.").wait_for()

    # The caseworker records the consent to follow-up calls, then the departure.
    sign_in(page, "caseworker", PASSWORD, next_path=case_url)
    page.get_by_text("Record a consent").click()
    page.get_by_label("Purpose").select_option(label="Follow-up calls")
    page.get_by_label("Partner").fill("IOM Romania")
    page.get_by_label("Wording shown to the person").fill(
        "IOM may call you after you go home to ask how you are."
    )
    page.get_by_label("Date given").fill("2031-01-15")
    page.get_by_role("button", name="Record the consent").click()
    page.get_by_text("The consent is recorded.").wait_for()
    page.get_by_label("Why move it to “Departed”?").fill("Flew from Luton this morning.")
    page.get_by_role("button", name="Move to Departed").click()
    page.get_by_text("The case is now at: Departed.").wait_for()

    # A week before it is due the follow-up is not in her queue yet; on its due date it is.
    frozen(dt.datetime(2031, 4, 7, 9, 0, tzinfo=dt.UTC))
    page.goto("/returns/follow-ups/")
    assert case.reference not in page.get_by_role("region", name="Due this week").inner_text()
    frozen(dt.datetime(2031, 4, 15, 9, 0, tzinfo=dt.UTC))
    page.goto("/returns/follow-ups/")
    week = page.get_by_role("region", name="Due this week")
    link = week.get_by_role("link", name=f"Record the 3-month follow-up of {case.reference}")
    assert_accessible(page)
    link.click()

    # She reached the person by phone: the worst economic answers, the best of the others.
    page.get_by_label("Phone call").check()
    for indicator in SurveyIndicator.objects.all():
        answer = indicator.scale[0] if indicator.dimension == "economic" else indicator.scale[-1]
        page.get_by_label(indicator.question).select_option(label=answer)
    page.get_by_label("Labour market orientation").check()
    page.get_by_role("button", name="Record the follow-up").click()
    page.get_by_text("The follow-up is recorded.").wait_for()

    # The case page shows each dimension's score, in a chart and in the table beside it.
    section = page.get_by_role("region", name="Follow-ups after the return")
    assert section.locator("svg title", has_text="Reintegration scores").count() == 1
    row = section.get_by_role("row").filter(has=page.get_by_role("rowheader", name="3 months"))
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[2:6] == ["0", "100", "100", "67"]
    assert "Labour market orientation" in cells[6]
    screenshot(page, "returns-follow-up-scores")

    # The referrer's page says "followed up", with no score; the email went out once.
    partner.reload()
    outcome = partner.get_by_role("main").inner_text()
    assert "Followed up in April 2031: the person was reached." in outcome
    assert "Travelled in January 2031." in outcome
    for word in ("Economic", "100", "score"):
        assert word not in outcome
    emails = [
        m
        for m in OutboxMessage.objects.filter(template="returns-referral-outcome")
        if m.to == referrer.email
    ]
    assert len(emails) == 1

    # The person withdraws consent to follow-up calls: the 6- and 12-month ones are cancelled.
    page.get_by_role("button", name="Record withdrawal: Follow-up calls, IOM Romania").click()
    page.get_by_text("The withdrawal of consent is recorded.").wait_for()
    section = page.get_by_role("region", name="Follow-ups after the return")
    for months in (6, 12):
        row = section.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=f"{months} months", exact=True)
        )
        assert row.get_by_role("cell").all_inner_texts()[1] == "Cancelled"
    assert dict(case.follow_ups.values_list("months", "state")) == {
        3: "done",
        6: "cancelled",
        12: "cancelled",
    }
    assert (
        "Not agreed: Follow-up calls"
        in page.get_by_role("region", name="Consent to share").inner_text()
    )
    assert_accessible(page)
