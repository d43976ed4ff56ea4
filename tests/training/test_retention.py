"""Past bookings lose the attendee's personal data once certificates are issued; old answered
requests for an adapted session lose their contact's."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from iomuk.models import AccessLog
from training.models import AdaptedSessionRequest, Booking, Certificate
from training.services import (
    adapted_request_answer,
    adapted_request_create,
    adapted_requests_anonymise_expired,
    bookings_anonymise_expired,
)

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _past_session(days_ago: int):
    starts = timezone.now() - timedelta(days=days_ago, hours=3)
    return SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))


def _attended_with_certificate(session, **kwargs) -> Booking:
    booking = BookingFactory(session=session, attended=True, **kwargs)
    Certificate.objects.create(booking=booking, code=f"C-{booking.reference}")
    return booking


def test_bookings_past_retention_lose_personal_data_but_keep_the_figures(settings):
    settings.TRAINING_RETENTION_DAYS = 90
    session = _past_session(days_ago=91)
    came = _attended_with_certificate(session, requirements="Wheelchair user", name="Priya Shah")
    absent = BookingFactory(session=session, attended=False)
    cancelled = BookingFactory(session=session, state=Booking.State.CANCELLED)

    assert sorted(bookings_anonymise_expired()) == sorted(
        [came.reference, absent.reference, cancelled.reference]
    )

    for booking in Booking.objects.filter(session=session):
        assert (booking.name, booking.job_title, booking.requirements) == ("", "", "")
        assert booking.organisation == ""
        assert booking.email == f"{booking.reference.lower()}@anonymised.invalid"
        assert booking.anonymised_at is not None
    figures = {b.reference: (b.state, b.attended, b.sector) for b in session.bookings.all()}
    assert figures[came.reference] == ("confirmed", True, "social_work")
    assert figures[absent.reference] == ("confirmed", False, "social_work")
    assert Certificate.objects.filter(booking=came).exists()


def test_their_history_keeps_no_personal_data(settings):
    settings.TRAINING_RETENTION_DAYS = 90
    booking = _attended_with_certificate(_past_session(days_ago=91), name="Priya Shah")
    bookings_anonymise_expired()
    versions = booking.history.all()
    assert len(versions) >= 2
    assert {(v.name, v.requirements, v.organisation) for v in versions} == {("", "", "")}
    assert "@anonymised.invalid" in versions.last().email


def test_a_certificate_still_due_holds_the_booking_back(settings):
    settings.TRAINING_RETENTION_DAYS = 90
    waiting_for_certificate = BookingFactory(session=_past_session(days_ago=200), attended=True)
    assert bookings_anonymise_expired() == []
    assert Booking.objects.get(pk=waiting_for_certificate.pk).name.startswith("Attendee")


def test_recent_and_future_sessions_are_untouched(settings):
    settings.TRAINING_RETENTION_DAYS = 90
    recent = _attended_with_certificate(_past_session(days_ago=30))
    upcoming = BookingFactory()
    assert bookings_anonymise_expired() == []
    assert Booking.objects.filter(pk__in=[recent.pk, upcoming.pk], anonymised_at=None).count() == 2
    assert not AccessLog.objects.filter(action="anonymise").exists()


def test_each_anonymisation_is_in_the_access_log(settings):
    settings.TRAINING_RETENTION_DAYS = 90
    booking = _attended_with_certificate(_past_session(days_ago=91), name="Priya Shah")
    bookings_anonymise_expired()
    entry = AccessLog.objects.get(action="anonymise")
    assert (entry.object_type, entry.object_ref) == ("training.booking", booking.reference)
    assert "Priya" not in str(entry) + entry.detail


def test_the_certificate_check_still_works_without_the_name(client, settings):
    settings.TRAINING_RETENTION_DAYS = 90
    booking = _attended_with_certificate(_past_session(days_ago=91), name="Priya Shah")
    bookings_anonymise_expired()
    page = client.get(f"/training/certificates/C-{booking.reference}/")
    assert page.status_code == 200
    assert "No longer held" in page.text and "Priya" not in page.text


def test_a_dry_run_changes_nothing(settings, capsys):
    settings.TRAINING_RETENTION_DAYS = 90
    booking = _attended_with_certificate(_past_session(days_ago=91), name="Priya Shah")
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert booking.reference in out and "training bookings would be anonymised" in out
    assert "Priya" not in out
    assert Booking.objects.get(pk=booking.pk).name == "Priya Shah"
    assert not AccessLog.objects.filter(action="anonymise").exists()


def _answered_request(days_ago: int, state="answered") -> AdaptedSessionRequest:
    request = adapted_request_create(
        organisation="Northshire Council",
        contact_name="Priya Shah",
        email="priya.shah@northshire.example",
        phone="+44 7700 900123",
        sector="social_work",
        people=12,
        preferred_dates="Any Tuesday in March",
        format="online",
        needs="Our team meets survivors placed in Northshire; Priya leads it.",
    )
    if state == "answered":
        adapted_request_answer(request=request, notes="Called Priya; offered 12 March.")
    AdaptedSessionRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return request


def test_old_answered_requests_lose_the_contact_and_free_text_but_keep_the_figures(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 365
    old = _answered_request(days_ago=366)

    assert adapted_requests_anonymise_expired() == [old.reference]

    old.refresh_from_db()
    assert (old.contact_name, old.email, old.phone, old.needs, old.answer_notes) == ("",) * 5
    assert old.anonymised_at is not None
    assert (old.organisation, old.sector, old.people, old.format) == (
        "Northshire Council",
        "social_work",
        12,
        "online",
    )
    versions = old.history.all()
    assert len(versions) >= 2
    assert {(v.contact_name, v.email, v.phone, v.needs, v.answer_notes) for v in versions} == {
        ("",) * 5
    }
    entry = AccessLog.objects.get(action="anonymise")
    assert (entry.object_type, entry.object_ref) == (
        "training.adaptedsessionrequest",
        old.reference,
    )
    assert "Priya" not in entry.detail


def test_a_request_still_unanswered_or_recent_is_kept(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 365
    waiting = _answered_request(days_ago=400, state="new")
    recent = _answered_request(days_ago=30)
    assert adapted_requests_anonymise_expired() == []
    kept = AdaptedSessionRequest.objects.filter(pk__in=[waiting.pk, recent.pk])
    assert {r.contact_name for r in kept} == {"Priya Shah"}
    assert not AccessLog.objects.filter(action="anonymise").exists()
