import csv
import io

import pytest

from iomuk.models import AccessLog
from returns.models import ReturnCase

from .factories import ReturnCaseFactory

CHANGELIST = "/admin/returns/returncase/"


@pytest.fixture
def login(client, request):
    def as_role(role):
        client.force_login(request.getfixturevalue(role))
        return client

    return as_role


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("caseworker", {"Ana Mine", "Bela Queue"}),
        ("casemanager", {"Ana Mine", "Bela Queue", "Cora Theirs"}),
        ("superuser", {"Ana Mine", "Bela Queue", "Cora Theirs"}),
    ],
)
def test_the_admin_list_shows_each_role_only_its_cases(login, cases, role, expected):
    client = login(role)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    refs = {c.reference: c.full_name for c in cases.values()}
    html = response.content.decode()
    assert {name for ref, name in refs.items() if ref in html} == expected
    found = client.post(CHANGELIST, {"q": "Cora"}, follow=True).content.decode()
    assert (cases["theirs"].reference in found) is ("Cora Theirs" in expected)


def test_a_referrer_cannot_open_the_admin(login, cases):
    response = login("referrer").get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_without_case_permissions_are_refused(login, cases):
    assert login("coordinator").get(CHANGELIST).status_code == 403


@pytest.mark.parametrize(("role", "visible"), [("caseworker", False), ("casemanager", True)])
def test_the_admin_change_page_answers_by_the_same_rule(login, cases, role, visible):
    client = login(role)
    case = cases["theirs"]
    response = client.get(f"{CHANGELIST}{case.pk}/change/")
    html = response.content.decode()
    if visible:
        assert response.status_code == 200 and case.full_name in html
        entry = AccessLog.objects.get(object_ref=case.reference)
        assert entry.detail == "admin"
    else:
        assert response.status_code == 302  # the admin's "does not exist" answer
        assert not AccessLog.objects.filter(object_ref=case.reference).exists()


def test_the_admin_does_not_show_health_or_safeguarding_notes(login, cases):
    html = login("casemanager").get(f"{CHANGELIST}{cases['mine'].pk}/change/").content.decode()
    assert "Secret safeguarding detail" not in html
    assert "Secret health detail" not in html


def test_the_admin_cannot_edit_add_or_delete_cases(login, cases):
    client = login("superuser")
    case = cases["mine"]
    client.post(f"{CHANGELIST}{case.pk}/change/", {"country": "FR", "stage": "closed"})
    case.refresh_from_db()
    assert case.country == "RO" and case.stage == "referred"
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{case.pk}/delete/").status_code == 403
    client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"}
    )
    assert ReturnCase.objects.filter(pk=case.pk).exists()


def test_the_csv_export_holds_counts_by_country_and_stage_only(login, cases):
    ReturnCaseFactory(country="HU", stage="approved", full_name="Zita Export")
    client = login("casemanager")
    ids = list(ReturnCase.objects.values_list("pk", flat=True))
    response = client.post(CHANGELIST, {"action": "export_figures", "_selected_action": ids})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["country", "stage", "cases"]
    assert ["RO", "referred", "2"] in rows and ["HU", "approved", "1"] in rows
    body = response.content.decode()
    for case in ReturnCase.objects.all():
        assert case.full_name not in body and case.reference not in body


def test_a_caseworker_exports_only_the_cases_they_may_see(login, cases):
    client = login("caseworker")
    ids = [c.pk for c in cases.values()]
    response = client.post(CHANGELIST, {"action": "export_figures", "_selected_action": ids})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert sum(int(r[2]) for r in rows[1:]) == 2


def test_looking_at_the_admin_case_list_is_written_to_the_access_log(login, cases):
    response = login("casemanager").get(CHANGELIST, {"stage__exact": "referred"})
    assert response.status_code == 200
    entry = AccessLog.objects.get(action="list")
    assert entry.username == "cm" and entry.object_type == "returns.case"
    assert entry.detail == "admin, filters stage__exact=referred, 2 results"


def test_an_admin_search_is_written_to_the_access_log_without_its_words(login, cases):
    response = login("casemanager").post(CHANGELIST, {"q": "Cora"}, follow=True)
    assert cases["theirs"].reference in response.content.decode()
    entry = AccessLog.objects.get(action="list")
    assert entry.username == "cm"
    assert entry.detail == "admin, search of 4 characters, 1 results"
    assert "Cora" not in str(list(AccessLog.objects.values()))
