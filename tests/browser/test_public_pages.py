"""Every public page, as Chromium renders it: accessible, working under the strict CSP."""

import pytest
from playwright.sync_api import expect

PUBLIC_PAGES = [
    "/",
    "/training/",
    "/returns/",
    "/iris/",
    "/accounts/login/",
    "/privacy/",
    "/accessibility/",
    "/cookies/",
    "/cover-your-tracks/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations(page, path, assert_accessible):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)
    assert errors == [], f"console errors (often a CSP violation): {errors}"


def test_the_language_switcher_changes_the_page_language(page):
    page.goto("/")
    page.get_by_role("link", name="Română").click()
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.get_by_text("Română").get_attribute("aria-current") == "true"
    page.goto("/iris/")
    assert page.locator("html").get_attribute("lang") == "ro"  # remembered for the visit


def test_shift_three_times_leaves_the_page(page, live_server, settings):
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz?checks=none"
    page.goto("/returns/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/healthz?checks=none")
    page.go_back()
    assert "/returns/" not in page.url  # replaced, so Back does not return to it


def test_the_error_summary_takes_focus_after_a_failed_sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    # The page comes back from the server: wait for it, as a person would.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")


def test_the_error_summary_takes_focus_after_the_skip_link_was_used(page):
    # The skip link leaves #main in the address; the form keeps it, and #main took the focus.
    page.goto("/training/request/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Skip to main content"
    page.get_by_role("button", name="Send the request").click()
    assert page.url.endswith("#main")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")


def test_a_person_about_to_report_reads_how_their_information_is_used(page, assert_accessible):
    page.goto("/iris/complaints/new/")
    page.get_by_role("link", name="How we use your information (privacy notice)").click()
    page.get_by_role("heading", name="Privacy notice", level=1).wait_for()
    assert page.get_by_role("heading", name="Reporting a recruiter").is_visible()
    page.get_by_role("link", name="cookies page").click()
    page.get_by_role("heading", name="Cookies", level=1).wait_for()
    assert_accessible(page)
    footer = page.get_by_role("navigation", name="About this portal")
    footer.get_by_role("link", name="Accessibility").click()
    page.get_by_role("heading", name="Accessibility statement", level=1).wait_for()


def test_the_privacy_notice_reads_in_the_language_chosen(page):
    page.goto("/privacy/")
    page.get_by_role("link", name="Română").click()
    page.get_by_role("heading", name="Notă de confidențialitate", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("main").get_attribute("lang") is None
