import threading

import pytest
from django.db import connection, connections

from training import selectors, services
from training.models import Booking

from .factories import SessionFactory

THREADS = 60


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_never_oversell_a_ten_seat_session():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrent connections (runs in CI)")
    session = SessionFactory(capacity=10)
    barrier = threading.Barrier(THREADS)
    errors = []

    def book(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.booking_create(
                session_id=session.pk,
                name=f"Attendee {n}",
                email=f"attendee{n}@police.example",
                organisation="Greater Manchester Police",
                sector="police",
                job_title="Police constable",
            )
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    bookings = list(Booking.objects.filter(session=session).order_by("created_at", "id"))
    assert len(bookings) == THREADS
    states = [b.state for b in bookings]
    # In order of arrival: the first ten through the lock hold the seats, the rest wait in line.
    assert states == [Booking.State.CONFIRMED] * 10 + [Booking.State.WAITING] * (THREADS - 10)
    assert [b.id for b in bookings] == sorted(b.id for b in bookings)
    waiting = [b for b in bookings if b.state == Booking.State.WAITING]
    assert [selectors.booking_waiting_position(booking=b) for b in waiting] == list(
        range(1, THREADS - 9)
    )


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_saving_one_session_at_once_one_wins_and_one_is_told():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two real transactions racing for the session's row")
    from django.test import Client

    from iomuk.models import User

    from .test_admin import _change_form

    session = SessionFactory(venue="Friends House", capacity=10)
    # Both opened the page before either saved; superusers, as a transactional test's flush
    # removes the role groups made by migrations.
    edits = {
        "first": _change_form(session, venue="Conway Hall"),
        "second": _change_form(session, capacity=25),
    }
    start = threading.Barrier(2)
    outcomes = {}

    def save(who: str) -> None:
        try:
            client = Client()
            client.force_login(User.objects.create_superuser(who, f"{who}@iom-uk.example", "x"))
            start.wait(timeout=30)
            response = client.post(f"/admin/training/session/{session.pk}/change/", edits[who])
            told = "Someone else changed this session" in response.text
            outcomes[who] = "saved" if response.status_code == 302 else "told" if told else "?"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(who,)) for who in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["saved", "told"], outcomes
    session.refresh_from_db()
    winner = next(who for who, outcome in outcomes.items() if outcome == "saved")
    expected = {"first": ("Conway Hall", 10), "second": ("Friends House", 25)}[winner]
    assert (session.venue, session.capacity) == expected  # nothing of the loser's edit
