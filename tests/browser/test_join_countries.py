"""The join form's country lists: every country, found and ticked without any script, and every
choice still ticked and in sight when the form comes back with a mistake to put right."""

import pytest

ORIGINS = "Countries you recruit workers from (optional)"
DESTINATIONS = "Countries you place workers in (optional)"


def countries(page, legend: str):
    return page.locator("main form fieldset", has=page.locator("legend", has_text=legend))


def tick(page, legend: str, letter: str, name: str) -> None:
    group = countries(page, legend)
    group.locator("summary", has_text=f"Countries starting with {letter}").click()
    group.get_by_label(name, exact=True).check()


def fill_the_rest(page, email: str) -> None:
    form = page.locator("main form")
    form.locator("[name=organisation_name]").fill("Gulf Bridge Recruitment Sdn Bhd")
    form.locator("[name=organisation_type]").select_option("recruiter")
    form.locator("[name=hq_country]").select_option("MY")
    form.locator("[name=contact_name]").fill("Siti Rahman")
    form.locator("[name=contact_email]").fill(email)
    form.locator("[name=commits_to_code]").check()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-script", "script"])
@pytest.mark.parametrize("width", [390, 1280])
def test_countries_ticked_under_their_letters_are_kept_when_the_form_comes_back(
    new_page, db, assert_accessible, screenshot, javascript, width
):
    page = new_page(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    page.goto("/iris/join/")
    origins = countries(page, ORIGINS)
    # The UK and the four return countries are in sight at once; the rest wait behind a letter.
    assert origins.get_by_label("United Kingdom", exact=True).is_visible()
    assert origins.get_by_label("Romania", exact=True).is_visible()
    assert not origins.get_by_label("Malaysia", exact=True).is_visible()

    origins.get_by_label("Romania", exact=True).check()
    tick(page, ORIGINS, "M", "Malaysia")
    tick(page, ORIGINS, "T", "Thailand")
    countries(page, DESTINATIONS).get_by_label("United Kingdom", exact=True).check()
    tick(page, DESTINATIONS, "K", "Kuwait")
    tick(page, DESTINATIONS, "O", "Oman")
    fill_the_rest(page, email="siti.rahman@")  # a mistake: the address is cut short
    page.get_by_role("button", name="Send application").click()
    page.get_by_role("heading", name="There is a problem").wait_for()

    for legend, names in {
        ORIGINS: ["Romania", "Malaysia", "Thailand"],
        DESTINATIONS: ["United Kingdom", "Kuwait", "Oman"],
    }.items():
        group = countries(page, legend)
        for name in names:
            box = group.get_by_label(name, exact=True)
            assert box.is_checked(), (legend, name)
            assert box.is_visible(), (legend, name)  # its letter opened by itself
        assert group.locator("input:checked").count() == 3
    assert countries(page, ORIGINS).get_by_text("(1 chosen)").count() == 2
    if javascript:  # axe runs as a script in the page
        assert_accessible(page)
    screenshot(page, f"join-countries-kept-{width}-{'script' if javascript else 'no-script'}")

    # Put right and sent: the application holds every country ticked.
    page.locator("main form [name=contact_email]").fill("siti.rahman@gulfbridge.example")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Application received").wait_for()
    from iris.models import Application

    application = Application.objects.get()
    assert {c.code for c in application.origin_countries.all()} == {"RO", "MY", "TH"}
    assert {c.code for c in application.destination_countries.all()} == {"GB", "KW", "OM"}


def test_the_join_form_with_its_country_lists_is_accessible(page, db, assert_accessible):
    page.goto("/iris/join/")
    assert_accessible(page)
    countries(page, ORIGINS).locator("summary", has_text="Countries starting with M").click()
    assert_accessible(page)


def test_a_country_ticked_under_its_letter_is_in_sight_after_a_change_of_language(page, db):
    page.goto("/iris/join/")
    tick(page, ORIGINS, "M", "Malaysia")
    page.get_by_role("link", name="Română").click()
    page.wait_for_function("document.documentElement.lang === 'ro'")
    box = page.locator("main form [name=origin_countries][value=MY]")
    assert box.is_checked()
    assert box.is_visible()  # its letter opened for it
