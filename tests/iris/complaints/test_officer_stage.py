"""An IRIS officer moves a complaint along from the complaint's own staff page."""

import re

import pytest
from django.urls import reverse

from iomuk.models import OutboxMessage, User
from iris.models import Complaint

from ..factories import ComplaintFactory


def change_url(complaint) -> str:
    return reverse("iris-complaints:detail", args=[complaint.reference])


def stage_form(page: str) -> tuple[str, dict[str, str], list[str]]:
    """The move form on a complaint's page: its address, hidden fields and offered stages."""
    forms = re.finditer(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    form = next((f for f in forms if 'name="to_stage"' in f.group(2)), None)
    assert form, "no stage form on the complaint's page"
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    offered = re.findall(r'name="to_stage" value="([^"]+)"', form.group(2))
    return form.group(1), hidden, offered


def stage_shown(page: str) -> str:
    return re.search(r'<span id="stage">([^<]*)</span>', page).group(1)


def test_an_officer_moves_a_complaint_from_its_own_page_and_the_complainant_is_told(
    officer_client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(email="maria@example.org", preferred_language="ro")
    page = officer_client.get(change_url(complaint)).content.decode()
    action, hidden, offered = stage_form(page)
    assert offered == ["under_review", "closed", "withdrawn"]

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(action, {**hidden, "to_stage": "under_review"}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == change_url(complaint)
    assert stage_shown(page) == "Under review"
    assert "moved to Under review" in page
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.UNDER_REVIEW
    move = complaint.transitions.get(to_stage="under_review")
    assert move.by.username == "officer"
    assert complaint.history.first().history_user.username == "officer"
    told = OutboxMessage.objects.get(template="iris-complaint-update")
    assert told.to == "maria@example.org"
    # The next moves are offered from the new stage.
    assert stage_form(page)[2] == ["resolved", "closed", "withdrawn"]


def test_a_move_made_meanwhile_by_a_colleague_is_not_overwritten(officer_client, officer, db):
    complaint = ComplaintFactory()
    action, hidden, _offered = stage_form(officer_client.get(change_url(complaint)).text)
    officer_client.post(action, {**hidden, "to_stage": "under_review"})
    # The same page, still open in another tab, asks for another move from "Received".
    response = officer_client.post(action, {**hidden, "to_stage": "closed"}, follow=True)
    assert "was moved to Under review meanwhile" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.UNDER_REVIEW
    assert complaint.transitions.count() == 1


def test_a_refused_move_comes_back_with_the_officers_choice_and_can_be_sent_again(
    officer_client, officer, db
):
    complaint = ComplaintFactory()
    action, hidden, _offered = stage_form(officer_client.get(change_url(complaint)).text)
    officer_client.post(action, {**hidden, "to_stage": "under_review"})
    # Another tab, opened at "Received", asks to close it: refused, and the page comes back
    # with "Closed" still chosen, from the stage the complaint is at now.
    response = officer_client.post(action, {**hidden, "to_stage": "closed"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "was moved to Under review meanwhile" in page
    assert stage_shown(page) == "Under review"
    assert re.search(r'name="to_stage" value="closed"[^>]*checked', page)
    _action, hidden, offered = stage_form(page)
    assert hidden["from_stage"] == "under_review" and "closed" in offered
    officer_client.post(action, {**hidden, "to_stage": "closed"})
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.CLOSED


def test_a_move_the_workflow_does_not_allow_is_refused(officer_client, db):
    complaint = ComplaintFactory(stage="received")
    action = reverse("iris-complaints:move", args=[complaint.reference])
    response = officer_client.post(
        action, {"from_stage": "received", "to_stage": "resolved"}, follow=True
    )
    assert response.status_code == 400
    assert "cannot move to" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.RECEIVED


def test_a_finished_complaint_offers_no_move(officer_client, db):
    complaint = ComplaintFactory(stage="closed")
    page = officer_client.get(change_url(complaint)).content.decode()
    assert 'name="to_stage"' not in page
    assert "no further stage" in page


@pytest.mark.parametrize(("method", "status"), [("get", 405), ("post", 403)])
def test_staff_without_the_right_cannot_move_a_complaint(client, db, method, status):
    complaint = ComplaintFactory()
    other = User.objects.create_user("coordinator", password="x-long-password-1", is_staff=True)
    client.force_login(other)
    action = reverse("iris-complaints:move", args=[complaint.reference])
    response = getattr(client, method)(
        action, {"from_stage": "received", "to_stage": "under_review"}
    )
    assert response.status_code == status
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.RECEIVED
