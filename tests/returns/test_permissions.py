"""Who sees what: each role against each page and action, for cases they may and may not see.

The rule: no sign-in → the sign-in page; a role without any case work → 403 whatever the
reference (so 403 says nothing about whether a case exists); a caseworker asking for a case
that is not theirs and not in the intake queue → 404, exactly as for a reference that does
not exist.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import CaseDocument, ReturnCase
from returns.services import case_document_add

from .conftest import PDF_BYTES

ROLES = ["anonymous", "coordinator", "referrer", "caseworker", "casemanager", "superuser"]


@pytest.fixture
def login(client, request):
    def as_role(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return as_role


def _status(client, url, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "/accounts/login/" in response.url:
        return "login"
    return response.status_code


# Expected status for the detail page of: mine, queue, theirs, a reference that does not exist.
DETAIL = {
    "anonymous": ["login", "login", "login", "login"],
    "coordinator": [403, 403, 403, 403],
    "referrer": [403, 403, 403, 403],
    "caseworker": [200, 200, 404, 404],
    "casemanager": [200, 200, 200, 404],
    "superuser": [200, 200, 200, 404],
}


@pytest.mark.parametrize("role", ROLES)
def test_case_page_answers_each_role_by_the_rule(login, cases, role):
    client = login(role)
    urls = [f"/returns/cases/{cases[k].reference}/" for k in ("mine", "queue", "theirs")]
    urls.append("/returns/cases/RR-2099-9999/")
    assert [_status(client, url) for url in urls] == DETAIL[role]


def test_a_hidden_case_and_a_missing_one_answer_with_the_same_page(login, cases):
    client = login("caseworker")
    hidden = client.get(f"/returns/cases/{cases['theirs'].reference}/")
    missing = client.get("/returns/cases/RR-2099-9999/")
    assert hidden.status_code == missing.status_code == 404
    # The pages differ only in their per-request CSRF tokens and the path they were asked for.
    assert _plain(hidden.content, cases["theirs"].reference) == _plain(
        missing.content, "RR-2099-9999"
    )


def _plain(html: bytes, reference: str) -> bytes:
    html = html.replace(reference.encode(), b"REF")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


LIST = {
    "anonymous": "login",
    "coordinator": 403,
    "referrer": 403,
    "caseworker": {"Ana Mine", "Bela Queue"},
    "casemanager": {"Ana Mine", "Bela Queue", "Cora Theirs"},
    "superuser": {"Ana Mine", "Bela Queue", "Cora Theirs"},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_case_list_shows_each_role_only_its_cases(login, cases, role):
    client = login(role)
    response = client.get("/returns/cases/")
    expected = LIST[role]
    if not isinstance(expected, set):
        assert _status(client, "/returns/cases/") == expected
        return
    html = response.content.decode()
    shown = {name for name in ("Ana Mine", "Bela Queue", "Cora Theirs") if name in html}
    assert shown == expected
    assert f"{len(expected)} case" in html  # the count leaks nothing either


@pytest.mark.parametrize(
    ("role", "found"),
    [("caseworker", False), ("casemanager", True), ("superuser", True)],
)
def test_search_finds_a_colleagues_case_only_for_those_who_may_see_it(login, cases, role, found):
    client = login(role)
    by_name = client.post("/returns/cases/", {"q": "Cora"}, follow=True).content.decode()
    ref = {"q": cases["theirs"].reference}
    by_ref = client.post("/returns/cases/", ref, follow=True).content.decode()
    for html in (by_name, by_ref):
        assert ("Cora Theirs" in html) is found
        assert ("1 case" in html) is found
        assert ("0 cases" in html) is not found


@pytest.fixture
def documents(cases):
    return {
        key: case_document_add(
            case=case,
            by=case.referred_by,
            kind="consent",
            upload=SimpleUploadedFile("consent.pdf", PDF_BYTES),
        )
        for key, case in cases.items()
    }


DOWNLOAD = {
    "anonymous": ["login", "login", "login"],
    "coordinator": [403, 403, 403],
    "referrer": [403, 403, 403],
    "caseworker": [200, 200, 404],
    "casemanager": [200, 200, 200],
    "superuser": [200, 200, 200],
}


@pytest.mark.parametrize("role", ROLES)
def test_document_downloads_follow_the_same_rule(login, cases, documents, role):
    client = login(role)
    urls = [
        f"/returns/cases/{cases[k].reference}/documents/{documents[k].pk}/"
        for k in ("mine", "queue", "theirs")
    ]
    assert [_status(client, url) for url in urls] == DOWNLOAD[role]


def test_a_document_cannot_be_fetched_through_another_cases_reference(login, cases, documents):
    client = login("caseworker")
    url = f"/returns/cases/{cases['mine'].reference}/documents/{documents['theirs'].pk}/"
    assert client.get(url).status_code == 404


# Moving a case (referred -> eligibility checked; theirs is at eligibility checked -> approved).
ADVANCE = {
    "anonymous": ["login", "login"],
    "coordinator": [403, 403],
    "referrer": [403, 403],
    "caseworker": [302, 404],
    "casemanager": [302, 302],
    "superuser": [302, 302],
}


@pytest.mark.parametrize("role", ROLES)
def test_stage_moves_follow_the_rule(login, cases, role):
    client = login(role)
    mine, theirs = cases["mine"], cases["theirs"]
    got = [
        _status(
            client,
            f"/returns/cases/{mine.reference}/advance/",
            "post",
            {"to_stage": "eligibility_checked", "version": 1, "reason": "Checked"},
        ),
        _status(
            client,
            f"/returns/cases/{theirs.reference}/advance/",
            "post",
            {"to_stage": "approved", "version": 1, "reason": "Approved"},
        ),
    ]
    assert got == ADVANCE[role]
    moved = ADVANCE[role][0] == 302
    assert ReturnCase.objects.get(pk=mine.pk).stage == (
        "eligibility_checked" if moved else "referred"
    )


@pytest.mark.parametrize(("role", "approved"), [("caseworker", False), ("casemanager", True)])
def test_only_a_case_manager_approves(login, cases, role, approved, other_caseworker):
    case = cases["queue"]
    ReturnCase.objects.filter(pk=case.pk).update(stage="eligibility_checked")
    client = login(role)
    page = client.get(f"/returns/cases/{case.reference}/").content.decode()
    assert ("Move to Approved" in page) is approved
    response = client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "approved", "version": 1, "reason": "Plan reviewed"},
    )
    case.refresh_from_db()
    assert (case.stage == "approved") is approved
    if not approved:
        assert response.status_code == 400
        assert "Only a case manager can approve" in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "referrer", "coordinator"])
def test_only_case_managers_assign(login, cases, role, caseworker):
    client = login(role)
    response = client.post(
        f"/returns/cases/{cases['queue'].reference}/assign/",
        {"caseworker": caseworker.pk, "version": 1},
    )
    assert response.status_code == 403
    assert ReturnCase.objects.get(pk=cases["queue"].pk).assigned_caseworker is None


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("referrer", [403, 403, 403]),
        ("coordinator", [403, 403, 403]),
        ("caseworker", [302, 302, 404]),
        ("casemanager", [302, 302, 302]),
    ],
)
def test_adding_notes_follows_the_rule(login, cases, role, expected):
    client = login(role)
    got = [
        _status(client, f"/returns/cases/{cases[k].reference}/notes/", "post", {"text": "Hi"})
        for k in ("mine", "queue", "theirs")
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("referrer", 403), ("coordinator", 403), ("caseworker", 404), ("casemanager", 302)],
)
def test_uploading_to_a_colleagues_case_follows_the_rule(login, cases, role, expected):
    client = login(role)
    upload = SimpleUploadedFile("ticket.pdf", PDF_BYTES)
    url = f"/returns/cases/{cases['theirs'].reference}/documents/"
    assert _status(client, url, "post", {"kind": "travel", "file": upload}) == expected
    assert CaseDocument.objects.exists() is (expected == 302)


def test_a_referrer_sees_only_reference_country_and_stage_of_their_own(
    login, cases, referrer, casemanager
):
    from .factories import ReturnCaseFactory

    someone_elses = ReturnCaseFactory(referred_by=casemanager, full_name="Dana Other")
    client = login("referrer")
    html = client.get("/returns/referrals/").content.decode()
    for case in cases.values():
        assert case.reference in html
    assert someone_elses.reference not in html
    assert "Romania" in html and "Eligibility checked" in html
    for secret in ("Ana Mine", "Cora", "Secret", "Iași", "Hope Charity"):
        assert secret not in html


@pytest.mark.parametrize("role", ["coordinator", "caseworker"])
def test_my_referrals_is_for_people_who_refer(login, role, cases):
    client = login(role)
    expected = 403 if role == "coordinator" else 200
    assert client.get("/returns/referrals/").status_code == expected


def test_the_case_page_does_not_show_the_access_log_to_caseworkers(login, cases):
    html = login("caseworker").get(f"/returns/cases/{cases['mine'].reference}/").content
    assert b"Access log" not in html


def test_case_managers_read_a_cases_access_log_on_its_page(login, cases, caseworker):
    login("caseworker").get(f"/returns/cases/{cases['mine'].reference}/")
    html = login("casemanager").get(f"/returns/cases/{cases['mine'].reference}/").content
    assert b"Access log" in html
    assert b"cw" in html and b"view" in html


CHANGE = {
    "anonymous": ["login", "login"],
    "coordinator": [403, 403],
    "referrer": [403, 403],
    "caseworker": [302, 404],
    "casemanager": [302, 302],
    "superuser": [302, 302],
}


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_return_plan_follows_the_rule(login, cases, role):
    client = login(role)
    got = []
    for key in ("mine", "theirs"):
        item = cases[key].plan_items.get()
        data = {
            "plan-TOTAL_FORMS": 1,
            "plan-INITIAL_FORMS": 1,
            "plan-version": 1,
            "plan-0-id": item.pk,
            "plan-0-status": "done",
        }
        got.append(_status(client, f"/returns/cases/{cases[key].reference}/plan/", "post", data))
    assert got == CHANGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_changing_case_details_follows_the_rule(login, cases, role):
    client = login(role)
    got = []
    for key in ("mine", "theirs"):
        case = cases[key]
        data = {
            "details-version": 1,
            "details-risk": "high",
            "details-nrm_status": "unknown",
            "details-safe_contact_details": "x",
            "details-destination_town": "Cluj",
            "details-dependants_travelling": 0,
            "details-travel_document": "passport",
            "details-fit_to_fly": "fit",
        }
        got.append(_status(client, f"/returns/cases/{case.reference}/details/", "post", data))
    assert got == CHANGE[role]
    assert (ReturnCase.objects.get(pk=cases["theirs"].pk).risk == "high") is (
        CHANGE[role][1] == 302
    )
