"""Switching language in the middle of a form keeps what the person typed."""

KEPT_IN_THE_TAB = "() => Object.keys(sessionStorage)"


def test_switching_language_on_the_join_form_keeps_what_was_typed(page):
    page.goto("/iris/join/")
    form = page.locator("main form")
    form.locator("[name=organisation_name]").fill("Popescu Recrutare SRL")
    form.locator("[name=contact_name]").fill("Elena Popescu")
    form.locator("[name=contact_email]").fill("elena@popescu.example")
    form.locator("[name=about]").fill("We place nurses in care homes.\nEvery fee is paid by us.")
    form.locator("[name=hq_country]").select_option(index=2)
    country = form.locator("[name=hq_country]").input_value()
    form.locator("[name=origin_countries]").first.check()
    form.locator("[name=commits_to_code]").check()

    page.get_by_role("link", name="Română").click()
    page.wait_for_function("document.documentElement.lang === 'ro'")

    form = page.locator("main form")
    assert form.locator("[name=organisation_name]").input_value() == "Popescu Recrutare SRL"
    assert form.locator("[name=contact_name]").input_value() == "Elena Popescu"
    assert form.locator("[name=contact_email]").input_value() == "elena@popescu.example"
    assert form.locator("[name=about]").input_value() == (
        "We place nurses in care homes.\nEvery fee is paid by us."
    )
    assert form.locator("[name=hq_country]").input_value() == country
    assert form.locator("[name=origin_countries]").first.is_checked()
    assert form.locator("[name=commits_to_code]").is_checked()
    # Put back, then forgotten: nothing of it stays in the browser.
    assert page.evaluate(KEPT_IN_THE_TAB) == []


def test_the_typed_text_is_not_carried_to_another_page(page):
    page.goto("/iris/join/")
    page.locator("main form [name=contact_name]").fill("Elena Popescu")
    page.get_by_role("link", name="Română").click()
    page.wait_for_function("document.documentElement.lang === 'ro'")
    page.goto("/iris/complaints/new/")
    assert page.locator("main form [name=name]").input_value() == ""
    assert page.evaluate(KEPT_IN_THE_TAB) == []
