"""The admin's change history of a case reads as the case page does: people by name, stages by
label, and a row only for a save that changed something."""

import html
import re

import pytest
from django.urls import reverse

from returns.models import ReturnPlanItem
from tests.iomuk.test_model_forms_round_trip import form_as_sent

from .factories import ReturnCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = ReturnCaseFactory()
    ReturnPlanItem.objects.create(case=case, service="flight")
    return case


def _changes(client, superuser, case) -> list[str]:
    """The "Changes" cell of each row of the admin's history page, as text."""
    client.force_login(superuser)
    page = client.get(f"/admin/returns/returncase/{case.pk}/history/").content.decode()
    body = page[page.index('id="change-history"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", body[body.index("<tbody>") :], re.S)
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows
    ]


def test_taking_and_moving_a_case_reads_with_names_and_stage_labels(
    client, caseworker, superuser, case
):
    caseworker.first_name, caseworker.last_name = "Cara", "Jones"
    caseworker.save()
    client.force_login(caseworker)
    client.post(reverse("returns:case-take", args=[case.reference]))
    client.post(
        reverse("returns:case-advance", args=[case.reference]),
        {"to_stage": "eligibility_checked", "version": 2, "reason": "Checked"},
    )

    rows = _changes(client, superuser, case)

    text = " | ".join(rows)
    assert "Deleted user" not in text and "pk=None" not in text
    assert "Assigned caseworker: — → Cara Jones" in text
    assert "Stage: Referred → Eligibility checked" in text
    assert "eligibility_checked" not in text
    assert "Changed Cara Jones" in text  # who, by name


def test_a_plan_save_or_details_saved_unchanged_add_no_history_row(
    client, caseworker, superuser, case
):
    case.assigned_caseworker = caseworker
    case.save()
    before = case.history.count()
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()
    plan = reverse("returns:plan-update", args=[case.reference])
    data = form_as_sent(page, plan)
    data["plan-0-status"] = ["in_progress"]
    assert client.post(plan, data).status_code == 302
    page = client.get(reverse("returns:case-detail", args=[case.reference])).content.decode()
    details = reverse("returns:case-update", args=[case.reference])
    assert client.post(details, form_as_sent(page, details)).status_code == 302

    assert case.history.count() == before
    assert all("Changed" not in row or ":" in row for row in _changes(client, superuser, case))
    # The plan item's own history says who changed it.
    assert ReturnPlanItem.history.filter(status="in_progress").get().history_user == caseworker
