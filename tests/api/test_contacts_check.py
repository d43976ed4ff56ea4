"""A partner's app checks a contact and gets the check page's own answer."""

import pytest

from iomuk.dates import long_date
from iris.recruiters import contact_services

URL = "/api/v1/contacts/check/"


@pytest.fixture
def listed(world):
    recruiter = world["accredited"]
    contact_services.contact_add(recruiter=recruiter, kind="phone", value="+40 721 000 111")
    contact_services.contact_add(
        recruiter=recruiter, kind="social", value="https://www.facebook.com/AgencjaPracy"
    )
    contact_services.impostor_add(kind="web", value="agencja-praca.example", imitates=recruiter)
    return recruiter


def _check(api, headers=None, **params):
    response = api.get(URL, params, **(headers or {}))
    assert response.status_code == 200, response.content
    return response.json()


def test_an_authorised_contact_names_its_recruiter_in_the_pages_words(api, listed):
    body = _check(api, contact="0721 000 111", country="RO")
    assert body["answer"] == "authorised"
    assert body["recruiter"]["name"] == listed.legal_name
    assert body["recruiter"]["number"] == "IRIS-A-000101"
    assert body["recruiter"]["page"].endswith(f"/iris/recruiters/{listed.slug}/")
    assert body["message"] == (
        "This contact belongs to a recruiter on our list. It is a contact of "
        f"{listed.legal_name}, accredited by IRIS until {long_date(listed.valid_until)}."
    )
    assert body["report"].endswith("/iris/complaints/new/")
    assert _check(api, contact="m.facebook.com/agencjapracy/")["answer"] == "authorised"


def test_an_impostor_is_a_warning_and_an_unknown_contact_is_unknown(api, listed):
    warning = _check(api, contact="https://jobs.agencja-praca.example/")
    assert warning["answer"] == "warning"
    assert warning["recruiter"]["name"] == listed.legal_name
    assert "pretends to be" in warning["message"]
    unknown = _check(api, contact="+40 799 999 999")
    assert unknown["answer"] == "unknown"
    assert unknown["recruiter"] is None


def test_the_answer_is_in_the_callers_language(api, listed):
    body = _check(api, {"HTTP_ACCEPT_LANGUAGE": "ro"}, contact="+40721000111")
    assert body["answer"] == "authorised"
    assert body["message"].startswith("Acest contact aparține unui recrutor de pe lista noastră.")


@pytest.mark.parametrize("params", [{}, {"contact": "x" * 201}, {"contact": "1", "country": "FR"}])
def test_a_bad_question_is_a_problem_not_an_error(api, db, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_documents_the_check(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/contacts/check/"]["get"]
    assert operation["operationId"] == "contacts_check"
    assert {"contact", "country"} <= {p["name"] for p in operation["parameters"]}
