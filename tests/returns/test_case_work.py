"""The return plan, notes and documents on the case page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from iomuk.models import AccessLog
from returns.models import CaseDocument, CaseNote, ReturnCase, ReturnPlanItem

from .conftest import EXE_BYTES, PDF_BYTES, PNG_BYTES
from .factories import ReturnCaseFactory, ReturnPlanItemFactory


@pytest.fixture
def case(caseworker):
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    ReturnPlanItemFactory(case=case, service="flight")
    return case


@pytest.fixture
def signed_in(client, caseworker):
    client.force_login(caseworker)
    return client


def test_the_case_page_shows_details_plan_timeline_and_is_logged(signed_in, case, caseworker):
    html = signed_in.get(f"/returns/cases/{case.reference}/").content.decode()
    for section in ("Details", "Return plan", "Timeline", "Notes", "Documents"):
        assert f">{section}</h2>" in html
    assert case.full_name in html and "Secret safeguarding detail" in html
    assert html.count("<h1") == 1
    entry = AccessLog.objects.get(object_ref=case.reference)
    assert (entry.action, entry.user, entry.object_type) == ("view", caseworker, "returns.case")


def _plan(case, **rows) -> dict:
    """The plan form as sent: each of the case's rows, as saved unless given in `rows`."""
    items = list(case.plan_items.all())
    data = {
        "plan-TOTAL_FORMS": len(items),
        "plan-INITIAL_FORMS": len(items),
        "plan-version": case.version,
    }
    for i, item in enumerate(items):
        values = {"status": item.status, "due_date": item.due_date or "", "notes": item.notes}
        values.update(rows.get(item.service, {}))
        data[f"plan-{i}-id"] = item.pk
        for name, value in values.items():
            data[f"plan-{i}-{name}"] = value
            data[f"initial-plan-{i}-{name}"] = getattr(item, name) or ""
    return data


def test_a_plan_item_is_updated(signed_in, case):
    due = timezone.localdate() + timedelta(days=10)
    response = signed_in.post(
        f"/returns/cases/{case.reference}/plan/",
        _plan(
            case,
            flight={"status": "in_progress", "due_date": str(due), "notes": "Quote requested"},
        ),
    )
    assert response.status_code == 302
    item = ReturnPlanItem.objects.get(case=case, service="flight")
    assert (item.status, item.due_date, item.notes) == ("in_progress", due, "Quote requested")
    assert ReturnCase.objects.get(pk=case.pk).version == 2
    assert AccessLog.objects.filter(object_ref=case.reference, action="change").exists()


def test_a_plan_item_edit_from_a_stale_page_is_refused(signed_in, case):
    data = _plan(case, flight={"status": "done"})
    ReturnCase.objects.filter(pk=case.pk).update(version=5)
    response = signed_in.post(f"/returns/cases/{case.reference}/plan/", data)
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert ReturnPlanItem.objects.get(case=case, service="flight").status == "to_do"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"status": "teleported"}, "Select a valid choice"),
        ({"status": "done", "due_date": "2999-01-01"}, "due date within"),
        ({"status": "done", "due_date": "soon"}, "Enter a valid date"),
    ],
)
def test_a_bad_plan_edit_gets_a_message(signed_in, case, row, message):
    response = signed_in.post(f"/returns/cases/{case.reference}/plan/", _plan(case, flight=row))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReturnPlanItem.objects.get(case=case, service="flight").status == "to_do"


def test_a_plan_row_of_another_case_is_refused(signed_in, case):
    other = ReturnCaseFactory(assigned_caseworker=case.assigned_caseworker)
    theirs = ReturnPlanItemFactory(case=other, service="shelter")
    data = _plan(case, flight={"status": "done"})
    data["plan-0-id"] = theirs.pk
    response = signed_in.post(f"/returns/cases/{case.reference}/plan/", data)
    assert response.status_code == 400
    assert "not this case&#x27;s return plan" in response.content.decode()
    assert "What changed while you were working" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "to_do"


def test_a_note_is_added_encrypted_and_logged(signed_in, case):
    signed_in.post(f"/returns/cases/{case.reference}/notes/", {"text": "Brother in Iași is safe"})
    note = CaseNote.objects.get(case=case)
    assert note.text == "Brother in Iași is safe"
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM returns_casenote WHERE id = %s", [note.pk])
        assert "Iași" not in cursor.fetchone()[0]
    html = signed_in.get(f"/returns/cases/{case.reference}/").content.decode()
    assert "Brother in Iași is safe" in html
    assert AccessLog.objects.filter(object_ref=case.reference, action="note").exists()


def test_an_empty_note_gets_a_message(signed_in, case):
    response = signed_in.post(f"/returns/cases/{case.reference}/notes/", {"text": "  "})
    assert "This field is required" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_document_is_uploaded_and_downloaded_privately(signed_in, case, settings):
    upload = SimpleUploadedFile("passport scan.png", PNG_BYTES, content_type="image/png")
    response = signed_in.post(
        f"/returns/cases/{case.reference}/documents/", {"kind": "identity", "file": upload}
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.content_type == "image/png" and document.size == len(PNG_BYTES)
    assert "passport" not in document.file.name
    download = signed_in.get(f"/returns/cases/{case.reference}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG_BYTES
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    actions = set(
        AccessLog.objects.filter(object_ref=case.reference).values_list("action", flat=True)
    )
    assert {"upload", "download"} <= actions


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE_BYTES, "Files must be PDF documents or JPEG or PNG pictures."),
        (
            "page.html.pdf",
            b"<html><script>alert(1)</script>",
            "Files must be PDF documents or JPEG or PNG pictures.",
        ),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_disguised_or_empty_upload_is_refused(signed_in, case, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = signed_in.post(
        f"/returns/cases/{case.reference}/documents/", {"kind": "other", "file": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_an_oversized_upload_is_refused(signed_in, case, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    response = signed_in.post(
        f"/returns/cases/{case.reference}/documents/", {"kind": "other", "file": upload}
    )
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_missing_stored_file_is_a_404_not_a_500(signed_in, case):
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    signed_in.post(f"/returns/cases/{case.reference}/documents/", {"kind": "other", "file": upload})
    document = CaseDocument.objects.get()
    document.file.storage.delete(document.file.name)
    response = signed_in.get(f"/returns/cases/{case.reference}/documents/{document.pk}/")
    assert response.status_code == 404


def test_post_only_actions_refuse_get(signed_in, case):
    for action in ("advance", "assign", "notes", "documents", "plan"):
        assert signed_in.get(f"/returns/cases/{case.reference}/{action}/").status_code == 405


def _details(case, **overrides) -> dict:
    data = {
        "details-version": case.version,
        "details-risk": "high",
        "details-nrm_status": "positive_conclusive",
        "details-safeguarding_notes": "Controller seen near the shelter",
        "details-safe_contact_details": "New safe number 07700 900999",
        "details-destination_town": "Iași",
        "details-dependants_travelling": "0",
        "details-travel_document": "passport",
        "details-fit_to_fly": "fit",
        "details-land_transport_needed": "on",
    }
    data.update({f"details-{k}": v for k, v in overrides.items()})
    return data


def test_case_details_are_changed_and_the_change_is_logged(signed_in, case):
    response = signed_in.post(f"/returns/cases/{case.reference}/details/", _details(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk == "high" and case.version == 2
    assert case.safeguarding_notes == "Controller seen near the shelter"
    entry = AccessLog.objects.get(object_ref=case.reference, action="change")
    assert "risk" in entry.detail and "Controller" not in entry.detail


def test_a_stale_details_form_does_not_overwrite_a_colleagues_change(signed_in, case):
    ReturnCase.objects.filter(pk=case.pk).update(version=2, risk="low")
    response = signed_in.post(f"/returns/cases/{case.reference}/details/", _details(case))
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.risk == "low"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("risk", "extreme", "Select a valid choice"),
        ("earliest_travel_date", "2001-01-01", "cannot be in the past"),
        ("dependants_travelling", "-1", "greater than or equal to 0"),
        ("version", "", "This field is required"),
    ],
)
def test_bad_details_get_a_message_and_change_nothing(signed_in, case, field, value, message):
    response = signed_in.post(
        f"/returns/cases/{case.reference}/details/", _details(case, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).risk == "medium"


def test_the_country_cannot_be_changed_through_the_details_form(signed_in, case):
    signed_in.post(f"/returns/cases/{case.reference}/details/", _details(case, country="FR"))
    assert ReturnCase.objects.get(pk=case.pk).country == "RO"


def test_a_file_name_with_control_characters_still_downloads(signed_in, case):
    upload = SimpleUploadedFile("bad\r\nname\x00.pdf", PDF_BYTES)
    signed_in.post(f"/returns/cases/{case.reference}/documents/", {"kind": "other", "file": upload})
    document = CaseDocument.objects.get()
    response = signed_in.get(f"/returns/cases/{case.reference}/documents/{document.pk}/")
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    "reference", ["%3Cscript%3E", "RR-2026-", "..%2F..%2Fetc%2Fpasswd", "RR-2026-0001%00"]
)
def test_hostile_references_are_a_plain_404(signed_in, reference):
    response = signed_in.get(f"/returns/cases/{reference}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("q", ["Maria\x00", "%00"])
def test_a_search_with_a_nul_character_gets_a_page_not_a_500(signed_in, case, q):
    assert signed_in.get("/returns/cases/", {"q": q, "country": "R\x00O"}).status_code == 400
    sent = signed_in.post("/returns/cases/", {"q": q, "country": "R\x00O"})
    assert sent.status_code == 400 and "There is a problem" in sent.content.decode()


def test_the_case_list_view_is_on_record_without_the_search_words(signed_in, case, caseworker):
    signed_in.post("/returns/cases/", {"q": "Maria"}, follow=True)
    entry = AccessLog.objects.get(action="list")
    assert entry.user == caseworker and "Maria" not in entry.detail + entry.object_ref
