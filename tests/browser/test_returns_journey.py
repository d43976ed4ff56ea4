"""Journey 2: a referral for a voluntary return, from intake to a case manager's approval."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from returns.models import CaseDocument, ReturnCase, Stage

PASSWORD = "a-long-test-password-for-staff"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def account(username: str, role: str) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@iom-uk.example", password=PASSWORD, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def caseworker(db):
    return account("caseworker", roles.CASEWORKERS)


@pytest.fixture
def casemanager(db):
    return account("casemanager", roles.CASE_MANAGERS)


@pytest.fixture
def referrer(db):
    return account("referrer", roles.PARTNER_REFERRERS)


def fill_referral(page, *, country: str) -> None:
    """What a referrer knows about Ileana, typed into the intake form by its labels."""
    today = timezone.localdate()
    page.get_by_label("Organisation type").select_option(label="Police")
    page.get_by_label("Referrer's name").fill("DC Jane Hale")
    page.get_by_label("Referrer's phone or email").fill("jane.hale@police.example")
    page.get_by_label("Full name").fill("Ileana Vasilescu")
    page.get_by_label("Date of birth").fill("1994-03-02")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Nationality").fill("Romanian")
    page.get_by_label("Languages spoken").fill("Romanian, Italian")
    page.get_by_label("Safe contact details").fill("Through the safe house, 07700 900321")
    page.get_by_label("Country of return").select_option(label=country)
    page.get_by_role("textbox", name="Destination town").fill("Bacău")
    page.get_by_label("The person consents to return").check()
    page.get_by_label("How consent was given").select_option(label="Verbal, with an interpreter")
    page.get_by_label("Date consent was given").fill(str(today - timedelta(days=2)))
    page.get_by_label("Consent wording shown to the person").fill("You can stop at any time.")
    page.get_by_label("Risk of re-trafficking").select_option(label="High")
    page.get_by_role("combobox", name="Travel document").select_option(
        label="None: an emergency travel document is needed"
    )
    page.get_by_label("Shelter").check()
    page.get_by_label("Psychosocial care").check()


def move_case(page, stage: str, reason: str) -> None:
    page.get_by_label(f"Why move it to “{stage}”?").fill(reason)
    page.get_by_role("button", name=f"Move to {stage}").click()
    page.get_by_text(f"The case is now at: {stage}.").wait_for()


def test_a_caseworker_logs_a_referral_and_a_case_manager_approves_it(
    page, new_page, caseworker, casemanager, sign_in, assert_accessible, screenshot
):
    # The caseworker signs in with the second factor and logs the referral.
    sign_in(page, "caseworker", PASSWORD, next_path="/returns/referrals/new/")
    page.get_by_role("heading", name="Refer someone for a voluntary return").wait_for()
    assert_accessible(page)
    fill_referral(page, country="Romania")
    page.get_by_role("button", name="Submit the referral").click()
    page.get_by_text(re.compile(r"the referral is received as RR-\d{4}-\d{4}")).wait_for()
    case = ReturnCase.objects.get()
    assert page.get_by_role("heading", name=f"Case {case.reference}").is_visible()
    assert "Referred · Romania" in page.locator("p.lead").inner_text()
    assert case.consent_to_return and case.country == "RO"
    assert_accessible(page)

    # She uploads the emergency travel document the consulate issued.
    page.get_by_label("Kind of document").select_option(label="Identity or travel document")
    page.get_by_label(re.compile(r"^\s*Document\W*$")).set_input_files(
        files=[
            {
                "name": "emergency-travel-document.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF_BYTES,
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The document is stored.").wait_for()
    assert page.get_by_role("link", name="emergency-travel-document.pdf").is_visible()
    assert CaseDocument.objects.get(case=case).kind == CaseDocument.Kind.IDENTITY
    assert_accessible(page)

    # She checks eligibility; approving is for a case manager, so she cannot.
    move_case(page, "Eligibility checked", "Romanian national, consent recorded, NRM positive.")
    assert page.get_by_role("button", name="Move to Approved").count() == 0
    assert_accessible(page)

    # The case manager signs in and approves the return.
    manager = new_page()
    sign_in(manager, "casemanager", PASSWORD, next_path=f"/returns/cases/{case.reference}/")
    manager.get_by_role("heading", name=f"Case {case.reference}").wait_for()
    assert "Eligibility checked · Romania" in manager.locator("p.lead").inner_text()
    assert_accessible(manager)
    move_case(manager, "Approved", "Funding confirmed; travel can be arranged.")
    assert "Approved · Romania" in manager.locator("p.lead").inner_text()
    timeline = manager.get_by_role("region", name="Timeline").inner_text()
    assert "Funding confirmed; travel can be arranged." in timeline
    assert_accessible(manager)
    screenshot(manager, "journey-2-case-approved")
    case.refresh_from_db()
    assert case.stage == Stage.APPROVED


def test_a_referral_outside_the_four_countries_is_refused_and_a_partner_sees_only_its_stage(
    page, referrer, casemanager, sign_in, assert_accessible, screenshot
):
    sign_in(page, "referrer", PASSWORD, next_path="/returns/referrals/new/")
    page.get_by_role("heading", name="Refer someone for a voluntary return").wait_for()

    # A return to a country IOM UK does not serve is refused, saying where to turn instead.
    fill_referral(page, country="Another country")
    page.get_by_role("button", name="Submit the referral").click()
    summary = page.get_by_role("alert")
    summary.get_by_role("heading", name="There is a problem").wait_for()
    message = summary.inner_text()
    assert "IOM UK can only help with returns to Bulgaria, the Czech Republic" in message
    assert "Home Office Voluntary Returns Service" in message
    assert ReturnCase.objects.count() == 0
    assert_accessible(page)

    # Romania is accepted; the partner sees the reference, the country and the stage, no more.
    page.get_by_label("Country of return").select_option(label="Romania")
    page.get_by_role("button", name="Submit the referral").click()
    page.get_by_role("heading", name="My referrals").wait_for()
    case = ReturnCase.objects.get()
    row = page.get_by_role("row", name=re.compile(case.reference))
    assert re.search(r"Romania\s+Referred", row.inner_text())
    assert "Ileana" not in page.content()
    assert_accessible(page)

    # When IOM UK approves it, the partner sees the new stage, and still nothing else.
    case.stage = Stage.APPROVED
    case.save(update_fields=["stage"])
    page.reload()
    assert re.search(r"Romania\s+Approved", row.inner_text())
    response = page.goto(f"/returns/cases/{case.reference}/")
    assert response.status == 403
    assert "Ileana" not in page.content()
    page.goto("/returns/referrals/")
    assert_accessible(page)
    screenshot(page, "journey-2-partner-sees-the-stage")
