"""The language switcher, in Chromium: choose a language, keep it for the visit, change it back."""

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_reads_the_portal_in_romanian_and_switches_back_to_english(page):
    page.goto("/")
    page.get_by_label("Language").select_option("ro")
    page.get_by_role("button", name="Change language").click()
    assert page.locator("html").get_attribute("lang") == "ro"
    assert "sclaviei moderne" in page.locator("h1").inner_text()

    page.goto("/iris/")
    assert page.locator("html").get_attribute("lang") == "ro"
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en-gb"  # staff pages stay English

    page.goto("/")
    page.get_by_label("Limba").select_option("en-gb")
    page.get_by_role("button", name="Schimbați limba").click()
    assert page.locator("html").get_attribute("lang") == "en-gb"
    assert "modern slavery" in page.locator("h1").inner_text()


@pytest.mark.parametrize(
    ("code", "name"),
    [("bg", "Български"), ("cs", "Čeština"), ("hu", "Magyar"), ("ro", "Română")],
)
def test_each_language_is_offered_under_its_own_name(page, code, name):
    page.goto("/")
    assert page.locator(f'#language-select option[value="{code}"]').inner_text() == name
