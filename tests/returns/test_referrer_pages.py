"""A partner referrer follows each referral on its own page, and refers again without typing
their own details each time, starting from a standard consent wording."""

import html

import pytest
from django.urls import reverse

from returns.forms import CONSENT_WORDING_STANDARD
from returns.models import CaseNote, CaseTransition, ReturnCase, Stage
from returns.selectors import cases_named
from tests.iomuk.test_model_forms_round_trip import form_as_sent

from .factories import ReturnCaseFactory, UserFactory
from .test_intake import URL, referral


@pytest.fixture
def sam(referrer):
    referrer.first_name, referrer.last_name = "Sam", "Whitfield"
    referrer.email = "sam.whitfield@hope.example"
    referrer.save()
    return referrer


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_a_referrer_follows_a_referral_on_its_own_page(client, sam, caseworker):
    case = ReturnCaseFactory(referred_by=sam, assigned_caseworker=caseworker)
    CaseTransition.objects.create(case=case, from_stage="", to_stage=Stage.REFERRED, by=sam)
    moved = CaseTransition.objects.create(
        case=case,
        from_stage=Stage.REFERRED,
        to_stage=Stage.ELIGIBILITY_CHECKED,
        by=caseworker,
        reason="Secret reason of the caseworker",
    )
    case.stage = Stage.ELIGIBILITY_CHECKED
    case.save()
    CaseNote.objects.create(case=case, author=caseworker, text="Secret note text")
    # A name no page text holds by chance (a short username such as "cw" can be in any word).
    caseworker.first_name, caseworker.last_name = "Zebulon", "Quillfeather"
    caseworker.save()
    client.force_login(sam)

    listing = client.get(reverse("returns:my-referrals"))
    detail = reverse("returns:referral-detail", args=[case.reference])
    assert f'href="{detail}"' in listing.content.decode()
    page = client.get(detail)

    assert page.status_code == 200
    text = text_of(page)
    assert f"Referral {case.reference}" in text
    assert "Eligibility checked" in text
    assert f"{moved.at.day} {moved.at:%B %Y}" in text  # the last update
    assert "An IOM UK case manager decides whether to approve the return." in text
    # Nothing IOM UK added, and nothing about the person: only the stage.
    for secret in (
        case.full_name,
        "Secret reason of the caseworker",
        "Secret note text",
        "Secret safeguarding detail",
        "Secret health detail",
        caseworker.get_full_name(),
    ):
        assert secret not in text


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_says_what_happens_next(client, sam, stage):
    case = ReturnCaseFactory(referred_by=sam, stage=stage)
    client.force_login(sam)
    page = client.get(reverse("returns:referral-detail", args=[case.reference]))
    assert "What happens next" in text_of(page)
    from returns.services import REFERRAL_NEXT_STEP

    assert str(REFERRAL_NEXT_STEP[stage]) in text_of(page)


def test_another_referrers_referral_is_not_found(client, sam):
    other = UserFactory(username="other-ref", is_staff=False, role="Partner referrers")
    theirs = ReturnCaseFactory(referred_by=other)
    client.force_login(sam)
    assert (
        client.get(reverse("returns:referral-detail", args=[theirs.reference])).status_code == 404
    )
    assert client.get("/returns/referrals/RR-2099-9999/").status_code == 404
    assert client.get("/returns/referrals/not-a-reference/").status_code == 404


def test_a_caseworker_sees_only_their_own_referrals_there_too(client, caseworker, sam):
    theirs = ReturnCaseFactory(referred_by=sam, assigned_caseworker=caseworker)
    client.force_login(caseworker)
    assert (
        client.get(reverse("returns:referral-detail", args=[theirs.reference])).status_code == 404
    )


def test_the_referral_form_starts_with_the_referrers_own_name_and_contact(client, sam):
    client.force_login(sam)
    data = form_as_sent(client.get(URL).content.decode(), form_id="referral-form")
    assert data["referrer_name"] == ["Sam Whitfield"]
    assert data["referrer_contact"] == ["sam.whitfield@hope.example"]


def test_a_second_referral_starts_with_the_organisation_given_last_time(client, sam):
    client.force_login(sam)
    client.post(
        URL,
        referral(
            referrer_type="charity",
            referrer_name="Sam Whitfield",
            referrer_organisation="Hope for Justice",
            referrer_contact="020 7946 0123",
        ),
    )
    assert ReturnCase.objects.count() == 1
    data = form_as_sent(client.get(URL).content.decode(), form_id="referral-form")
    assert data["referrer_type"] == ["charity"]
    assert data["referrer_name"] == ["Sam Whitfield"]
    assert data["referrer_organisation"] == ["Hope for Justice"]
    assert data["referrer_contact"] == ["020 7946 0123"]


def test_the_consent_wording_starts_as_the_standard_text_and_can_be_adjusted(client, sam):
    client.force_login(sam)
    data = form_as_sent(client.get(URL).content.decode(), form_id="referral-form")
    assert data["consent_wording"] == [str(CONSENT_WORDING_STANDARD)]

    # Kept as offered.
    client.post(URL, referral(consent_wording=data["consent_wording"][0]))
    assert ReturnCase.objects.get().consent_wording == str(CONSENT_WORDING_STANDARD)

    # Or adjusted.
    adjusted = str(CONSENT_WORDING_STANDARD) + " Read to her in Romanian by the interpreter."
    client.post(URL, referral(full_name="Second Person", consent_wording=adjusted))
    second = cases_named(ReturnCase.objects.all(), "Second Person").get()
    assert second.consent_wording == adjusted
