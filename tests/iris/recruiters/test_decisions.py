"""Accreditation as IRIS officers decide it: suspend with a reason, lift with the dates kept,
renew after a review with its note, withdraw with a reason; each on the officer's staff page, in
the history with its reason, in the access log, and never with its reason in public."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from iomuk.models import AccessLog, User
from iris.models import AccreditationDecision, AccreditationState, Recruiter
from iris.recruiters import services
from tests.iris.factories import RecruiterFactory

pytestmark = pytest.mark.django_db

REASON = "Three workers say their passports were kept by the Brasov office."


@pytest.fixture
def recruiter():
    return RecruiterFactory(
        legal_name="Danube Harvest SRL",
        slug="danube-harvest",
        granted_on=date(2026, 9, 27),
        valid_until=date(2027, 9, 27),
    )


def decide(client, recruiter, kind: str, text: str = ""):
    url = reverse("iris-recruiters:decide", args=[recruiter.slug, kind])
    return client.post(url, {f"{kind}-text": text}, follow=True)


def test_an_officer_suspends_with_a_reason_and_lifts_it_keeping_the_dates(
    officer_client, recruiter
):
    page = officer_client.get(reverse("iris-recruiters:detail", args=[recruiter.slug])).text
    assert "Suspend" in page and "Lift the suspension" not in page

    page = decide(officer_client, recruiter, "suspend", REASON).text
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.SUSPENDED
    assert REASON in page  # the officer sees why, in the history
    assert "Lift the suspension" in page

    decide(officer_client, recruiter, "lift")
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.ACCREDITED
    assert (recruiter.granted_on, recruiter.valid_until) == (date(2026, 9, 27), date(2027, 9, 27))
    kinds = list(recruiter.decisions.order_by("decided_at", "pk").values_list("kind", flat=True))
    assert kinds == ["suspend", "lift"]


def test_a_suspension_needs_its_reason(officer_client, recruiter):
    response = decide(officer_client, recruiter, "suspend", "   ")
    assert response.status_code == 400
    assert "Reason for the suspension (officers only, never public) is required" in response.text
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.ACCREDITED
    with pytest.raises(services.RecruiterError):
        services.recruiter_suspend(recruiter=recruiter, reason="")
    assert not AccreditationDecision.objects.exists()


def test_a_decision_refused_because_another_officer_decided_first_keeps_the_typed_reason(
    officer_client, recruiter
):
    # Another officer withdraws the accreditation while this one writes a suspension's reason.
    services.recruiter_withdraw(recruiter=recruiter, reason="Audit failed.")
    response = decide(officer_client, recruiter, "suspend", REASON)
    assert response.status_code == 400
    assert "Only a current accreditation can be suspended." in response.text
    assert REASON in response.text  # the officer's words are still there to copy
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.WITHDRAWN


def test_a_renewal_needs_its_review_note_and_gives_a_new_period(officer_client, recruiter):
    response = decide(officer_client, recruiter, "renew", "")
    assert response.status_code == 400
    assert "Review note is required" in response.text
    recruiter.refresh_from_db()
    assert recruiter.valid_until == date(2027, 9, 27)

    decide(officer_client, recruiter, "renew", "Audit by the verifier on 1 December passed.")
    recruiter.refresh_from_db()
    assert recruiter.valid_until > date(2027, 9, 27)
    decision = recruiter.decisions.get()
    assert decision.reason == "Audit by the verifier on 1 December passed."


def test_a_suspended_accreditation_is_not_renewed_but_lifted(recruiter):
    services.recruiter_suspend(recruiter=recruiter, reason=REASON)
    with pytest.raises(services.RecruiterError):
        services.recruiter_renew(recruiter=recruiter, note="Audit passed.")


def test_a_withdrawal_needs_its_reason_and_takes_the_recruiter_off_the_roster(
    officer_client, client, recruiter
):
    assert decide(officer_client, recruiter, "withdraw", "").status_code == 400
    decide(officer_client, recruiter, "withdraw", "The audit body withdrew its certificate.")
    recruiter.refresh_from_db()
    assert recruiter.state == AccreditationState.WITHDRAWN
    assert "Danube Harvest" not in client.get(reverse("iris:roster"), {"q": "danube"}).text


def test_each_decision_writes_the_access_log_as_the_officer(officer_client, officer, recruiter):
    decide(officer_client, recruiter, "suspend", REASON)
    decide(officer_client, recruiter, "lift")
    decide(officer_client, recruiter, "renew", "Audit passed.")
    decide(officer_client, recruiter, "withdraw", "Certificate withdrawn.")
    entries = AccessLog.objects.filter(object_ref=recruiter.accreditation_number).order_by("pk")
    assert [(e.action, e.username) for e in entries] == [
        ("suspend", "officer"),
        ("lift", "officer"),
        ("renew", "officer"),
        ("withdraw", "officer"),
    ]
    assert REASON not in str(list(entries.values()))  # the log names acts, not reasons
    assert [d.decided_by for d in recruiter.decisions.all()] == [officer] * 4


def test_an_applicant_is_accredited_from_its_staff_page(officer_client):
    recruiter = RecruiterFactory(applicant=True, legal_name="Vltava Care s.r.o.")
    decide(officer_client, recruiter, "grant")
    recruiter.refresh_from_db()
    assert recruiter.is_valid_today
    assert recruiter.decisions.get().kind == "grant"


def test_reasons_are_never_on_the_public_page_or_the_api(client, recruiter):
    services.recruiter_suspend(recruiter=recruiter, reason=REASON)
    services.recruiter_lift(recruiter=recruiter)
    services.recruiter_withdraw(recruiter=recruiter, reason="Certificate withdrawn by auditor.")
    page = client.get(reverse("iris:recruiter", args=[recruiter.slug])).text
    api = client.get(f"/api/v1/recruiters/{recruiter.accreditation_number}/").text
    for text in (page, api):
        assert "passports" not in text and "auditor" not in text


def test_other_staff_cannot_decide(client, recruiter):
    coordinator = User.objects.create_user("coord", password="x-long-password-1", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Training coordinators"))
    client.force_login(coordinator)
    assert client.get(reverse("iris-recruiters:detail", args=[recruiter.slug])).status_code == 403
    assert decide(client, recruiter, "suspend", REASON).status_code == 403
    assert Recruiter.objects.get(pk=recruiter.pk).state == AccreditationState.ACCREDITED


def test_the_admin_offers_no_way_to_change_the_standing(officer_client, recruiter):
    changelist = officer_client.get(reverse("admin:iris_recruiter_changelist")).text
    assert "Grant or renew" not in changelist and "suspend_accreditation" not in changelist
    page = officer_client.get(reverse("admin:iris_recruiter_change", args=[recruiter.pk])).text
    assert reverse("iris-recruiters:detail", args=[recruiter.slug]) in page


def test_the_officers_list_finds_a_recruiter_by_name_or_number(officer_client, recruiter):
    RecruiterFactory(legal_name="Tisza Harvest Kft.")
    url = reverse("iris-recruiters:list")
    page = officer_client.get(url, {"q": "dunarea harvest"}).text
    assert "No recruiter found" in page
    page = officer_client.get(url, {"q": "danube"}).text
    assert "Danube Harvest SRL" in page and "Tisza" not in page
    page = officer_client.get(url, {"q": recruiter.accreditation_number}).text
    assert "Danube Harvest SRL" in page


def test_a_standing_nobody_offers_is_refused_and_the_name_still_searches(officer_client, recruiter):
    # An old bookmark's standing: refused beside its field, and the name typed still finds.
    RecruiterFactory(legal_name="Tisza Harvest Kft.")
    url = reverse("iris-recruiters:list")
    page = officer_client.get(url, {"q": "danube", "state": "<b>lapsed</b>"}).text
    assert "Select a valid choice" in page and "<b>lapsed</b>" not in page
    assert "Danube Harvest SRL" in page and "Tisza" not in page


def test_the_staff_dashboard_leads_officers_to_the_recruiters_staff_pages(officer_client):
    page = officer_client.get("/staff/").text
    assert f'href="{reverse("iris-recruiters:list")}"' in page


def test_a_recruiter_added_in_the_admin_is_made_by_the_service(officer_client):
    add = reverse("admin:iris_recruiter_add")
    response = officer_client.post(
        add,
        {
            "legal_name": "Mureș Care SRL",
            "slug": "mures-care",
            "hq_country": "RO",
            "sectors": ["care"],
            "origin_countries": ["MD"],
            "destination_countries": ["GB"],
            "complaints-TOTAL_FORMS": "0",
            "complaints-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    recruiter = Recruiter.objects.get(slug="mures-care")
    assert recruiter.state == AccreditationState.APPLICANT
    assert recruiter.search_name == "mures care srl"
    assert sorted(recruiter.operations.values_list("country_id", "kind")) == [
        ("GB", "destination"),
        ("MD", "origin"),
    ]
    # Accredited from its staff page, it is found by its name at once.
    decide(officer_client, recruiter, "grant")
    assert "Mureș Care SRL" in officer_client.get(reverse("iris:roster"), {"q": "mures"}).text
