"""A partner referrer sees what became of a referral in plain words (never a score or an
answer), and may choose to be emailed when it changes."""

import datetime as dt

import pytest
from django.urls import reverse

from iomuk.models import OutboxMessage
from returns import services
from returns.models import CaseConsent, Stage, SurveyIndicator

from .factories import ReturnCaseFactory
from .test_follow_ups import DEPARTED, _consent, _depart, clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(client, caseworker, referrer):
    case = ReturnCaseFactory(
        assigned_caseworker=caseworker, referred_by=referrer, stage=Stage.TRAVEL_ARRANGED
    )
    with clock(DEPARTED):
        _consent(case, caseworker)
        client.force_login(caseworker)
        _depart(client, case)
    client.logout()
    return case


def _record(case, contact="phone"):
    indicators = SurveyIndicator.objects.all()
    with clock(dt.datetime(2031, 4, 16, 9, 0, tzinfo=dt.UTC)):
        services.follow_up_record(
            follow_up=case.follow_ups.get(months=3),
            by=case.assigned_caseworker,
            contact=contact,
            answers={} if contact == "not_reached" else {i.pk: 1 for i in indicators},
            support=[],
        )


def _page(client, case) -> str:
    return client.get(reverse("returns:referral-detail", args=[case.reference])).content.decode()


def test_the_referrer_sees_accepted_travelled_and_followed_up_in_plain_words(
    client, departed, referrer
):
    _record(departed)
    client.force_login(referrer)
    page = _page(client, departed)
    assert "Accepted: the return was approved." in page
    assert "Travelled in January 2031." in page
    assert "Followed up in April 2031: the person was reached." in page


def test_a_follow_up_that_did_not_reach_the_person_says_so(client, departed, referrer):
    _record(departed, contact="not_reached")
    client.force_login(referrer)
    assert "Followed up in April 2031: the person could not be reached." in _page(client, departed)


def test_no_score_or_answer_reaches_the_referrers_pages_or_emails(client, departed, referrer):
    client.force_login(referrer)
    client.post(reverse("returns:referral-emails", args=[departed.reference]), {"wanted": "1"})
    _record(departed)
    pages = _page(client, departed) + client.get(reverse("returns:my-referrals")).content.decode()
    emails = "".join(
        m.subject + m.body_text + m.body_html
        for m in OutboxMessage.objects.all()
        if m.to == referrer.email
    )
    assert emails
    said = {
        "Economic",
        "Social",
        "Psychosocial",
        "score",
        "Score",
        "Survey",
        "Phone call",
    }
    for indicator in SurveyIndicator.objects.all():
        said |= {indicator.question, *indicator.scale[1:2]}
    for text in said:
        assert text not in pages, text
        assert text not in emails, text


def test_the_referrer_chooses_to_be_emailed_and_the_email_goes_once(client, departed, referrer):
    client.force_login(referrer)
    assert "Email me when the outcome changes" in _page(client, departed)
    response = client.post(
        reverse("returns:referral-emails", args=[departed.reference]), {"wanted": "1"}
    )
    assert response.status_code == 302
    assert "We email you when the outcome of this referral changes." in _page(client, departed)
    _record(departed)
    [email] = [m for m in OutboxMessage.objects.filter(template="returns-referral-outcome")]
    assert email.to == referrer.email
    assert email.subject == "A message from IOM UK"
    assert "/returns/referrals/" in email.body_text
    assert departed.reference not in email.body_text + email.subject


def test_a_referrer_who_did_not_ask_gets_no_outcome_email(departed):
    _record(departed)
    assert not OutboxMessage.objects.filter(template="returns-referral-outcome").exists()


def test_another_referrer_cannot_ask_for_emails_about_a_referral(client, departed, db):
    from iomuk import roles

    from .factories import UserFactory

    stranger = UserFactory(username="ref2", is_staff=False, role=roles.PARTNER_REFERRERS)
    client.force_login(stranger)
    url = reverse("returns:referral-emails", args=[departed.reference])
    assert client.post(url, {"wanted": "1"}).status_code == 404


def test_not_eligible_shows_the_reason_category_never_the_free_text(client, caseworker, referrer):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, referred_by=referrer)
    client.force_login(caseworker)
    url = reverse("returns:case-advance", args=[case.reference])
    move = {"to_stage": "not_eligible", "version": case.version, "reason": "Has leave to remain"}
    refused = client.post(url, move)
    assert "Choose why the person is not eligible." in refused.content.decode()
    assert client.post(url, {**move, "reason_category": "circumstances"}).status_code == 302
    client.force_login(referrer)
    page = _page(client, case)
    assert "Not eligible. Why: The person&#x27;s circumstances do not fit this programme" in page
    assert "Has leave to remain" not in page


def test_once_follow_up_consent_is_withdrawn_the_referrer_sees_no_more_follow_ups(
    client, departed, referrer
):
    _record(departed)
    consent = CaseConsent.objects.get(case=departed, purpose="follow_up")
    services.consent_withdraw(consent=consent, by=departed.assigned_caseworker)
    client.force_login(referrer)
    page = _page(client, departed)
    assert "Travelled in January 2031." in page
    assert "Followed up" not in page
