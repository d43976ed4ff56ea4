"""The OpenAPI document tells a partner's developer everything an answer may be: 3.1, where the
API is, whom to ask, the licence, each answer described with its headers, an example of a record
in each standing, and problems as RFC 9457 has them."""

import json

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

OPERATIONS_BY_NUMBER = ["recruiter", "recruiter_history", "verify"]


@pytest.fixture
def document(api, db) -> dict:
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(document: dict) -> dict[str, dict]:
    return {
        operation["operationId"]: operation
        for operations in document["paths"].values()
        for operation in operations.values()
    }


def _validate(document: dict, component: str, value) -> None:
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(value)


def test_it_is_openapi_3_1_and_says_where_whom_and_under_which_licence(document):
    assert document["openapi"] == "3.1.0"
    assert document["servers"][0]["url"] == settings.SITE_URL
    info = document["info"]
    assert info["contact"]["email"] == settings.CONTACT_EMAIL
    assert info["license"] == {
        "name": settings.ROSTER_LICENCE_NAME,
        "url": settings.ROSTER_LICENCE_URL,
    }
    assert info["termsOfService"].startswith("https://")


def test_every_answer_is_described(document):
    undescribed = [
        f"{name} {status}"
        for name, operation in _operations(document).items()
        for status, answer in operation["responses"].items()
        if not answer.get("description", "").strip()
    ]
    assert undescribed == []


def test_every_answer_a_partner_may_meet_is_documented(document):
    operations = _operations(document)
    for name in ["recruiters_search", *OPERATIONS_BY_NUMBER, "bulk"]:
        assert {"200", "304", "400", "401", "429"} <= set(operations[name]["responses"]), name
    for name in ["recruiter", "recruiter_history", "bulk"]:
        assert "404" in operations[name]["responses"], name
    # Never a 406: every answer is JSON whatever Accept asks, and the document says so.
    assert "never a 406" in document["info"]["description"]


def test_the_headers_sent_and_answered_are_documented(document):
    operations = _operations(document)
    for name in ["recruiters_search", *OPERATIONS_BY_NUMBER]:
        operation = operations[name]
        sent = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"If-None-Match", "If-Modified-Since", "Accept-Language"} <= sent, name
        answered = set(operation["responses"]["200"]["headers"])
        assert {"ETag", "Last-Modified", "RateLimit", "RateLimit-Policy"} <= answered, name
        assert {"ETag", "RateLimit"} <= set(operation["responses"]["304"]["headers"]), name
        assert "Retry-After" in operation["responses"]["429"]["headers"], name
    assert "Link" in operations["recruiters_search"]["responses"]["200"]["headers"]


def test_one_word_for_a_valid_standing_in_both_enums(document):
    schemas = document["components"]["schemas"]
    standings = set(schemas["StandingEnum"]["enum"])
    answers = set(schemas["AnswerEnum"]["enum"])
    assert answers == standings | {"unknown"}


def test_there_is_an_example_in_each_standing_and_each_fits_the_schema(document):
    operations = _operations(document)
    standings = set(document["components"]["schemas"]["StandingEnum"]["enum"])
    recruiter = operations["recruiter"]["responses"]["200"]["content"]["application/json"]
    examples = [example["value"] for example in recruiter["examples"].values()]
    assert {example["standing"] for example in examples} == standings
    for example in examples:
        _validate(document, "Recruiter", example)
    verify = operations["verify"]["responses"]["200"]["content"]["application/json"]
    examples = [example["value"] for example in verify["examples"].values()]
    assert {example["answer"] for example in examples} == standings | {"unknown"}
    for example in examples:
        _validate(document, "Verify", example)


def test_a_problem_has_a_uri_type_and_its_instance(document, api):
    problem = document["components"]["schemas"]["Problem"]
    assert problem["properties"]["type"]["format"] == "uri"
    assert {"type", "title", "status", "detail", "instance"} <= set(problem["required"])
    answer = api.get("/api/v1/recruiters/IRIS-Z-999999/")
    assert answer.status_code == 404
    _validate(document, "Problem", answer.json())
    assert answer.json()["instance"] == "/api/v1/recruiters/IRIS-Z-999999/"


def test_no_internal_note_in_public_text(document):
    text = json.dumps(document)
    assert "tests/" not in text
    assert ".py" not in text
