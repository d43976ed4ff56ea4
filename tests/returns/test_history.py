"""The change history of return cases: who changed what and when, readable, never rewritable."""

import pytest
from django.db import connection

from iomuk.models import AccessLog
from returns.models import ReturnCase

from .factories import ReturnCaseFactory, ReturnPlanItemFactory
from .test_case_work import _details

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    ReturnPlanItemFactory(case=case, service="flight")
    return case


def _change_details(client, user, case):
    client.force_login(user)
    response = client.post(f"/returns/cases/{case.reference}/details/", _details(case))
    assert response.status_code == 302
    client.logout()


def test_a_caseworkers_change_records_who_when_and_what(client, caseworker, case):
    _change_details(client, caseworker, case)
    latest = case.history.first()
    assert latest.history_user == caseworker
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert {"risk", "safeguarding_notes"} <= set(delta.changed_fields)
    assert latest.prev_record.risk == "medium" and latest.risk == "high"


def test_a_stage_move_is_in_the_history(client, caseworker, case):
    client.force_login(caseworker)
    client.post(
        f"/returns/cases/{case.reference}/advance/",
        {"to_stage": "eligibility_checked", "reason": "Checked", "version": case.version},
    )
    assert case.history.first().stage == "eligibility_checked"
    assert case.history.first().history_user == caseworker


def test_the_history_table_holds_encrypted_text_never_plaintext(client, caseworker, case):
    _change_details(client, caseworker, case)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT safeguarding_notes, safe_contact_details, health_notes"
            " FROM returns_historicalreturncase WHERE id = %s",
            [case.pk],
        )
        rows = cursor.fetchall()
    assert len(rows) >= 2
    stored = " ".join(value for row in rows for value in row if value)
    for secret in ["Controller seen", "07700 900999", "Secret safeguarding", "Secret health"]:
        assert secret not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert case.history.first().safeguarding_notes == "Controller seen near the shelter"


def test_an_administrator_reads_the_history_without_protected_values(
    client, caseworker, superuser, case
):
    _change_details(client, caseworker, case)
    client.force_login(superuser)
    response = client.get(f"/admin/returns/returncase/{case.pk}/history/")
    page = response.content.decode()
    assert response.status_code == 200
    assert ">cw</a>" in page  # who
    assert "Safeguarding notes" in page and "(not shown)" in page  # what, not the value
    assert "Controller seen" not in page and "Secret safeguarding" not in page
    assert "Revert" not in page
    log = AccessLog.objects.filter(object_ref=case.reference, detail="admin history")
    assert log.get().username == "root"


def test_a_caseworker_without_the_permission_cannot_see_the_history(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(f"/admin/returns/returncase/{case.pk}/history/")
    assert response.status_code == 403


def test_a_past_version_is_shown_but_cannot_be_reverted(client, caseworker, superuser, case):
    _change_details(client, caseworker, case)
    first = case.history.last()
    client.force_login(superuser)
    url = f"/admin/returns/returncase/{case.pk}/history/{first.history_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    response = client.post(url, {"risk": "low"})
    assert response.status_code == 405
    assert ReturnCase.objects.get(pk=case.pk).risk == "high"
