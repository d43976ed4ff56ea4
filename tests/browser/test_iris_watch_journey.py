"""Someone asks, on a recruiter's page, to be emailed when its standing changes, confirms the
link, is told of a suspension, and stops the emails from the link in it."""

import pytest

from iris.models import RecruiterWatch
from iris.recruiters import services
from tests.browser.conftest import email_to, link_in
from tests.iris.factories import RecruiterFactory


@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_watches_a_recruiter_from_its_page(
    new_page, assert_accessible, screenshot, width
):
    recruiter = RecruiterFactory(legal_name="Danube Harvest SRL", slug="danube-harvest")
    person = new_page(locale="ro-RO")
    person.set_viewport_size({"width": width, "height": 900})
    person.goto("/iris/recruiters/danube-harvest/")
    person.get_by_role("heading", name="Primiți e-mailuri despre acest recrutor").wait_for()
    assert person.get_by_label("Limba e-mailurilor").input_value() == "ro"
    assert_accessible(person)

    # A mistake first: it is explained, and the page stays accessible.
    person.get_by_label("Adresa dumneavoastră de e-mail").fill("maria@")
    person.get_by_role("button", name="Trimiteți-mi un link de confirmare").click()
    person.get_by_role("alert").wait_for()
    assert_accessible(person)

    person.get_by_label("Adresa dumneavoastră de e-mail").fill("maria@example.org")
    person.get_by_role("button", name="Trimiteți-mi un link de confirmare").click()
    person.get_by_role("heading", name="Acum verificați-vă e-mailul").wait_for()
    assert "maria" not in person.url
    assert_accessible(person)
    screenshot(person, f"iris-watch-asked-{width}")

    confirmation = email_to("maria@example.org", "iris-watch-confirm")
    person.goto(link_in(confirmation.body_text, "/iris/watch/confirm/"))
    assert_accessible(person)
    person.get_by_role("button", name="Porniți e-mailurile").click()
    person.get_by_role("heading", name="E-mailurile au pornit").wait_for()
    assert_accessible(person)
    assert RecruiterWatch.objects.get().confirmed_at is not None

    services.recruiter_suspend(recruiter=recruiter, reason="Complaints under review.")
    alert = email_to("maria@example.org", "iris-watch-alert")
    assert "este suspendată" in alert.body_text
    person.goto(link_in(alert.body_text, "/iris/watch/manage/"))
    person.get_by_role("link", name="Danube Harvest SRL").wait_for()
    assert_accessible(person)
    person.get_by_role("button", name="Opriți e-mailurile despre Danube Harvest SRL").click()
    person.get_by_role("heading", name="E-mailurile au fost oprite").wait_for()
    assert_accessible(person)
    assert not RecruiterWatch.objects.exists()
