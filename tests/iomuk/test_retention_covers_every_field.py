"""Retention cannot miss a field: every text, char or file field of a record that holds a
person's data, and of the rows that hang off it, is anonymised, deleted with its row, or declared
here as not personal, with the reason. A new field fails this test until someone decides."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from iomuk.fields import EncryptedDateField
from iris.complaints import retention as iris_complaint_retention
from iris.models import Application, Complaint, RecruiterWatch
from iris.recruiters import services as iris_services
from iris.recruiters import watch as iris_watch
from returns import services as returns_services
from returns.models import CaseTransition, ReturnCase, SurveyAnswer, SurveyIndicator
from tests.iris.factories import ComplaintFactory
from tests.returns.conftest import PDF_BYTES
from tests.returns.factories import (
    CaseNoteFactory,
    CaseTransitionFactory,
    ReturnCaseFactory,
    ReturnPlanItemFactory,
)
from training import services as training_services
from training.models import AdaptedSessionRequest, Booking

# Each record with a retention period: the fields its anonymisation blanks, the related rows
# (by accessor) whose fields it blanks, and the related rows it deletes.
RETENTION = {
    ReturnCase: (
        returns_services.CASE_PERSONAL_DATA,
        returns_services.CASE_RELATED_BLANKS,
        returns_services.CASE_RELATED_DELETED,
    ),
    Complaint: (
        iris_complaint_retention.COMPLAINT_PERSONAL_DATA,
        iris_complaint_retention.COMPLAINT_RELATED_BLANKS,
        iris_complaint_retention.COMPLAINT_RELATED_DELETED,
    ),
    Application: (iris_services.APPLICATION_PERSONAL_DATA, {}, ()),
    # The email is replaced by an address that can never receive mail (see the service).
    Booking: ({**training_services.BOOKING_PERSONAL_DATA, "email": ""}, {}, ()),
    AdaptedSessionRequest: (training_services.ADAPTED_REQUEST_PERSONAL_DATA, {}, ()),
    # Deleted whole, address and all, when stopped or left unconfirmed
    # (see iris/recruiters/watch.py).
    RecruiterWatch: (iris_watch.WATCH_PERSONAL_DATA, {}, ()),
}

# Reviewed: these fields name no one and hold nothing a person wrote about themselves.
NOT_PERSONAL = {
    ReturnCase: {
        "reference": "a code the portal makes",
        "stage": "a state",
        "referrer_type": "a choice",
        "gender": "a choice, kept for the figures",
        "nationality": "kept for the figures by country",
        "country": "a choice",
        "consent_method": "a choice",
        "nrm_status": "a choice",
        "risk": "a choice",
        "travel_document": "a choice",
        "fit_to_fly": "a choice",
        "not_eligible_reason": "a choice, the category a referrer is told",
    },
    "returns.CaseTransition": {"from_stage": "a state", "to_stage": "a state"},
    "returns.CaseConsent": {
        "purpose": "a choice",
        "partner": "a partner organisation the data may go to",
    },
    # The survey answers hang off the follow-up and are deleted with the case's data (below).
    "returns.FollowUp": {"state": "a state", "contact": "a choice, kept for the figures"},
    "returns.ReturnPlanItem": {"service": "a choice", "status": "a choice"},
    Complaint: {
        "reference": "a code the portal makes",
        "tracking_code_hash": "a hash of a random code",
        "submission_token": "a random token",
        "stage": "a state",
        "unlisted_name": "a recruiting business's name, kept for its record",
        "recruiter_name_given": "a recruiting business's name as typed, kept for its record; "
        "the complaint must name a recruiter",
        "preferred_language": "a choice",
    },
    "iris.ComplaintTransition": {"from_stage": "a state", "to_stage": "a state"},
    "iris.ComplaintAddition": {"submission_token": "a random token"},
    "iris.ComplaintMessage": {"language": "a choice: the language the message is in"},
    "iris.Referral": {
        "authority": "a public body the complaint went to",
        "their_reference": "that body's code",
    },
    Application: {
        "reference": "a code the portal makes",
        "organisation_name": "a business, kept for the recruiter's record",
        "organisation_type": "a choice",
        "registration_number": "a business's registration",
        "website": "a business's website",
        "language": "a choice",
        "state": "a state",
    },
    Booking: {
        "reference": "a code the portal makes",
        "token": "a random token",
        "sector": "a choice, kept for the figures",
        "state": "a state",
    },
    "training.Certificate": {"code": "a code the portal makes"},
    RecruiterWatch: {
        "token": "a random token",
        "language": "a choice",
        "last_notice": "a random token",
    },
    AdaptedSessionRequest: {
        "reference": "a code the portal makes",
        "organisation": "the organisation asking, kept for the figures",
        "sector": "a choice",
        "preferred_dates": "dates",
        "format": "a choice",
        "state": "a state",
    },
}

TEXT_FIELDS = (models.CharField, models.TextField, models.FileField)


def _text_fields(model) -> set[str]:
    # EncryptedTextField, EmailField, SlugField and URLField are text fields too. An encrypted
    # date is stored as text but holds a date: the date of birth is cut to its year by the
    # service (tests/returns/test_retention.py), not blanked.
    return {
        field.name
        for field in model._meta.concrete_fields
        if (isinstance(field, TEXT_FIELDS) or field.get_internal_type() in ("TextField",))
        and not isinstance(field, EncryptedDateField)
    }


def _allowed(model) -> dict:
    return NOT_PERSONAL.get(model, {}) | NOT_PERSONAL.get(model._meta.label, {})


def _misses() -> list[str]:
    misses = []
    for model, (blanks, related_blanks, related_deleted) in RETENTION.items():
        for name in sorted(_text_fields(model) - set(blanks) - set(_allowed(model))):
            misses.append(f"{model._meta.label}.{name}")
        # Every row that hangs off the record: deleted with it, or each of its fields covered.
        for relation in model._meta.related_objects:
            accessor = relation.get_accessor_name()
            if accessor in related_deleted:
                continue
            related = relation.related_model
            covered = set(related_blanks.get(accessor, {})) | set(_allowed(related))
            for name in sorted(_text_fields(related) - covered):
                misses.append(f"{related._meta.label}.{name} (via {accessor})")
    return misses


def test_every_text_field_of_personal_records_is_anonymised_or_declared_not_personal():
    assert _misses() == []


def test_what_the_services_delete_or_blank_exists_on_the_record():
    # A misspelt accessor would cover nothing while looking covered.
    for model, (blanks, related_blanks, related_deleted) in RETENTION.items():
        field_names = {field.name for field in model._meta.concrete_fields}
        accessors = {relation.get_accessor_name() for relation in model._meta.related_objects}
        assert set(blanks) <= field_names, model
        assert set(related_blanks) | set(related_deleted) <= accessors, model
        for accessor, fields in related_blanks.items():
            related = getattr(model, accessor).rel.related_model
            assert set(fields) <= {field.name for field in related._meta.concrete_fields}


def test_every_declared_field_exists():
    # A field renamed or removed leaves no stale entry that could hide a new one.
    for model, reasons in NOT_PERSONAL.items():
        if isinstance(model, str):
            model = apps.get_model(model)
        assert set(reasons) <= {field.name for field in model._meta.concrete_fields}, model
        assert all(reason for reason in reasons.values())


# The lists above only count if the services use them: anonymise a case and a complaint with
# every field of those lists filled in and a row behind every accessor, and look at what is left.
MARK = "Ana Marker"


def _fill(record, blanks: dict) -> None:
    type(record).objects.filter(pk=record.pk).update(**dict.fromkeys(blanks, MARK))
    record.refresh_from_db()
    record.save()  # a version in the history with every field filled in


def _personal_values(record, blanks: dict) -> set[str]:
    return {str(getattr(record, name)) for name in blanks if getattr(record, name)}


def _assert_no_forward_copies(record, values: set[str]) -> None:
    """Follow the record's own foreign keys (the recruiter an application became, the people who
    handled a case): no row it points at, nor any past version of that row, keeps a copy of
    what the record's anonymisation removed."""
    assert values
    for field in type(record)._meta.concrete_fields:
        if not field.is_relation or getattr(record, field.attname) is None:
            continue
        target = getattr(record, field.name)
        rows = [target]
        if hasattr(type(target), "history"):
            rows += list(type(target).history.filter(**{target._meta.pk.attname: target.pk}))
        for row in rows:
            for name in _text_fields(type(row)):
                kept = str(getattr(row, name))
                assert not any(value in kept for value in values), (field.name, name, kept)


def _assert_anonymised(
    record, blanks: dict, related_blanks: dict, related_deleted, values: set[str]
) -> None:
    record.refresh_from_db()
    _assert_no_forward_copies(record, values)
    assert record.anonymised_at is not None
    kept = {field.name for field in type(record).history.model._meta.concrete_fields}
    assert all(getattr(record, name) != MARK for name in blanks), record
    for version in record.history.all():  # a field left out of the history is not there
        assert all(getattr(version, name) != MARK for name in blanks if name in kept), version
    for accessor, fields in related_blanks.items():
        rows = list(getattr(record, accessor).all())
        assert rows, accessor
        assert all(getattr(row, name) == value for row in rows for name, value in fields.items())
    for accessor in related_deleted:
        assert not getattr(record, accessor).exists(), accessor


@pytest.mark.django_db
def test_anonymising_a_case_clears_every_listed_field_and_deletes_every_listed_row(
    settings, django_capture_on_commit_callbacks
):
    settings.RETURNS_RETENTION_DAYS = 30
    case = ReturnCaseFactory(stage="closed")
    ReturnPlanItemFactory(case=case, notes=MARK)
    CaseNoteFactory(case=case, text=MARK)
    returns_services.case_document_add(
        case=case,
        by=case.referred_by,
        kind="identity",
        upload=SimpleUploadedFile("passport.pdf", PDF_BYTES),
    )
    move = CaseTransitionFactory(case=case, to_stage="closed", reason=MARK)
    CaseTransition.objects.filter(pk=move.pk).update(at=timezone.now() - timedelta(days=31))
    case.consents.create(
        purpose="follow_up",
        partner="IOM Romania",
        wording=MARK,
        given_on=timezone.localdate(),
        recorded_by=case.referred_by,
    )
    follow_up = case.follow_ups.create(months=3, due_on=timezone.localdate())
    indicator = SurveyIndicator.objects.first()
    answer = follow_up.answers.create(indicator=indicator, answer="2")
    _fill(case, returns_services.CASE_PERSONAL_DATA)
    values = _personal_values(case, returns_services.CASE_PERSONAL_DATA)
    for accessor in returns_services.CASE_RELATED_DELETED:
        assert getattr(case, accessor).exists(), accessor

    with django_capture_on_commit_callbacks(execute=True):
        assert returns_services.cases_anonymise_expired() == [case.reference]

    _assert_anonymised(
        case,
        returns_services.CASE_PERSONAL_DATA,
        returns_services.CASE_RELATED_BLANKS,
        returns_services.CASE_RELATED_DELETED,
        values,
    )
    # The survey answers, a level further down, go; whether the follow-up happened stays.
    assert not SurveyAnswer.objects.filter(pk=answer.pk).exists()
    assert case.follow_ups.filter(pk=follow_up.pk).exists()
    assert all(version.wording == "" for version in case.consents.first().history.all())


@pytest.mark.django_db
def test_anonymising_a_complaint_clears_every_listed_field_and_deletes_every_listed_row(
    settings, django_capture_on_commit_callbacks
):
    settings.IRIS_RETENTION_DAYS = 30
    complaint = ComplaintFactory(stage=Complaint.Stage.CLOSED)
    for accessor, fields in iris_complaint_retention.COMPLAINT_RELATED_BLANKS.items():
        getattr(complaint, accessor).create(**dict.fromkeys(fields, MARK))
    complaint.evidence.create(
        file=SimpleUploadedFile("photo.pdf", PDF_BYTES), content_type="application/pdf", size=9
    )
    _fill(complaint, iris_complaint_retention.COMPLAINT_PERSONAL_DATA)
    values = _personal_values(complaint, iris_complaint_retention.COMPLAINT_PERSONAL_DATA)
    Complaint.objects.filter(pk=complaint.pk).update(updated_at=timezone.now() - timedelta(days=31))

    with django_capture_on_commit_callbacks(execute=True):
        assert iris_complaint_retention.complaints_anonymise_expired() == [complaint.reference]

    _assert_anonymised(
        complaint,
        iris_complaint_retention.COMPLAINT_PERSONAL_DATA,
        iris_complaint_retention.COMPLAINT_RELATED_BLANKS,
        iris_complaint_retention.COMPLAINT_RELATED_DELETED,
        values,
    )


@pytest.mark.django_db
def test_anonymising_an_accepted_application_leaves_no_copy_on_its_recruiter(
    settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from tests.iris.factories import ApplicationFactory

    settings.IRIS_RETENTION_DAYS = 30
    application = ApplicationFactory(
        contact_name=MARK,
        contact_email="ana.marker@example.org",
        contact_phone="+40 700 123 456",
        about=MARK,
    )
    officer = get_user_model().objects.create(username="officer", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        iris_services.application_accept(application=application, by=officer)
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=31)
    )
    application.refresh_from_db()
    values = _personal_values(application, iris_services.APPLICATION_PERSONAL_DATA)
    assert application.recruiter is not None

    assert iris_services.applications_anonymise_expired() == [str(application.pk)]

    _assert_anonymised(application, iris_services.APPLICATION_PERSONAL_DATA, {}, (), values)
