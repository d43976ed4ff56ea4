"""Journeys of points 2 and 5 of issue 16: a job seeker names a recruiter the way she knows it,
and checks a number the way she was given it."""

import pytest

from iris.models import Complaint
from tests.iris.factories import RecruiterFactory, country

WIDTHS = (390, 1280)


@pytest.fixture
def recruiters(db):
    return {
        "wroclaw": RecruiterFactory(
            legal_name="Agencja Pracy Wrocław Sp. z o.o.",
            hq_country=country("PL"),
            accreditation_number="IRIS-A-000001",
        ),
        "nordic_nl": RecruiterFactory(
            legal_name="Nordic Care Staffing BV", hq_country=country("NL")
        ),
        "nordic_ie": RecruiterFactory(
            legal_name="Nordic Care Staffing Ltd", hq_country=country("IE")
        ),
    }


def at_each_width(page, screenshot, name):
    """Screenshots at a phone's width and a laptop's, ending at the laptop's."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")


def fill_what_happened(page):
    page.get_by_label("Fees charged to the worker").check()
    page.get_by_label("Tell us what happened").fill(
        "They charged me 700 euros for the job and kept my passport."
    )
    page.get_by_label("I want to stay anonymous").check()


def test_she_reports_the_recruiter_she_found_on_the_roster_by_its_name(
    page, recruiters, assert_accessible, screenshot
):
    page.goto("/iris/recruiters/")
    page.get_by_label("Name or trading name").fill("wroclaw")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Agencja Pracy Wrocław Sp. z o.o.").click()
    page.get_by_role("link", name="Report this recruiter").click()

    # The form names the recruiter as the roster does, not by its address.
    page.get_by_role("heading", name="Report a recruiter").wait_for()
    named = page.get_by_label(
        "The recruiter's name, accreditation number or the address of its page on our list"
    )
    assert named.input_value() == "Agencja Pracy Wrocław Sp. z o.o."
    assert page.get_by_label("A recruiter on our list").is_checked()
    assert_accessible(page)
    at_each_width(page, screenshot, "iris-report-named-from-its-page")
    fill_what_happened(page)
    page.get_by_role("button", name="Send report").click()

    page.get_by_role("heading", name="Report received").wait_for()
    assert Complaint.objects.get().recruiter == recruiters["wroclaw"]


def test_a_name_that_several_recruiters_share_offers_them_and_keeps_her_answers(
    page, recruiters, assert_accessible, screenshot
):
    page.goto("/iris/complaints/new/")
    page.get_by_label(
        "The recruiter's name, accreditation number or the address of its page on our list"
    ).fill("nordic care")
    fill_what_happened(page)
    page.get_by_role("button", name="Send report").click()

    choice = page.get_by_role("group", name="Which recruiter do you mean?")
    choice.wait_for()
    assert choice.get_by_label("Nordic Care Staffing BV", exact=False).is_visible()
    assert choice.get_by_label("Nordic Care Staffing Ltd", exact=False).is_visible()
    assert choice.get_by_label("None of these", exact=False).is_visible()
    # What she wrote is still there.
    assert "kept my passport" in page.get_by_label("Tell us what happened").input_value()
    assert page.get_by_label("Fees charged to the worker").is_checked()
    assert_accessible(page)
    at_each_width(page, screenshot, "iris-report-which-recruiter")

    choice.get_by_label("Nordic Care Staffing Ltd", exact=False).check()
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Report received").wait_for()
    complaint = Complaint.objects.get()
    assert complaint.recruiter == recruiters["nordic_ie"]
    assert complaint.recruiter_name_given == "nordic care"


def test_a_recruiter_nobody_can_find_is_reported_all_the_same(
    page, recruiters, assert_accessible, screenshot
):
    page.goto("/iris/complaints/new/")
    page.get_by_label(
        "The recruiter's name, accreditation number or the address of its page on our list"
    ).fill("Golden Bridge Jobs")
    fill_what_happened(page)
    page.get_by_role("button", name="Send report").click()

    page.get_by_role("heading", name="Report received").wait_for()
    assert_accessible(page)
    at_each_width(page, screenshot, "iris-report-unmatched-taken")
    complaint = Complaint.objects.get()
    assert complaint.recruiter is None and complaint.needs_matching
    assert complaint.recruiter_name_given == "Golden Bridge Jobs"


def test_a_number_checks_as_valid_the_way_she_was_given_it(
    page, recruiters, assert_accessible, screenshot
):
    page.goto("/iris/verify/")
    page.get_by_label("Accreditation number").fill("iris a 000001")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("IRIS-A-000001 is valid today.").wait_for()
    assert page.get_by_text("It belongs to Agencja Pracy Wrocław Sp. z o.o.").is_visible()
    assert_accessible(page)
    at_each_width(page, screenshot, "iris-verify-number-as-typed")

    # Searching the roster for the number opens the recruiter's own page.
    page.goto("/iris/recruiters/")
    page.get_by_label("Name or trading name").fill("IRIS–A–000001")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="Agencja Pracy Wrocław Sp. z o.o.").wait_for()
    assert page.url.endswith(f"/iris/recruiters/{recruiters['wroclaw'].slug}/")
    assert_accessible(page)


def test_an_officer_finds_the_recruiter_a_report_could_not_name(
    page, new_page, recruiters, sign_in, assert_accessible, screenshot
):
    from django.contrib.auth.models import Group

    from iomuk import roles
    from iomuk.models import User

    # She knows the town and what the recruiter called itself, not its name on the roster.
    page.goto("/iris/complaints/new/")
    page.get_by_label(
        "The recruiter's name, accreditation number or the address of its page on our list"
    ).fill("Wroclaw Jobs Agency")
    fill_what_happened(page)
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("We did not find “Wroclaw Jobs Agency” on our list.").wait_for()
    reference = page.locator("dt:text-is('Reference') + dd").inner_text().strip()

    officer = User.objects.create_user(
        "officer", email="officer@iom-uk.example", password="officer-pass-123", is_staff=True
    )
    officer.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    desk = new_page()
    sign_in(desk, "officer", "officer-pass-123", "/staff/iris/complaints/?matching=on")
    desk.get_by_text("Wroclaw Jobs Agency needs matching").wait_for()
    desk.get_by_role("link", name=reference).click()
    button = desk.get_by_role("button", name="Link to this recruiter Agencja Pracy Wrocław")
    assert_accessible(desk)
    at_each_width(desk, screenshot, "iris-officer-links-a-report")
    button.click()
    desk.get_by_text("Linked to Agencja Pracy Wrocław Sp. z o.o.").wait_for()
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.recruiter == recruiters["wroclaw"] and not complaint.needs_matching
