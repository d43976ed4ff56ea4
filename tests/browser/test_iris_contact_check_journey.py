"""A job seeker in Romania checks, on the Romanian pages, the contacts someone gave her: a
number written the local way belongs to a listed recruiter; a look-alike website is on the
warning list; an unknown number gets the honest "unknown" and what to do; and she reports it."""

from django.utils import translation
from django.utils.translation import gettext

from iris.models import Complaint
from iris.recruiters import contact_services
from tests.iris.factories import RecruiterFactory


def ro(text: str) -> str:
    with translation.override("ro"):
        return gettext(text)


def test_a_job_seeker_checks_three_contacts_in_romanian_and_reports_the_unknown_one(
    new_page, assert_accessible, screenshot
):
    agency = RecruiterFactory(legal_name="Agenția Dunărea SRL", slug="agentia-dunarea")
    contact_services.contact_add(recruiter=agency, kind="phone", value="+40 721 000 111")
    contact_services.contact_add(recruiter=agency, kind="web", value="https://agentia-dunarea.ro")
    contact_services.impostor_add(kind="web", value="agentia-dunarea.ro.example", imitates=agency)

    person = new_page(locale="ro-RO")
    person.set_viewport_size({"width": 390, "height": 900})
    person.goto("/iris/check/")
    person.get_by_role("heading", name="Chiar ei sunt? Verificați un contact").wait_for()
    box = person.get_by_label(
        "Lipiți numărul de telefon, site-ul, e-mailul sau numele persoanei care v-a contactat"
    )
    assert_accessible(person)

    # A number written the Romanian way, with no country code.
    box.fill("0721 000 111")
    person.get_by_role("button", name="Verificați", exact=True).click()
    person.get_by_text("Acest contact aparține unui recrutor de pe lista noastră.").wait_for()
    authorised = person.locator("[data-answer=authorised]")
    assert "Agenția Dunărea SRL" in authorised.inner_text()
    assert authorised.locator('a[href="/iris/recruiters/agentia-dunarea/"]').count() == 1
    # Printable with the time of the check on it.
    checked_on = ro("Checked on %(when)s (UK time).").split("%(when)s")[0]
    assert checked_on != "Checked on "
    assert checked_on in person.locator(".iris-verify-result").inner_text()
    assert_accessible(person)
    screenshot(person, "iris-contact-check-authorised-390")

    # A look-alike of the recruiter's own website: the warning, with the helpline.
    box.fill("https://www.agentia-dunarea.ro.example/locuri-de-munca")
    person.get_by_role("button", name="Verificați", exact=True).click()
    warning = person.locator("[data-answer=warning]")
    warning.wait_for()
    assert "Atenție: acest contact se află pe lista noastră de impostori." in warning.inner_text()
    assert "Se dă drept Agenția Dunărea SRL" in warning.inner_text()
    assert box.input_value() == "https://www.agentia-dunarea.ro.example/locuri-de-munca"
    assert_accessible(person)
    screenshot(person, "iris-contact-check-warning-390")

    # A number no listed recruiter has given: honest about what that does and does not mean.
    box.fill("0799 999 999")
    person.get_by_role("button", name="Verificați", exact=True).click()
    unknown = person.locator("[data-answer=unknown]")
    unknown.wait_for()
    text = unknown.inner_text()
    assert "Nu cunoaștem acest contact." in text
    assert "Asta nu înseamnă că este fals" in text
    assert "sunați la numărul de pe pagina lui" in text
    # The four red flags, each a way to report.
    flags = person.locator(".iris-red-flags li a")
    assert flags.count() == 4
    assert_accessible(person)
    screenshot(person, "iris-contact-check-unknown-390")

    # She reports it.
    person.get_by_role("link", name=ro("Report a recruiter")).first.click()
    person.get_by_role("heading", name=ro("Report a recruiter")).wait_for()
    person.get_by_label(ro("A recruiter that is not on our list")).check()
    person.get_by_label(ro("The recruiter's name"), exact=True).fill("Vasile, pe WhatsApp")
    person.get_by_label(
        ro("Any contact details you know for the recruiter (address, phone, website)")
    ).fill("0799 999 999")
    person.get_by_label(ro("Fees charged to the worker")).check()
    person.get_by_label(ro("Tell us what happened")).fill(
        "Mi-a cerut 500 de euro pentru un loc de muncă în Anglia."
    )
    person.get_by_label(
        ro("I want to stay anonymous: do not keep my name or contact details")
    ).check()
    person.get_by_role("button", name=ro("Send report")).click()
    person.get_by_role("heading", name=ro("Report received")).wait_for()
    complaint = Complaint.objects.get()
    assert complaint.unlisted_contact == "0799 999 999"
    assert "0799" not in person.url


def test_the_widget_answers_in_its_language_accessibly_and_without_a_script(
    new_page, assert_accessible
):
    agency = RecruiterFactory(legal_name="Agenția Dunărea SRL", slug="agentia-dunarea")
    contact_services.impostor_add(kind="phone", value="+40 730 555 000", imitates=agency)
    person = new_page(locale="bg-BG", java_script_enabled=False)
    person.goto("/iris/widget/check/?lang=bg")
    person.get_by_label(
        "Поставете телефонния номер, уебсайта, имейла или името на човека, който ви е потърсил"
    ).fill("0730 555 000")
    person.get_by_label("Държава на телефонния номер, ако няма код на държавата").select_option(
        "RO"
    )
    person.get_by_role("button", name="Проверка").click()  # works with scripts off
    person.get_by_text("Внимание: този контакт е в нашия списък с измамници.").wait_for()
    assert "Представя се за Agenția Dunărea SRL" in person.content()

    # The same answer, checked by axe (which needs scripts on in the checking browser).
    checked = new_page(locale="bg-BG")
    checked.goto("/iris/widget/check/?lang=bg&contact=0730+555+000&country=RO")
    checked.get_by_text("Внимание: този контакт е в нашия списък с измамници.").wait_for()
    assert_accessible(checked)
