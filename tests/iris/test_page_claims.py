"""What the IRIS pages claim: only what is true of this list, and what really follows a report."""

import re

import pytest
from django.conf import settings

from tests.iris.complaints.test_complaints import form_data, submit


def text_of(response) -> str:
    """The words a reader sees: tags dropped, spaces collapsed."""
    html = response.content.decode()
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([.,:])", r"\1", words)


def links_to_iris_website(response) -> bool:
    return f'href="{settings.IRIS_WEBSITE_URL}"' in response.content.decode()


@pytest.mark.django_db
def test_a_search_that_finds_nobody_does_not_call_the_recruiter_unaccredited(client):
    response = client.get("/iris/recruiters/?q=nothing-matches-this")
    text = text_of(response)
    assert "not IRIS accredited" not in text
    assert "No recruiter on this list matches your search." in text
    assert "A recruiter that is not on our list may still be accredited by IRIS." in text
    assert links_to_iris_website(response)


@pytest.mark.django_db
def test_the_list_says_it_holds_the_recruiters_accredited_through_this_service(client):
    response = client.get("/iris/recruiters/")
    assert "This list shows the recruiters accredited through this service." in text_of(response)
    assert links_to_iris_website(response)


@pytest.mark.django_db
def test_the_iris_page_spells_out_its_name_and_names_the_employer_pays_principle(client):
    response = client.get("/iris/")
    text = text_of(response)
    assert "International Recruitment Integrity System" in text
    assert "Employer Pays Principle" in text
    assert "visit the IRIS website" in text
    assert links_to_iris_website(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/iris/", "/iris/join/"])
def test_joining_the_alliance_and_being_accredited_are_told_apart(client, path):
    text = text_of(client.get(path))
    assert (
        "Joining the alliance is a promise to keep the code of conduct; being accredited means "
        "IRIS has checked that a recruiter keeps it."
    ) in text
    assert "IRIS member" not in text
    assert "certif" not in text


@pytest.mark.django_db
def test_the_list_says_iris_also_accredits_elsewhere_without_calling_it_certifying(client):
    text = text_of(client.get("/iris/"))
    assert (
        "IRIS also accredits recruiters outside this service, after an independent audit, "
        "and keeps its own international list."
    ) in text


@pytest.mark.django_db
def test_the_application_form_links_the_iris_website_beside_it(client):
    response = client.get("/iris/join/")
    text = text_of(response)
    assert "To learn more about IRIS and join the alliance" in text
    assert text.index("IRIS website") < text.index("Send application")


def test_an_urgent_report_is_not_answered_as_if_help_were_on_its_way(
    client, db, django_capture_on_commit_callbacks
):
    response = submit(client, form_data(client, in_danger="on"), django_capture_on_commit_callbacks)
    text = text_of(response)
    assert "We have alerted IRIS officers now" not in text
    assert "IRIS officers read reports in working hours." in text
    assert "This is not an emergency service" in text
    assert 'href="tel:999"' in response.content.decode()
    assert 'href="tel:112"' in response.content.decode()


def test_after_a_report_the_page_says_what_happens_next_and_what_iris_cannot_do(
    client, db, django_capture_on_commit_callbacks
):
    response = submit(client, form_data(client), django_capture_on_commit_callbacks)
    text = text_of(response)
    assert "What happens next" in text
    assert "An IRIS officer at IOM UK reads your report in working hours." in text
    assert "How long this takes depends on the report" in text
    assert "What IRIS cannot do" in text
    assert "It cannot arrest anyone, get your money back or give you legal advice." in text
    assert "If anyone is in danger, call 999." in text
