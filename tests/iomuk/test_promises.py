"""The pages and emails promise only what someone will do: a reply goes to an address someone
reads, a form that was refused says so, and help is described as it is given."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory

from iomuk import roles
from iomuk.models import User
from iris.recruiters.services import application_reject
from tests.iomuk.test_translations import get
from tests.iris.factories import ApplicationFactory

CONTACT = "write-to-us@iom-uk.example"


@pytest.fixture(autouse=True)
def _contact(settings):
    settings.CONTACT_EMAIL = CONTACT


@pytest.fixture
def officer(db):
    user = User.objects.create_user("officer", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    return user


def test_a_refused_application_gives_an_address_to_write_to_not_a_no_reply_to_answer(
    officer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=application, by=officer)
    (refusal,) = mail.outbox
    for body in (refusal.body, refusal.alternatives[0][0]):
        assert "Reply to this email" not in body
        assert CONTACT in body


@pytest.mark.django_db
def test_the_application_reference_comes_with_the_address_to_quote_it_to():
    html = render_to_string(
        "iris/join_done.html",
        {"application": ApplicationFactory()},
        request=RequestFactory().get("/iris/join/"),
    )
    assert f"quote it if you write to us about your application at {CONTACT}" in html


@pytest.mark.django_db
def test_the_too_many_attempts_page_says_the_form_was_not_received():
    html = render_to_string("429.html", request=RequestFactory().get("/"))
    assert "Nothing you sent before has been lost" not in html
    assert "What you have just sent was not received." in html
    assert "Copy your text somewhere safe before you try again." in html


@pytest.mark.django_db
def test_the_returns_page_says_what_help_may_include_and_for_how_long(client):
    html = get(client, "/returns/", "en-gb").content.decode()
    assert "continues while" not in html
    assert "help may include the following, depending on what they need" in html
    assert "for a year after the return: at 3, 6 and 12 months" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_rights_and_problems_can_be_raised_by_email_phone_in_hours_and_relay_uk(client, path):
    html = get(client, path, "en-gb").content.decode()
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
    assert "Monday to Friday, 09:00 to 17:00 (UK time)" in html
    assert "Relay UK: dial 18001 then 020 7800 6000" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/training/"])
def test_the_training_names_who_accredits_it_for_cpd(client, settings, path):
    settings.CPD_ACCREDITED_BY = "the CPD Standards Office"
    html = get(client, path, "en-gb").content.decode()
    assert "The CPD accreditation is given by the CPD Standards Office." in html
