"""The API shows only what a recruiter's public page shows: no applicants, no complaints, no
officer notes, no contact details the page leaves out."""

import html
import json
import re

from django.utils.dateformat import format as date_format

from iris.models import Complaint
from tests.iris.factories import ApplicationFactory, ComplaintFactory

# Every field the API gives for a recruiter. A field added to the API fails here until it is
# checked against the public page below.
FIELDS = {
    "number",
    "name",
    "trading_names",
    "standing",
    "standing_label",
    "granted_on",
    "valid_until",
    "registration_number",
    "headquarters",
    "recruits_from",
    "places_in",
    "sectors",
    "website",
    "page",
    "updated_at",
}


def _page_text(client, recruiter) -> str:
    response = client.get(f"/iris/recruiters/{recruiter.slug}/")
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path)
    else:
        yield path, value


def test_every_field_of_a_recruiter_is_on_its_public_page(api, client, world):
    recruiter = world["accredited"]
    body = api.get("/api/v1/recruiters/IRIS-A-000101/").json()
    assert set(body) == FIELDS, "a field the public page was not checked for"
    page = _page_text(client, recruiter)
    for path, value in _leaves(body):
        if path == "page":
            assert value.endswith(f"/iris/recruiters/{recruiter.slug}/")
        elif path == "updated_at":
            continue  # when the record changed: for partners keeping a copy, not a fact shown
        elif path.endswith(".code") or path == "standing":
            continue  # the identifier of a name shown beside it, checked as that name
        elif path in ("granted_on", "valid_until"):
            assert date_format(getattr(recruiter, path), "j F Y") in page, path
        else:
            assert str(value) in page, f"{path}={value!r} is not on the public page"


def test_a_search_result_has_the_same_fields_as_the_recruiter(api, world):
    for result in api.get("/api/v1/recruiters/").json()["results"]:
        assert set(result) == FIELDS


def test_contact_details_applicants_and_complaints_never_appear(api, world):
    recruiter = world["accredited"]
    complaint = ComplaintFactory(
        recruiter=recruiter,
        description="They kept my passport in Wrocław.",
        name="Maria Ionescu",
        email="maria@example.org",
        stage=Complaint.Stage.RECEIVED,
    )
    application = ApplicationFactory(organisation_name="Secret Applicant Org")
    answers = [
        api.get(url).content.decode()
        for url in (
            "/api/v1/recruiters/",
            "/api/v1/recruiters/?q=wroclaw",
            "/api/v1/recruiters/IRIS-A-000101/",
            "/api/v1/verify/IRIS-A-000101/",
            "/api/v1/recruiters/?q=applicant",
            "/api/v1/recruiters/?q=secret",
        )
    ]
    text = json.dumps(answers, ensure_ascii=False)
    for secret in (
        recruiter.contact_email,
        recruiter.contact_phone,
        complaint.reference,
        "passport",
        "Maria Ionescu",
        "maria@example.org",
        "Applicant Hopefuls",
        application.organisation_name,
        application.contact_email,
        application.reference,
    ):
        assert secret not in text, secret
