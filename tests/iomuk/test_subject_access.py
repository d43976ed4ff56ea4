"""A subject access request across the portal: a case manager types in who the person is (posted,
never in the address), sees what each area holds about them, downloads it as JSON and as a PDF
in their language, and erases what the law lets go; each act is on the access log."""

import dataclasses
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from iomuk import roles, subject_access
from iomuk.fields import BlindIndexField
from iomuk.models import AccessLog
from iomuk.retention import retention_policies
from iomuk.subject_access import subject_access_sources
from iris.models import Complaint, RecruiterWatch
from returns import services as returns_services
from returns.models import SurveyIndicator
from tests.iris.factories import ApplicationFactory, ComplaintFactory, RecruiterFactory
from tests.pdfs import read_tags
from tests.returns.conftest import PDF_BYTES
from tests.returns.factories import (
    CaseNoteFactory,
    CaseTransitionFactory,
    ReturnCaseFactory,
    ReturnPlanItemFactory,
    UserFactory,
)
from tests.training.factories import AdaptedSessionRequestFactory, BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/staff/subject-access/"
NAME = "Мария Иванова"
EMAIL = "maria.ivanova@example.org"
BORN = date(1990, 5, 17)
PHONE = "+359 88 123 4567"
WHO = {"name": NAME, "email": EMAIL, "date_of_birth": "1990-05-17", "phone": PHONE}
# The fields that find the record: they keep the person's own values, the rest get markers.
IDENTIFIERS = {"full_name", "name", "email", "contact_email"}


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def casemanager(db):
    return UserFactory(username="cm", role=roles.CASE_MANAGERS)


def _case(casemanager):
    case = ReturnCaseFactory(stage="closed", full_name=NAME, date_of_birth=BORN)
    ReturnPlanItemFactory(case=case, notes="plan note")
    CaseTransitionFactory(case=case, to_stage="closed", reason="closed reason")
    CaseNoteFactory(case=case, text="She wants to study nursing")
    case.consents.create(
        purpose="follow_up",
        partner="Partner organisation",
        wording="You may call me after I go home",
        given_on=timezone.localdate(),
        recorded_by=casemanager,
    )
    follow_up = case.follow_ups.create(months=3, due_on=timezone.localdate())
    follow_up.answers.create(
        indicator=SurveyIndicator.objects.get(code="psychosocial-safety"), answer="4"
    )
    returns_services.case_document_add(
        case=case,
        by=casemanager,
        kind="identity",
        upload=SimpleUploadedFile("Maria_passport.pdf", PDF_BYTES),
    )
    return case


def _complaint(casemanager):
    complaint = ComplaintFactory(
        stage=Complaint.Stage.CLOSED, name=NAME, email=EMAIL, preferred_language="bg"
    )
    complaint.messages.create(body="a message")
    complaint.notes.create(body="an officer's note")
    complaint.additions.create(body="what she added")
    complaint.evidence.create(
        file=SimpleUploadedFile("photo.pdf", PDF_BYTES), content_type="application/pdf", size=9
    )
    return complaint


def _booking(casemanager):
    past = SessionFactory(
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10, hours=-3),
    )
    return BookingFactory(session=past, name=NAME, email=EMAIL.upper(), state="cancelled")


def _adapted_request(casemanager):
    return AdaptedSessionRequestFactory(contact_name=NAME, email=EMAIL, state="answered")


def _application(casemanager):
    return ApplicationFactory(
        contact_name=NAME,
        contact_email=EMAIL,
        state="rejected",
        decided_at=timezone.now(),
        language="en-gb",
    )


def _watch(casemanager):
    return RecruiterWatch.objects.create(recruiter=RecruiterFactory(), email=EMAIL, language="bg")


# One of the person's records for each kind the retention registry keeps: a kind added to the
# registry with no subject access source, or no record here, fails the first test.
MAKERS = {
    "return cases": _case,
    "IRIS complaints": _complaint,
    "training bookings": _booking,
    "adapted-session requests": _adapted_request,
    "IRIS applications": _application,
    "IRIS unconfirmed watches": _watch,
}


@pytest.fixture
def records(casemanager):
    """Each kind's record of the person, every personal field the retention code lists filled
    with a value of its own."""
    made = {}
    for source in subject_access_sources():
        record = MAKERS[source.kind](casemanager)
        model = type(record)
        marks = {
            name: f"mk{len(made)}{index:02d}x"
            for index, name in enumerate(source.personal_data)
            if name not in IDENTIFIERS
            and not isinstance(model._meta.get_field(name), BlindIndexField)
        }
        model.objects.filter(pk=record.pk).update(**marks)
        record.refresh_from_db()
        made[source.kind] = record
    return made


def _post(client, action, **extra):
    return client.post(URL, {**WHO, **extra, "action": action})


def _export(client) -> dict:
    response = _post(client, "json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_every_kind_the_retention_registry_keeps_has_a_subject_access_source():
    assert {policy.kind for policy in retention_policies()} == {
        source.kind for source in subject_access_sources()
    }
    assert set(MAKERS) == {source.kind for source in subject_access_sources()}


def test_the_export_holds_every_personal_field_the_retention_registry_knows(
    client, casemanager, records
):
    client.force_login(casemanager)
    export = _export(client)
    for source in subject_access_sources():
        record = records[source.kind]
        [row] = export["areas"][source.kind]
        model = type(record)
        for name in source.personal_data:
            if isinstance(model._meta.get_field(name), BlindIndexField):
                continue  # keyed hashes of the name, which is exported itself
            held = getattr(record, name)
            assert held, (source.kind, name)
            assert row[name] == held, (source.kind, name)
        for accessor, fields in source.related_blanks.items():
            rows = row[accessor]
            assert rows, (source.kind, accessor)
            held = {getattr(r, f) for r in getattr(record, accessor).all() for f in fields}
            assert held <= {r[f] for r in rows for f in fields}, (source.kind, accessor)
        for accessor in source.related_deleted:
            assert len(row[accessor]) == getattr(record, accessor).count(), accessor
    assert export["areas"]["return cases"][0]["date_of_birth"] == "1990-05-17"
    assert export["areas"]["return cases"][0]["notes"][0]["text"] == "She wants to study nursing"
    logged = AccessLog.objects.filter(action="export", detail="subject access request (JSON)")
    assert set(logged.values_list("object_ref", flat=True)) >= {
        records["return cases"].reference,
        records["IRIS complaints"].reference,
        records["training bookings"].reference,
    }


def test_the_identifiers_are_posted_never_in_the_address_and_the_page_lists_what_was_found(
    client, casemanager, records
):
    client.force_login(casemanager)
    response = _post(client, "find")
    assert response.status_code == 200
    page = response.content.decode()
    assert records["return cases"].reference in page
    assert records["IRIS complaints"].reference in page
    assert records["training bookings"].reference in page
    assert "two people can share a name" in page
    assert "The language on their records: Bulgarian." in page  # the complaint's
    assert 'method="post"' in client.get(URL).content.decode()


def test_a_namesake_with_another_email_does_not_get_the_others_bookings(client, casemanager):
    mine = BookingFactory(name=NAME, email=EMAIL)
    theirs = BookingFactory(name=NAME, email="another.maria@example.org")
    their_request = AdaptedSessionRequestFactory(contact_name=NAME, email="another@example.org")
    client.force_login(casemanager)
    export = _export(client)
    dumped = json.dumps(export, ensure_ascii=False)
    assert [row["reference"] for row in export["areas"]["training bookings"]] == [mine.reference]
    assert theirs.reference not in dumped and "another.maria" not in dumped
    assert their_request.reference not in dumped
    page = _post(client, "find").content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_a_namesake_born_on_another_day_does_not_get_the_others_case(client, casemanager):
    ReturnCaseFactory(stage="closed", full_name=NAME, date_of_birth=date(1985, 1, 2))
    client.force_login(casemanager)
    assert _export(client)["areas"]["return cases"] == []


def test_a_complaint_with_no_email_is_theirs_only_with_the_same_phone(client, casemanager):
    same_phone = ComplaintFactory(name=NAME, email="", phone="00359 88 123 4567")
    other_phone = ComplaintFactory(name=NAME, email="", phone="+359 88 999 0000")
    client.force_login(casemanager)
    found = [row["reference"] for row in _export(client)["areas"]["IRIS complaints"]]
    assert found == [same_phone.reference]
    assert other_phone.reference not in found


def test_the_pdf_is_in_the_persons_language_with_their_name(client, casemanager, records):
    client.force_login(casemanager)
    response = _post(client, "pdf")  # no language chosen: the complaint's, Bulgarian
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert NAME in text
    assert "Какво съхранява МОМ Великобритания за вас" in text
    assert "Записвания за обучения" in text
    assert "Дата на раждане: 17 май 1990 г." in text
    # Every label is in Bulgarian: no line starts with an English word.
    english = [line for line in text.splitlines() if re.match(r"^[A-Za-z][a-z ]+:", line)]
    assert english == [], english
    assert pdf.trailer["/Root"]["/Lang"] == "bg"
    tags = read_tags(response.content)  # a screen reader finds every word, under headings
    assert tags.roles[0] == "/H1" and {"/H2", "/H3", "/P"} <= set(tags.roles)
    assert (tags.untagged, tags.unmatched, tags.marked) == (0, set(), True)
    assert AccessLog.objects.filter(
        object_ref=records["return cases"].reference,
        detail="subject access request (PDF, bg)",
    ).exists()


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("cs", "Co o vás uchovává IOM UK"),
        ("hu", "Mit tárol Önről az IOM UK"),
        ("ro", "Ce păstrează IOM UK despre dumneavoastră"),
    ],
)
def test_the_pdf_is_in_the_language_chosen_on_the_form(client, casemanager, language, heading):
    BookingFactory(name="Řehoř Győző Ștefan", email=EMAIL)
    client.force_login(casemanager)
    response = _post(client, "pdf", language=language)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert heading in text
    assert "Řehoř Győző Ștefan" in text


def test_a_caseworker_cannot_make_a_request(client):
    caseworker = UserFactory(username="cw", role=roles.CASEWORKERS)
    client.force_login(caseworker)
    assert client.get(URL).status_code == 403
    assert _post(client, "json").status_code == 403


def test_the_page_keeps_what_was_typed_when_it_comes_back_with_an_error(client, casemanager):
    client.force_login(casemanager)
    response = client.post(
        URL, {"name": NAME, "email": "", "phone": "", "date_of_birth": "", "action": "json"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A name alone is shared by many people" in page
    assert f'value="{NAME}"' in page
    response = client.post(URL, {**WHO, "email": "not an address", "action": "find"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="not an address"' in page and f'value="{PHONE}"' in page
    assert 'value="1990-05-17"' in page


def test_erasure_asks_for_confirmation_and_keeps_the_records_in_view(client, casemanager, records):
    client.force_login(casemanager)
    response = _post(client, "erase")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm that the person asked for erasure" in page
    assert records["return cases"].reference in page
    records["return cases"].refresh_from_db()
    assert records["return cases"].anonymised_at is None


def test_after_erasure_the_export_finds_none_of_the_persons_fields(
    client, casemanager, records, django_capture_on_commit_callbacks
):
    client.force_login(casemanager)
    before = _export(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "erase", confirm_erase="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert "What was erased" in page
    for record in records.values():
        assert str(getattr(record, "reference", record.pk)) in page
    after = json.dumps(_export(client)["areas"], ensure_ascii=False)
    for source in subject_access_sources():
        [row] = before["areas"][source.kind]
        for name in source.personal_data:
            if row.get(name):
                assert str(row[name]) not in after, (source.kind, name)
    for source in subject_access_sources():
        record = records[source.kind]
        [row] = before["areas"][source.kind]
        if not type(record).objects.filter(pk=record.pk).exists():
            continue  # deleted whole, as a watch is
        record.refresh_from_db()
        for name in source.personal_data:
            if row.get(name):
                assert getattr(record, name) != row[name], (source.kind, name)
    for words in ("nursing", "call me", "Maria_passport", "what she added", "an officer's note"):
        assert words not in after
    # What was erased, and when, is on the access log, record by record.
    case = records["return cases"]
    assert AccessLog.objects.filter(
        object_ref=case.reference, action="anonymise", detail__contains="person's request"
    ).exists()
    assert AccessLog.objects.filter(
        object_type="training.booking", action="anonymise", detail__contains="person's request"
    ).exists()


def test_a_record_still_in_use_is_kept_with_the_reason(client, casemanager):
    open_case = ReturnCaseFactory(stage="departed", full_name=NAME, date_of_birth=BORN)
    coming = BookingFactory(name=NAME, email=EMAIL)  # a session still to come
    client.force_login(casemanager)
    response = _post(client, "erase", confirm_erase="on")
    page = response.content.decode()
    assert "Kept, and why" in page
    assert "The case is still open" in page
    assert "The booking is still in use" in page
    open_case.refresh_from_db()
    coming.refresh_from_db()
    assert open_case.anonymised_at is None and coming.name == NAME


def test_a_case_reopened_while_the_page_was_open_is_kept_not_a_500(
    client, casemanager, monkeypatch
):
    # The page listed the case as finished; by the time of the erasure it is open again.
    case = ReturnCaseFactory(stage="departed", full_name=NAME, date_of_birth=BORN)
    source = subject_access._SOURCES["return cases"]
    stale = dataclasses.replace(source, erasable=lambda record: "")
    monkeypatch.setitem(subject_access._SOURCES, "return cases", stale)
    client.force_login(casemanager)
    response = _post(client, "erase", confirm_erase="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept, and why" in page
    assert "Close or withdraw the case before erasing" in page
    case.refresh_from_db()
    assert case.anonymised_at is None
