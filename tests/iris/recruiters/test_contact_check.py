"""The contact check: officers record a recruiter's contacts and the impostors pretending to be
it, from their own pages; anyone checks a contact on the page, in the widget or by the API."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog
from iris.models import AccreditationState, ImpostorContact, RecruiterContact, RecruiterWatch
from iris.recruiters import contact_services

from ..factories import ComplaintFactory, RecruiterFactory

CHECK = reverse("iris:contact-check")
WIDGET = reverse("iris:contact-check-widget")
WATCHER = "watcher@example.org"


def check(client, contact, country="", **headers):
    response = client.post(CHECK, {"contact": contact, "country": country}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def answer(page: str) -> str:
    found = re.search(r'data-answer="(\w+)"', page)
    return found.group(1) if found else ""


def watched(recruiter, language="en-gb"):
    return RecruiterWatch.objects.create(
        recruiter=recruiter, email=WATCHER, language=language, confirmed_at=timezone.now()
    )


@pytest.fixture
def agency(db):
    recruiter = RecruiterFactory(legal_name="Agency X SRL")
    contact_services.contact_add(recruiter=recruiter, kind="phone", value="+40 721 000 111")
    contact_services.contact_add(recruiter=recruiter, kind="web", value="https://agency-x.ro/")
    contact_services.contact_add(recruiter=recruiter, kind="agent", value="Ioana Marinescu")
    return recruiter


def test_a_number_written_the_local_way_belongs_to_its_recruiter(client, agency):
    page = check(client, "0721 000 111", country="RO")
    assert answer(page) == "authorised"
    assert "Agency X SRL" in page
    assert f'href="/iris/recruiters/{agency.slug}/"' in page
    assert "Checked on" in page
    # The four red flags, each leading to the complaint form.
    assert page.count(f'href="{reverse("iris:complaint-new")}') >= 5


def test_a_romanian_reader_needs_no_country_for_a_local_number(client, agency):
    page = check(client, "0040 721 000 111", HTTP_ACCEPT_LANGUAGE="ro")
    assert answer(page) == "authorised"
    assert answer(check(client, "0721000111", HTTP_ACCEPT_LANGUAGE="ro")) == "authorised"


def test_a_subdomain_or_an_email_at_the_domain_belongs_to_it_and_a_look_alike_does_not(
    client, agency
):
    assert answer(check(client, "https://jobs.agency-x.ro/apply")) == "authorised"
    assert answer(check(client, "hr@agency-x.ro")) == "authorised"
    assert answer(check(client, "agency-x.ro.example.com")) == "unknown"


def test_an_unknown_contact_is_answered_honestly_with_what_to_do(client, agency):
    page = check(client, "+40 799 999 999")
    assert answer(page) == "unknown"
    assert "That does not mean it is false" in page
    assert "call the number on its page" in page
    assert "Agency X SRL" not in page


def test_a_named_agent_belongs_to_the_recruiter_and_another_name_gets_the_roster(client, agency):
    assert answer(check(client, "ioana  MARINESCU")) == "authorised"
    page = check(client, "Vasile Impostorescu")
    assert answer(page) == "name"
    assert f'href="{reverse("iris:roster")}?q=Vasile%20Impostorescu' in page


def test_a_contact_of_a_suspended_recruiter_is_not_valid_today(client, agency):
    agency.state = AccreditationState.SUSPENDED
    agency.save()
    page = check(client, "+40721000111")
    assert answer(page) == "not_valid"
    assert "Suspended" in page


def test_an_applicants_contact_is_never_shown(client, db):
    applicant = RecruiterFactory(applicant=True, legal_name="Not Yet Listed Ltd")
    contact_services.contact_add(recruiter=applicant, kind="web", value="not-yet.example")
    page = check(client, "not-yet.example")
    assert answer(page) == "unknown"
    assert "Not Yet Listed" not in page


@pytest.mark.parametrize("contact", ["", "x" * 201])
def test_an_empty_or_overlong_box_says_what_to_do_and_keeps_the_words(client, db, contact):
    response = client.post(CHECK, {"contact": contact})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    if contact:
        assert contact in page


def test_the_page_is_script_free(client, agency):
    page = check(client, "0721 000 111", country="RO")
    assert "<script" not in page.split("</header>", 1)[-1].split("<footer", 1)[0]


def test_checks_are_throttled_as_the_verify_page(client, agency, settings):
    settings.IRIS_VERIFY_LIMIT = (2, 600)
    for _ in range(2):
        check(client, "0721 000 111", country="RO")
    response = client.post(CHECK, {"contact": "0721 000 111", "country": "RO"})
    assert response.status_code == 429


def test_the_widget_answers_in_its_language_and_opens_links_in_a_new_tab(client, agency):
    response = client.get(WIDGET, {"contact": "0721 000 111", "lang": "ro"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-answer="authorised"' in page
    assert '<html lang="ro">' in page
    assert "<script" not in page
    assert f'href="/iris/recruiters/{agency.slug}/?lang=ro" target="_blank"' in page
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]


def test_the_widget_is_throttled_with_the_page(client, agency, settings):
    settings.IRIS_VERIFY_LIMIT = (1, 600)
    assert client.get(WIDGET, {"contact": "agency-x.ro"}).status_code == 200
    assert client.get(WIDGET, {"contact": "agency-x.ro"}).status_code == 429


# ---------------------------------------------------------------------------
# Officers' pages
# ---------------------------------------------------------------------------
def test_an_officer_adds_a_contact_and_an_impostor_and_both_show_in_the_check_at_once(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    recruiter = RecruiterFactory(legal_name="Danube Fields SRL", hq_country_id="RO")
    watched(recruiter)
    detail = reverse("iris-recruiters:detail", args=[recruiter.slug])
    assert "Add an authorised contact" in officer_client.get(detail).content.decode()

    response = officer_client.post(
        reverse("iris-recruiters:contact-add", args=[recruiter.slug]),
        {"contact-kind": "phone", "contact-value": "0722 123 456", "contact-region": "RO"},
    )
    assert response.status_code == 302
    page = officer_client.get(detail).content.decode()
    assert "0722 123 456" in page
    assert "phone:+40722123456" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("iris-recruiters:impostor-add", args=[recruiter.slug]),
            {
                "impostor-kind": "web",
                "impostor-value": "danube-fields-ro.example",
                "impostor-region": "RO",
                "impostor-reported_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302

    assert answer(check(client, "+40 722 123 456")) == "authorised"
    warning = check(client, "https://www.danube-fields-ro.example/jobs")
    assert answer(warning) == "warning"
    assert "It pretends to be Danube Fields SRL" in warning

    # The watcher's alert went out once, and names neither the contact nor who reported it.
    (alert,) = mail.outbox
    assert alert.to == [WATCHER]
    assert "pretending to be Danube Fields SRL" in alert.body
    assert "danube-fields-ro.example" not in alert.body + alert.subject
    assert AccessLog.objects.filter(object_type="iris.contact").count() == 2


def test_a_contact_that_is_not_one_keeps_what_the_officer_typed(officer_client, db):
    recruiter = RecruiterFactory()
    response = officer_client.post(
        reverse("iris-recruiters:contact-add", args=[recruiter.slug]),
        {"contact-kind": "phone", "contact-value": "call me maybe", "contact-region": "GB"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This is not a phone number we can read." in page
    assert 'value="call me maybe"' in page
    assert not RecruiterContact.objects.exists()


def test_removing_a_contact_keeps_its_history_and_tells_the_watchers_once(
    officer_client, client, agency, django_capture_on_commit_callbacks
):
    watched(agency, language="ro")
    contact = agency.contacts.get(kind="phone")
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("iris-recruiters:contact-remove", args=[agency.slug, contact.pk])
        )
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("iris-recruiters:contact-remove", args=[agency.slug, contact.pk])
        )
    assert answer(check(client, "+40721000111")) == "unknown"
    contact.refresh_from_db()
    assert contact.removed_at is not None
    assert contact.history.count() == 2
    (alert,) = mail.outbox
    assert "Agency X SRL" in alert.body
    assert "721" not in alert.body


def test_an_authorised_contact_cannot_go_on_the_warning_list_nor_the_reverse(agency):
    with pytest.raises(contact_services.ContactError):
        contact_services.impostor_add(
            kind="phone", value="0721000111", region="RO", imitates=agency
        )
    contact_services.impostor_add(kind="web", value="agency-x-jobs.example", imitates=agency)
    with pytest.raises(contact_services.ContactError):
        contact_services.contact_add(recruiter=agency, kind="web", value="agency-x-jobs.example")


def test_an_officer_takes_an_impostor_off_the_warning_list(officer_client, client, agency):
    impostor = contact_services.impostor_add(kind="web", value="fake-x.example", imitates=agency)
    listing = officer_client.get(reverse("iris-recruiters:impostors")).content.decode()
    assert "fake-x.example" in listing
    officer_client.post(reverse("iris-recruiters:impostor-remove", args=[impostor.pk]))
    assert answer(check(client, "fake-x.example")) == "unknown"
    assert ImpostorContact.objects.get().removed_at is not None


def test_an_officer_lists_a_complaints_contact_as_an_impostor_without_the_complainant(
    officer_client, client, agency, django_capture_on_commit_callbacks
):
    watched(agency)
    complaint = ComplaintFactory(
        recruiter=agency,
        name="Elena Pop",
        email="elena.pop@example.org",
        unlisted_contact="+40 730 555 000 (WhatsApp)\nsaid they were Agency X",
    )
    complaint.created_at = timezone.now() - timedelta(days=3)
    complaint.save(update_fields=["created_at"])
    detail = reverse("iris-complaints:detail", args=[complaint.reference])
    page = officer_client.get(detail).content.decode()
    assert 'value="+40 730 555 000 (WhatsApp)"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("iris-complaints:impostor", args=[complaint.reference]),
            {
                "impostor-kind": "phone",
                "impostor-value": "+40 730 555 000",
                "impostor-region": "RO",
                "impostor-reported_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            },
        )
    assert response.status_code == 302
    warning = check(client, "0730 555 000", country="RO")
    assert answer(warning) == "warning"
    assert "It pretends to be Agency X SRL" in warning
    for private in ("Elena", "elena.pop", complaint.reference, "said they were"):
        assert private not in warning
    (alert,) = mail.outbox
    assert "Elena" not in alert.body and complaint.reference not in alert.body
    assert ImpostorContact.objects.get().source == "complaint"


def test_the_recruiters_page_lists_the_contacts_in_force_in_the_readers_language(client, agency):
    removed = contact_services.contact_add(recruiter=agency, kind="web", value="old-agency-x.ro")
    contact_services.contact_remove(contact=removed)
    page = client.get(
        reverse("iris:recruiter", args=[agency.slug]), HTTP_ACCEPT_LANGUAGE="ro"
    ).content.decode()
    assert "Contactele sale" in page
    assert 'Număr de telefon: <a href="tel:+40721000111">+40 721 000 111</a>' in page
    assert "Agent numit: Ioana Marinescu" in page
    assert "old-agency-x.ro" not in page
    assert f'href="{CHECK}"' in page


def test_an_address_recorded_under_another_kind_is_kept_as_what_it_is(client, agency):
    page = contact_services.contact_add(
        recruiter=agency, kind="web", value="https://m.facebook.com/AgencyXJobs/"
    )
    chat = contact_services.contact_add(
        recruiter=agency, kind="social", value="https://wa.me/40722000222"
    )
    assert (page.kind, chat.kind) == ("social", "phone")
    assert answer(check(client, "facebook.com/agencyxjobs")) == "authorised"
    assert answer(check(client, "0722 000 222", country="RO")) == "authorised"
