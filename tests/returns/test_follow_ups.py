"""After the return: follow-ups at 3, 6 and 12 months, in the caseworker's queue and on the
staff workspace, a reminder sent once, the survey recorded, encrypted and scored."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog, OutboxMessage
from returns import services
from returns.models import (
    CaseConsent,
    ReturnPlanItem,
    Stage,
    SurveyAnswer,
    SurveyIndicator,
)

from .factories import ReturnCaseFactory

pytestmark = pytest.mark.django_db

DEPARTED = dt.datetime(2031, 1, 15, 10, 0, tzinfo=dt.UTC)


@contextmanager
def clock(moment: dt.datetime, client=None, user=None):
    """Every timezone.now() (and so localdate()) answers `moment`; `user`, if given, signs in
    again then (a session from another time has expired)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        if user is not None:
            client.force_login(user)
        yield


def _consent(case, by, purpose="follow_up", partner="IOM Romania"):
    return services.consent_record(
        case=case,
        by=by,
        purpose=purpose,
        partner=partner,
        wording="You agree we may call you after you go home.",
        given_on=timezone.localdate(),
    )


def _depart(client, case):
    return client.post(
        reverse("returns:case-advance", args=[case.reference]),
        {"to_stage": "departed", "version": case.version, "reason": "Flew from Luton"},
    )


@pytest.fixture
def departed(client, caseworker):
    """A case of the caseworker's, with follow-up consent, recorded as departed on 15 Jan 2031."""
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.TRAVEL_ARRANGED)
    with clock(DEPARTED):
        _consent(case, caseworker)
        client.force_login(caseworker)
        assert _depart(client, case).status_code == 302
    return case


def test_recording_a_departure_schedules_follow_ups_at_3_6_and_12_months(departed):
    due = list(departed.follow_ups.values_list("months", "due_on", "state"))
    assert due == [
        (3, dt.date(2031, 4, 15), "due"),
        (6, dt.date(2031, 7, 15), "due"),
        (12, dt.date(2032, 1, 15), "due"),
    ]


def test_the_follow_up_times_are_a_setting(client, caseworker, settings):
    settings.RETURNS_FOLLOW_UP_MONTHS = (1, 24)
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.TRAVEL_ARRANGED)
    _consent(case, caseworker)
    client.force_login(caseworker)
    _depart(client, case)
    assert list(case.follow_ups.values_list("months", flat=True)) == [1, 24]


def test_no_follow_up_is_scheduled_without_consent_to_follow_up_calls(client, caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.TRAVEL_ARRANGED)
    client.force_login(caseworker)
    _depart(client, case)
    assert not case.follow_ups.exists()
    page = client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()
    assert "No follow-up is scheduled" in page
    assert "Not agreed</strong>: Follow-up calls" in page


def test_the_follow_up_appears_in_the_caseworkers_queue_on_its_due_date(
    client, departed, caseworker
):
    queue = reverse("returns:follow-up-queue")
    with clock(dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC), client, caseworker):
        page = client.get(queue).content.decode()
    assert "My follow-ups" in page and "3-month follow-up" not in page
    with clock(dt.datetime(2031, 4, 15, 9, 0, tzinfo=dt.UTC), client, caseworker):
        page = client.get(queue).content.decode()
    week = page.split("Due this week")[1]
    assert f"Record the 3-month follow-up of {departed.reference}" in week
    assert "6-month" not in page
    with clock(dt.datetime(2031, 4, 20, 9, 0, tzinfo=dt.UTC), client, caseworker):
        page = client.get(queue).content.decode()
    assert "3-month follow-up" in page.split("Overdue")[1].split("Due this week")[0]


def test_another_caseworkers_follow_ups_are_not_in_my_queue(client, departed, other_caseworker):
    with clock(dt.datetime(2031, 4, 15, 9, 0, tzinfo=dt.UTC), client, other_caseworker):
        page = client.get(reverse("returns:follow-up-queue")).content.decode()
    assert departed.reference not in page


def test_the_staff_workspace_counts_follow_ups_overdue_and_due_this_week(
    client, departed, caseworker
):
    with clock(dt.datetime(2031, 7, 10, 9, 0, tzinfo=dt.UTC), client, caseworker):
        page = client.get("/staff/").content.decode()
        csv = client.get("/staff/follow-ups-due.csv").content.decode()
    assert "1 follow-ups overdue, 1 due this week." in page
    assert csv.splitlines()[1:] == ["Overdue,1", "Due this week,1"]


def test_the_caseworker_is_reminded_once_with_a_neutral_email_and_only_a_link(departed):
    # A week before it is due the reminder goes; the hourly task running again sends nothing.
    with clock(dt.datetime(2031, 4, 1, 9, 0, tzinfo=dt.UTC)):
        assert services.follow_ups_remind() == 0
    with clock(dt.datetime(2031, 4, 8, 9, 0, tzinfo=dt.UTC)):
        assert services.follow_ups_remind() == 1
        assert services.follow_ups_remind() == 0
    with clock(dt.datetime(2031, 4, 9, 9, 0, tzinfo=dt.UTC)):
        from returns.tasks import remind_follow_ups

        assert remind_follow_ups() == 0
    [email] = OutboxMessage.objects.filter(template="returns-follow-up-due")
    assert email.to == departed.assigned_caseworker.email
    assert email.subject == "A message from IOM UK"
    assert "/returns/follow-ups/" in email.body_text
    for personal in (departed.full_name, departed.reference, "Iași", "Romania"):
        assert personal not in email.body_text + email.body_html + email.subject


def _form(indicators, contact="phone", **answers):
    data = {"contact": contact}
    for indicator in indicators:
        value = answers.get(indicator.code.replace("-", "_"))
        data[f"answer_{indicator.pk}"] = "" if value is None else str(value)
    return data


def test_a_caseworker_records_a_follow_up_and_its_answers_are_encrypted_and_logged(
    client, departed, caseworker
):
    follow_up = departed.follow_ups.get(months=3)
    url = reverse("returns:follow-up-record", args=[departed.reference, follow_up.pk])
    indicators = list(SurveyIndicator.objects.all())
    assert len(indicators) == 15
    with clock(dt.datetime(2031, 4, 16, 9, 0, tzinfo=dt.UTC), client, caseworker):
        page = client.get(url)
        assert "Reintegration Sustainability Survey" in page.content.decode()
        answered = {i.pk: len(i.scale) - 1 for i in indicators}  # the best answer to each
        data = {"contact": "partner_visit", "support": ["shelter"]}
        data |= {f"answer_{pk}": str(value) for pk, value in answered.items()}
        response = client.post(url, data)
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.contact, follow_up.done_on) == (
        "done",
        "partner_visit",
        dt.date(2031, 4, 16),
    )
    assert SurveyAnswer.objects.filter(follow_up=follow_up).count() == 15
    with connection.cursor() as cursor:
        cursor.execute("SELECT answer FROM returns_surveyanswer")
        stored = [row[0] for row in cursor.fetchall()]
    assert all(len(value) > 20 for value in stored), "answers are stored encrypted"
    actions = list(
        AccessLog.objects.filter(object_ref=departed.reference).values_list("action", "detail")
    )
    assert ("view", "follow-up 3 months") in actions
    assert ("follow-up", "3 months recorded") in actions
    # The support it led to: shelter back in the return plan.
    shelter = departed.plan_items.get(service="shelter")
    assert shelter.status == ReturnPlanItem.Status.TO_DO
    page = client.get(reverse("returns:case-detail", args=[departed.reference])).content.decode()
    assert "Shelter (added)" in page or "Shelter (reopened)" in page


def test_could_not_reach_is_an_outcome_and_takes_no_answers(client, departed):
    follow_up = departed.follow_ups.get(months=3)
    url = reverse("returns:follow-up-record", args=[departed.reference, follow_up.pk])
    indicator = SurveyIndicator.objects.first()
    refused = client.post(url, {"contact": "not_reached", f"answer_{indicator.pk}": "1"})
    assert refused.status_code == 400
    assert "No answers can be recorded when the person was not reached." in refused.text
    assert client.post(url, {"contact": "not_reached"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.state == "done" and not follow_up.reached


def test_a_reopened_service_is_what_the_follow_up_led_to(client, departed):
    ReturnPlanItem.objects.create(case=departed, service="medical", status="done")
    follow_up = departed.follow_ups.get(months=3)
    url = reverse("returns:follow-up-record", args=[departed.reference, follow_up.pk])
    client.post(url, {"contact": "phone", "support": ["medical"]})
    assert departed.plan_items.get(service="medical").status == "to_do"
    assert list(follow_up.support.values_list("service", "action")) == [("medical", "reopened")]


def test_scoring_follows_the_stated_rule_on_a_worked_example():
    """Dimension = weighted mean of normalised answers (position / (steps)); composite = the
    mean of the dimension scores."""
    three = SurveyIndicator(dimension="economic", scale=["a", "b", "c"], weight=1)
    five = SurveyIndicator(dimension="economic", scale=["a", "b", "c", "d", "e"], weight=3)
    two = SurveyIndicator(dimension="social", scale=["no", "yes"], weight=1)
    # economic: (1 * 0.5 + 3 * 0.75) / 4 = 0.6875; social: 1.0; psychosocial: not answered.
    scores = services.survey_scores([(three, 1), (five, 3), (two, 1)])
    assert scores == {
        "economic": 0.69,
        "social": 1.0,
        "psychosocial": None,
        "composite": 0.84,  # (0.6875 + 1.0) / 2, rounded
    }


def test_the_case_page_shows_each_dimensions_score_as_a_chart_and_a_table(client, departed):
    follow_up = departed.follow_ups.get(months=3)
    indicators = list(SurveyIndicator.objects.all())
    answers = {
        i.pk: (0 if i.dimension == "economic" else len(i.scale) - 1) for i in indicators
    }  # the worst economic answers, the best others
    services.follow_up_record(
        follow_up=follow_up,
        by=departed.assigned_caseworker,
        contact="phone",
        answers=answers,
        support=[],
    )
    page = client.get(reverse("returns:case-detail", args=[departed.reference])).content.decode()
    section = page.split('id="follow-ups-title"')[1].split("</section>")[0]
    assert "<svg" in section and "3 months: Economic" in section
    row = section.split('<th scope="row">3 months</th>')[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells[2:6] == ["0", "100", "100", "67"]  # economic, social, psychosocial, overall


def test_withdrawing_follow_up_consent_cancels_the_follow_ups_still_due(client, departed):
    services.follow_up_record(
        follow_up=departed.follow_ups.get(months=3),
        by=departed.assigned_caseworker,
        contact="phone",
        answers={},
        support=[],
    )
    consent = CaseConsent.objects.get(case=departed, purpose="follow_up")
    url = reverse("returns:consent-withdraw", args=[departed.reference, consent.pk])
    assert client.post(url).status_code == 302
    states = dict(departed.follow_ups.values_list("months", "state"))
    assert states == {3: "done", 6: "cancelled", 12: "cancelled"}
    consent.refresh_from_db()
    assert consent.withdrawn_by == departed.assigned_caseworker
    last = consent.history.order_by("-history_id").first()
    assert (last.history_change_reason, last.history_user) == ("withdrawn", consent.withdrawn_by)
    page = client.get(reverse("returns:case-detail", args=[departed.reference])).content.decode()
    assert "Not agreed</strong>: Follow-up calls" in page
    assert "Withdrawn on" in page
    assert ("consent", "follow_up withdrawn") in AccessLog.objects.values_list("action", "detail")


def test_consent_is_recorded_per_purpose_and_partner_with_its_wording_and_who(client, departed):
    url = reverse("returns:consent-add", args=[departed.reference])
    response = client.post(
        url,
        {
            "consent-purpose": "reintegration",
            "consent-partner": "Partner NGO Iași",
            "consent-wording": "You agree the partner may help you find work.",
            "consent-given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("returns:case-detail", args=[departed.reference])).content.decode()
    assert (
        "Agreed</strong>: Reintegration services in the country of return (Partner NGO Iași)"
        in page
    )
    assert "Not agreed</strong>: Return" in page
    assert "You agree the partner may help you find work." in page


def test_an_administrator_corrects_an_indicators_weight_in_the_admin(client, superuser):
    indicator = SurveyIndicator.objects.get(code="economic-food")
    client.force_login(superuser)
    url = reverse("admin:returns_surveyindicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "code": indicator.code,
        "dimension": indicator.dimension,
        "position": indicator.position,
        "question": indicator.question,
        "scale": '["Never enough", "Enough"]',
        "weight": "2.5",
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.weight, indicator.scale) == (2.5, ["Never enough", "Enough"])
    data["scale"] = '["Only one"]'
    assert "A list of at least two answers" in client.post(url, data).content.decode()


def _recorded(case, contact, economic_position):
    answers = {
        i.pk: economic_position for i in SurveyIndicator.objects.filter(dimension="economic")
    }
    services.follow_up_record(
        follow_up=case.follow_ups.get(months=3),
        by=case.assigned_caseworker,
        contact=contact,
        answers={} if contact == "not_reached" else answers,
        support=[],
    )


def test_the_workspace_shows_the_share_reached_and_median_scores_by_country_with_a_csv(
    client, caseworker, casemanager
):
    made = []
    for country, contact, position in [
        ("RO", "phone", 0),  # economic 0
        ("RO", "phone", 4),  # economic 100 (every economic scale here has 5 steps or fewer)
        ("RO", "phone", 2),
        ("BG", "not_reached", None),
    ]:
        case = ReturnCaseFactory(
            assigned_caseworker=caseworker, stage=Stage.TRAVEL_ARRANGED, country=country
        )
        _consent(case, caseworker)
        client.force_login(caseworker)
        _depart(client, case)
        made.append((case, contact, position))
    # Each economic indicator's answer at the same position of its own scale, capped to it.
    for case, contact, position in made:
        if contact == "not_reached":
            _recorded(case, contact, None)
            continue
        answers = {
            i.pk: min(position, len(i.scale) - 1)
            for i in SurveyIndicator.objects.filter(dimension="economic")
        }
        services.follow_up_record(
            follow_up=case.follow_ups.get(months=3),
            by=caseworker,
            contact=contact,
            answers=answers,
            support=[],
        )
    client.force_login(casemanager)
    page = client.get("/staff/").content.decode()
    assert "People reached at each follow-up" in page
    reached = client.get("/staff/follow-ups-reached.csv").content.decode().splitlines()
    assert reached[1] == "3 months,3,1,75"
    scores = client.get("/staff/follow-up-scores.csv").content.decode().splitlines()
    romania = next(line for line in scores if line.startswith("Romania"))
    bulgaria = next(line for line in scores if line.startswith("Bulgaria"))
    economic_median = romania.split(",")[1]
    assert 0 < int(economic_median) < 100  # the middle one of three, not a mean of extremes
    assert bulgaria == "Bulgaria,0,0,0,0"  # nobody reached: no scores


def test_a_caseworker_sees_no_other_caseworkers_follow_ups_in_the_figures(
    client, departed, other_caseworker
):
    _recorded(departed, "phone", 1)
    client.force_login(other_caseworker)
    rows = client.get("/staff/follow-ups-reached.csv").content.decode().splitlines()
    assert rows[1] == "3 months,0,0,0"


def test_a_case_withdrawn_after_departure_has_its_follow_ups_cancelled(client, departed):
    departed.refresh_from_db()
    client.post(
        reverse("returns:case-advance", args=[departed.reference]),
        {"to_stage": "withdrawn", "version": departed.version, "reason": "Stopped replying"},
    )
    departed.refresh_from_db()
    assert departed.stage == "withdrawn"
    assert set(departed.follow_ups.values_list("state", flat=True)) == {"cancelled"}


def test_consent_dated_in_the_future_is_refused_by_the_service_too(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    with pytest.raises(services.CaseError, match="Consent cannot be given in the future."):
        services.consent_record(
            case=case,
            by=caseworker,
            purpose="follow_up",
            partner="IOM Romania",
            wording="You agree we may call you.",
            given_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert not case.consents.exists()
