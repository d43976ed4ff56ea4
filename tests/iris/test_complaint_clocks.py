"""The deadline clocks of a complaint: acknowledged within 7 days, answered within 3 months,
someone in danger first. Read with a frozen clock that the test moves on."""

from datetime import UTC, date, datetime, timedelta

import pytest

from iris.complaints.clocks import complaint_clocks, complaints_by_urgency, complaints_with_clocks
from iris.complaints.models import Complaint, ComplaintMessage, ComplaintTransition
from iris.complaints.services import (
    complaint_advance,
    complaint_message_add,
    complaint_refer,
    complaint_submit,
)

from .factories import RecruiterFactory, country

# A Monday morning, far from a month's end: three months on is 2 June, 09:00.
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def move_to(self, moment: datetime) -> None:
        self.moment = moment


@pytest.fixture
def clock(monkeypatch, settings):
    """Time stands at RECEIVED until the test moves it."""
    settings.IRIS_ACKNOWLEDGE_DAYS = 7
    settings.IRIS_ANSWER_MONTHS = 3
    frozen = Clock(RECEIVED)
    monkeypatch.setattr("django.utils.timezone.now", frozen)
    # Stage moves and messages took timezone.now as their default when the models were
    # imported, before the clock was frozen: they get the frozen one too.
    for model in (ComplaintTransition, ComplaintMessage):
        monkeypatch.setattr(model._meta.get_field("at"), "_get_default", frozen)
    return frozen


def _report(**extra) -> Complaint:
    complaint, _code = complaint_submit(
        description="They kept my passport.",
        categories=[],
        recruiter=RecruiterFactory(),
        email="maria@example.org",
        preferred_language="ro",
        consent_to_referral=True,
        **extra,
    )
    return complaint


def _overdue(complaint: Complaint) -> bool:
    return complaint_clocks(complaint).overdue


def test_a_complaint_not_acknowledged_in_7_days_is_overdue(clock, db):
    complaint = _report()
    clock.move_to(RECEIVED + timedelta(days=6, hours=23))
    assert not _overdue(complaint)
    clock.move_to(RECEIVED + timedelta(days=7, minutes=1))
    assert _overdue(complaint)
    assert complaint_clocks(complaint).acknowledge_by == RECEIVED + timedelta(days=7)


def test_moving_it_on_from_received_acknowledges_it(clock, db, officer):
    complaint = _report()
    clock.move_to(RECEIVED + timedelta(days=6))
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.move_to(RECEIVED + timedelta(days=30))
    clocks = complaint_clocks(complaint)
    assert clocks.acknowledged_at == RECEIVED + timedelta(days=6)
    assert not clocks.overdue


def test_a_message_to_the_complainant_acknowledges_it(clock, db, officer):
    complaint = _report()
    clock.move_to(RECEIVED + timedelta(days=2))
    complaint_message_add(
        complaint=complaint, shared_with_complainant=True, by=officer, body="We have it."
    )
    clock.move_to(RECEIVED + timedelta(days=30))
    assert complaint_clocks(complaint).acknowledged_at == RECEIVED + timedelta(days=2)
    assert not _overdue(complaint)


def test_an_internal_message_does_not_acknowledge_it(clock, db, officer):
    complaint = _report()
    complaint_message_add(
        complaint=complaint, shared_with_complainant=False, by=officer, body="Call them."
    )
    clock.move_to(RECEIVED + timedelta(days=8))
    assert complaint_clocks(complaint).acknowledged_at is None
    assert _overdue(complaint)


def test_a_late_acknowledgement_stops_the_7_day_clock(clock, db, officer):
    complaint = _report()
    clock.move_to(RECEIVED + timedelta(days=9))
    assert _overdue(complaint)
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    assert not _overdue(complaint)


def test_a_complaint_not_answered_in_3_months_is_overdue(clock, db, officer):
    complaint = _report()
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.move_to(datetime(2026, 6, 2, 8, 59, tzinfo=UTC))
    assert not _overdue(complaint)
    clock.move_to(datetime(2026, 6, 2, 9, 1, tzinfo=UTC))
    assert _overdue(complaint)
    assert complaint_clocks(complaint).answer_by == datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def test_referring_it_answers_it(clock, db, officer):
    complaint = _report()
    complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    clock.move_to(RECEIVED + timedelta(days=40))
    complaint_refer(
        complaint=complaint,
        authority="Inspecția Muncii",
        country=country("RO"),
        referred_on=date(2026, 4, 11),
        by=officer,
    )
    clock.move_to(RECEIVED + timedelta(days=200))
    clocks = complaint_clocks(complaint)
    assert clocks.answered_at == RECEIVED + timedelta(days=40)
    assert not clocks.overdue and clocks.due_by is None


def test_closing_it_answers_it(clock, db, officer):
    complaint = _report()
    complaint_advance(complaint=complaint, to_stage="closed", by=officer)
    clock.move_to(RECEIVED + timedelta(days=200))
    clocks = complaint_clocks(complaint)
    assert clocks.acknowledged_at == clocks.answered_at == RECEIVED
    assert not clocks.overdue


def test_the_clocks_are_settings(clock, db, settings):
    settings.IRIS_ACKNOWLEDGE_DAYS = 10
    settings.IRIS_ANSWER_MONTHS = 1
    complaint = _report()
    clock.move_to(RECEIVED + timedelta(days=8))
    assert not _overdue(complaint)
    clocks = complaint_clocks(complaint)
    assert clocks.acknowledge_by == RECEIVED + timedelta(days=10)
    assert clocks.answer_by == datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def test_the_most_urgent_come_first(clock, db, officer):
    answered_in_danger = _report(in_danger=True)
    complaint_advance(complaint=answered_in_danger, to_stage="closed", by=officer)
    clock.move_to(RECEIVED + timedelta(days=1))
    older = _report()
    clock.move_to(RECEIVED + timedelta(days=2))
    acknowledged = _report()
    complaint_advance(complaint=acknowledged, to_stage="under_review", by=officer)
    clock.move_to(RECEIVED + timedelta(days=5))
    newer = _report()
    clock.move_to(RECEIVED + timedelta(days=8, hours=12))
    in_danger = _report(in_danger=True)  # received just now, ahead of everything else
    order = list(complaints_by_urgency(Complaint.objects.all()))
    assert order == [in_danger, older, newer, acknowledged, answered_in_danger]
    assert [c.overdue for c in order] == [False, True, False, False, False]
    assert order[0].urgent and not order[-1].urgent


def test_the_clocks_of_many_complaints_take_one_query(
    clock, db, officer, django_assert_num_queries
):
    for _n in range(5):
        complaint_advance(complaint=_report(), to_stage="under_review", by=officer)
    with django_assert_num_queries(1):
        complaints = list(complaints_with_clocks(Complaint.objects.all()))
    with django_assert_num_queries(0):
        clocks = [complaint_clocks(c) for c in complaints]
    assert len(clocks) == 5 and all(c.acknowledged_at == RECEIVED for c in clocks)
