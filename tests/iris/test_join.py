import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from iris.models import AccreditationState, Application, Recruiter
from iris.recruiters.services import (
    ApplicationError,
    application_accept,
    application_reject,
    recruiter_accredit,
)

from .factories import ApplicationFactory, country, sector

URL = reverse("iris:join")


def form_data(**overrides):
    data = {
        "organisation_name": "Bucharest Care Agency SRL",
        "organisation_type": "recruiter",
        "registration_number": "J40/1234/2020",
        "hq_country": "RO",
        "origin_countries": ["RO", "MD"],
        "destination_countries": ["GB"],
        "sectors": ["care"],
        "website": "https://bca.example",
        "contact_name": "Ana Popescu",
        "contact_email": "ana@bca.example",
        "contact_phone": "+40 21 000 0000",
        "about": "We place carers in UK care homes.",
        "commits_to_code": "on",
    }
    data.update(overrides)
    return data


def test_an_organisation_can_apply_and_is_told_it_was_received(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 200
    assert "Application received" in response.content.decode()
    application = Application.objects.get()
    assert application.state == "pending"
    assert {c.code for c in application.origin_countries.all()} == {"RO", "MD"}
    assert mail.outbox[0].to == ["ana@bca.example"]
    assert "Bucharest" not in mail.outbox[0].subject


def test_it_refuses_an_application_without_the_commitment(client, db):
    data = form_data()
    del data["commits_to_code"]
    response = client.post(URL, data)
    assert "Tick the box to commit to the code of conduct." in response.content.decode()
    assert "Error:" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("contact_email", "not-an-email"),
        ("hq_country", "XX"),
        ("organisation_name", ""),
        ("about", "x" * 6000),
        ("website", "javascript:alert(1)"),
    ],
)
def test_bad_input_is_answered_on_the_page(client, db, field, value):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Application.objects.exists()


def ticked_countries(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'name="(\w+_countries)" value="(\w\w)" id="[^"]+" checked', html))


def open_letters(html: str) -> list[str]:
    return re.findall(r'<details open>\s*<summary><span aria-hidden="true">(\w)</span>', html)


def test_the_country_lists_offer_the_uk_and_the_four_return_countries_first(client, db):
    html = client.get(URL).content.decode()
    offered = re.findall(r'name="origin_countries" value="(\w\w)"', html)
    assert offered[:5] == ["GB", "BG", "CZ", "HU", "RO"]
    assert len(offered) == len(set(offered)) > 240  # every country, each once
    assert "MY" in offered and "KW" in offered
    assert open_letters(html) == []  # the rest wait behind their letter


def test_a_form_sent_back_keeps_every_country_ticked_and_opens_the_letters_they_are_under(
    client, db
):
    data = form_data(
        origin_countries=["RO", "MY", "TH"],
        destination_countries=["GB", "KW"],
        contact_email="not-an-email",
    )
    html = client.post(URL, data).content.decode()
    assert "There is a problem" in html
    assert ticked_countries(html) == {
        ("origin_countries", "RO"),
        ("origin_countries", "MY"),
        ("origin_countries", "TH"),
        ("destination_countries", "GB"),
        ("destination_countries", "KW"),
    }
    assert open_letters(html) == ["M", "T", "K"]
    assert html.count("(1 chosen)") == 3


def test_accepting_a_recruiter_makes_an_applicant_and_granting_puts_it_on_the_roster(
    client, db, django_capture_on_commit_callbacks, officer
):
    application = ApplicationFactory(organisation_name="Agenția de Recrutare Brașov SRL")
    application.origin_countries.set([country("RO")])
    application.sectors.set([sector("care")])
    with django_capture_on_commit_callbacks(execute=True):
        application_accept(application=application, by=officer)
    application.refresh_from_db()
    recruiter = application.recruiter
    assert recruiter.state == AccreditationState.APPLICANT
    assert recruiter.slug == "agentia-de-recrutare-brasov-srl"
    assert mail.outbox[-1].to == [application.contact_email]
    assert "accepted" in mail.outbox[-1].subject.lower() or mail.outbox[-1].subject
    roster = reverse("iris:roster")
    assert "Brașov" not in client.get(roster).content.decode()
    recruiter_accredit(recruiter=recruiter)
    page = client.get(roster, {"q": "brasov"}).content.decode()
    assert "Agenția de Recrutare Brașov SRL" in page
    assert "1 recruiter found" in page


def test_an_employer_accepted_gets_no_recruiter_record(db, officer):
    application = ApplicationFactory(organisation_type="employer")
    application_accept(application=application, by=officer)
    assert not Recruiter.objects.exists()


def test_a_rejected_applicant_is_emailed_and_cannot_be_decided_twice(
    db, officer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=application, by=officer)
    assert len(mail.outbox) == 1
    with pytest.raises(ApplicationError):
        application_accept(application=application, by=officer)


def test_the_join_form_is_rate_limited(client, db, settings):
    settings.IRIS_JOIN_LIMIT = (2, 3600)
    client.post(URL, form_data())
    client.post(URL, form_data(organisation_name="Second"))
    assert client.post(URL, form_data(organisation_name="Third")).status_code == 429
    assert Application.objects.count() == 2


def test_the_confirmation_gives_a_reference_that_officers_can_search_for(
    client, officer_client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(URL, form_data()).content.decode()
    application = Application.objects.get()
    reference = application.reference
    assert re.fullmatch(r"IRIS-J-[2-9A-HJKMNP-Z]{6}", reference)
    assert re.search(rf"<strong[^>]*>{reference}</strong>", page)
    sent = mail.outbox[0]
    assert reference in sent.body
    assert reference in sent.alternatives[0][0]
    assert reference not in sent.subject
    # The applicant quotes it; an officer types it, in any case, into the admin's search.
    ApplicationFactory(organisation_name="Another Applicant SRL")
    found = officer_client.post(
        reverse("admin:iris_application_changelist"), {"q": reference.lower()}, follow=True
    ).content.decode()
    assert "Bucharest Care Agency SRL" in found
    assert "Another Applicant SRL" not in found
    change = officer_client.get(reverse("admin:iris_application_change", args=[application.pk]))
    assert reference in change.content.decode()


def test_each_application_gets_its_own_reference(db):
    first, second = ApplicationFactory(), ApplicationFactory()
    assert first.reference != second.reference
    assert first.reference.startswith("IRIS-J-")


def test_an_applicant_writing_in_romanian_gets_the_reference_in_romanian(
    client, db, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(URL, form_data()).content.decode()
    reference = Application.objects.get().reference
    assert "Numărul de referință al cererii dumneavoastră: <strong" in page
    assert f"Numărul de referință al cererii dumneavoastră: {reference}" in mail.outbox[0].body
