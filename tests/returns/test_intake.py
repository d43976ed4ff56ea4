from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from iomuk.models import AccessLog
from returns.models import CaseDocument, CaseTransition, ReturnCase, ReturnPlanItem

from .conftest import EXE_BYTES, PDF_BYTES

URL = "/returns/referrals/new/"


def referral(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "referrer_type": "police",
        "referrer_name": "DC Jane Hale",
        "referrer_organisation": "Thames Valley Police",
        "referrer_contact": "jane.hale@police.example",
        "full_name": "Ileana Vasilescu",
        "preferred_name": "Ila",
        "date_of_birth": "1994-03-02",
        "gender": "female",
        "nationality": "Romanian",
        "languages": "Romanian, Italian",
        "interpreter_needed": "on",
        "safe_contact_details": "Through the safe house, 07700 900321",
        "safe_times_to_call": "After 2pm",
        "country": "RO",
        "destination_town": "Bacău",
        "consent_to_return": "on",
        "consent_to_share": "on",
        "consent_partners": "IOM Romania; Bacău shelter",
        "consent_method": "verbal_interpreter",
        "consent_given_on": str(today - timedelta(days=2)),
        "consent_wording": "You can stop at any time.",
        "nrm_status": "positive_reasonable",
        "risk": "high",
        "safeguarding_notes": "The trafficker knows her family.",
        "dependants_travelling": "1",
        "travel_document": "none",
        "departure_airport": "London Luton",
        "earliest_travel_date": str(today + timedelta(days=20)),
        "fit_to_fly": "fit",
        "land_transport_needed": "on",
        "services": ["shelter", "psychosocial"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_caseworker_makes_a_case_with_a_reference_plan_and_timeline(client, caseworker):
    client.force_login(caseworker)
    response = client.post(URL, referral())
    case = ReturnCase.objects.get()
    assert response.status_code == 302
    assert response.url == f"/returns/cases/{case.reference}/"
    assert case.reference.startswith(f"RR-{timezone.localdate().year}-")
    assert case.country == "RO" and case.stage == "referred" and case.referred_by == caseworker
    assert case.assigned_caseworker is None  # the intake queue
    plan = dict(ReturnPlanItem.objects.filter(case=case).values_list("service", "status"))
    assert plan["travel_document"] == "to_do"  # no document: an emergency one is needed
    assert plan["shelter"] == "to_do" and plan["medical"] == "not_needed"
    assert CaseTransition.objects.get(case=case).to_stage == "referred"
    assert AccessLog.objects.filter(object_ref=case.reference, action="create").exists()
    page = client.get(response.url).content.decode()
    assert "Ileana Vasilescu" in page and case.reference in page


def test_a_partner_referrer_is_sent_to_their_referrals_and_not_the_case(client, referrer):
    client.force_login(referrer)
    response = client.post(URL, referral(), follow=True)
    case = ReturnCase.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/returns/referrals/"
    assert case.reference in html
    assert "Romania" in html and "Referred" in html
    assert "Ileana" not in html


def test_the_form_is_in_named_sections(client, caseworker):
    client.force_login(caseworker)
    html = client.get(URL).content.decode()
    for section in ("The referrer", "The person", "Country of return", "Consent", "Travel"):
        assert section in html
    assert html.count("<h1") == 1
    assert "Another country" in html


@pytest.mark.parametrize("country", ["other", "FR", "PL", ""])
def test_another_country_is_told_where_to_turn_instead(client, caseworker, country):
    client.force_login(caseworker)
    response = client.post(URL, referral(country=country))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    if country:
        assert "can only help with returns to Bulgaria" in html
        assert "08000 121 700" in html
        assert "embassy" in html and "Voluntary Returns Service" in html
    assert not ReturnCase.objects.exists()


def test_no_referral_without_consent_to_return(client, caseworker):
    client.force_login(caseworker)
    response = client.post(URL, referral(consent_to_return=None))
    assert "without the person&#x27;s consent to return" in response.content.decode()
    assert not ReturnCase.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(client, caseworker):
    client.force_login(caseworker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(URL, referral(date_of_birth=str(tomorrow)))
    assert "date of birth cannot be in the future" in response.content.decode()
    assert not ReturnCase.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "1850-01-01", "too long ago"),
        ("date_of_birth", "31/02/1990", "Enter a valid date"),
        ("consent_given_on", "2999-01-01", "Consent cannot have been given in the future"),
        ("earliest_travel_date", "2001-01-01", "cannot be in the past"),
        ("dependants_travelling", "500", "dependants"),
        ("risk", "extreme", "Select a valid choice"),
        ("full_name", "", "This field is required"),
        ("safeguarding_notes", "Hidden\x00byte", "Null characters are not allowed"),
        ("nationality", "x" * 500, "at most 100 characters"),
    ],
)
def test_wrong_values_get_a_plain_message(client, caseworker, field, value, message):
    client.force_login(caseworker)
    response = client.post(URL, referral(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReturnCase.objects.exists()


def test_consent_to_share_needs_named_partners(client, caseworker):
    client.force_login(caseworker)
    response = client.post(URL, referral(consent_partners=""))
    assert "Name the partners" in response.content.decode()


def test_a_consent_document_is_stored_with_the_case(client, caseworker):
    client.force_login(caseworker)
    upload = SimpleUploadedFile("consent.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(URL, {**referral(), "document": upload})
    document = CaseDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.original_name == "consent.pdf"
    assert "consent" not in document.file.name


def test_a_disguised_file_is_refused_and_no_case_is_made(client, caseworker):
    client.force_login(caseworker)
    upload = SimpleUploadedFile("consent.pdf", EXE_BYTES, content_type="application/pdf")
    response = client.post(URL, {**referral(), "document": upload})
    assert "Files must be PDF documents or JPEG or PNG pictures." in response.content.decode()
    assert not ReturnCase.objects.exists()
    assert not CaseDocument.objects.exists()


def test_an_empty_file_is_refused_and_no_case_is_made(client, caseworker):
    client.force_login(caseworker)
    upload = SimpleUploadedFile("consent.pdf", b"", content_type="application/pdf")
    response = client.post(URL, {**referral(), "document": upload})
    assert "The submitted file is empty." in response.content.decode()
    assert not ReturnCase.objects.exists()
    assert not CaseDocument.objects.exists()


def test_an_oversized_file_is_refused(client, caseworker, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(caseworker)
    upload = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 200)
    response = client.post(URL, {**referral(), "document": upload})
    assert "must be smaller than" in response.content.decode()
    assert not ReturnCase.objects.exists()


def test_two_referrals_get_different_references(client, caseworker):
    client.force_login(caseworker)
    client.post(URL, referral())
    client.post(URL, referral(full_name="Second Person"))
    references = list(ReturnCase.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2


def test_the_intake_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_without_the_referral_permission_are_refused(client, coordinator):
    client.force_login(coordinator)
    assert client.get(URL).status_code == 403
    assert client.post(URL, referral()).status_code == 403
    assert not ReturnCase.objects.exists()


def test_the_service_makes_no_half_case_when_its_document_is_refused(caseworker):
    from returns.services import DocumentRefused, case_refer

    data = {
        k: v
        for k, v in referral().items()
        if k not in ("services", "interpreter_needed", "land_transport_needed")
    }
    data.update(consent_to_return=True, consent_to_share=True, dependants_travelling=1)
    with pytest.raises(DocumentRefused):
        case_refer(
            by=caseworker,
            data=data,
            services=[],
            document=SimpleUploadedFile("x.pdf", EXE_BYTES),
        )
    assert not ReturnCase.objects.exists()
    assert not CaseTransition.objects.exists()
    assert not ReturnPlanItem.objects.exists()


def test_the_service_refuses_a_referral_without_consent(caseworker):
    from returns.services import CaseError, case_refer

    with pytest.raises(CaseError, match="consent to return"):
        case_refer(by=caseworker, data={"consent_to_return": False}, services=[])
    assert not ReturnCase.objects.exists()
