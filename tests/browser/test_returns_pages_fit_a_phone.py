"""The returns staff pages fit a phone (390 px): the page never scrolls sideways, with names,
organisations and references as long as the demo's."""

import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User
from returns.models import ReturnPlanItem, Stage
from tests.returns.factories import ReturnCaseFactory

PHONE = {"width": 390, "height": 844}
PASSWORD = "a-long-test-password-for-staff"
# The elements wider than the screen, for the failure message.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((el) => !el.closest("table") || el.tagName === "TABLE")
  .slice(0, 8)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(
    el.getBoundingClientRect().right)}`)"""


@pytest.fixture
def caseworker(db):
    user = User.objects.create_user(
        "caseworker",
        email="caseworker@iom-uk.example",
        password=PASSWORD,
        first_name="Anna-Maria",
        last_name="Constantinescu-Popovici",
    )
    user.groups.add(Group.objects.get(name=roles.CASEWORKERS))
    return user


@pytest.fixture
def cases(caseworker):
    made = []
    for number, stage in enumerate([Stage.REFERRED, Stage.APPROVED, Stage.TRAVEL_ARRANGED]):
        case = ReturnCaseFactory(
            reference=f"RR-2026-{123450 + number}",
            stage=stage,
            referred_by=caseworker,
            assigned_caseworker=caseworker if number else None,
            full_name="Alexandra-Ioana Dumitrescu-Georgescu Vasilescu",
            preferred_name="Alexandra Ioana",
            referrer_name="Bartholomew Fitzgerald-Montgomery",
            referrer_organisation="Salvation Army Modern Slavery Victim Care Contract Team",
            referrer_contact="bartholomew.fitzgerald-montgomery@salvationarmy.example.org.uk",
            destination_town="Drobeta-Turnu Severin",
            consent_partners="IOM Romania, Asociația Pro Refugiu, Fundația Floarea Ialomiței",
        )
        for service in ("travel_document", "flight", "land_transport", "shelter", "medical"):
            ReturnPlanItem.objects.create(
                case=case, service=service, notes="Quote from Wizz Air, seat held"
            )
        made.append(case)
    return made


def test_the_returns_staff_pages_never_scroll_sideways_on_a_phone(
    new_page, caseworker, cases, sign_in, screenshot
):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, "caseworker", PASSWORD, next_path="/returns/cases/")
    case = cases[1]
    too_wide = {}
    for path, name in [
        ("/returns/cases/", "case-list"),
        ("/returns/cases/?caseworker=none", "intake-queue"),
        (f"/returns/cases/{case.reference}/", "case-page"),
        ("/returns/referrals/new/", "referral-form"),
        ("/returns/referrals/", "my-referrals"),
        (f"/returns/referrals/{case.reference}/", "referral-page"),
    ]:
        page.goto(path)
        page.wait_for_load_state()
        if name == "case-page":
            page.get_by_text("Change these details").click()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = (width, page.evaluate(OVERFLOWING))
        screenshot(page, f"returns-phone-{name}")

    # A case manager's case page has the access log too.
    manager = User.objects.create_user(
        "casemanager", email="casemanager@iom-uk.example", password=PASSWORD
    )
    manager.groups.add(Group.objects.get(name=roles.CASE_MANAGERS))
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, "casemanager", PASSWORD, next_path=f"/returns/cases/{case.reference}/")
    page.get_by_role("heading", name="Access log").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        too_wide["case page, case manager"] = (width, page.evaluate(OVERFLOWING))

    assert too_wide == {}
