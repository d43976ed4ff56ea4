"""A lost database connection (a PostgreSQL restart in a rush) answers a plain 503 page in the
reader's language, with Retry-After, never the generic 500: nothing was saved, try again. Lost
before anything could commit, the request is first tried once more on a new connection."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from iomuk.models import OutboxMessage
from tests.returns.factories import UserFactory
from tests.training.factories import SessionFactory
from training.models import Booking

BOOKING = {
    "name": "Ada Lovelace",
    "email": "ada@council.example",
    "organisation": "Camden Council",
    "sector": "social_work",
    "job_title": "Social worker",
    "requirements": "",
    "consent_contact": "on",
}


@pytest.fixture(autouse=True)
def _private_throttle_cache(private_cache):
    """Per-address counters of this test's own."""


class _ConnectionLost:
    """The server goes away at the first write of the request (or at once): that statement and
    every one after it fail as psycopg's do when PostgreSQL restarts."""

    def __init__(self, *, at_once=False):
        self.lost = at_once

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            self.lost = True
        if self.lost:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _book(client, session, **extra):
    # As in production: an error is answered with a page, not raised into the test.
    return client.post(f"/training/{session.slug}/", BOOKING, REMOTE_ADDR="203.0.113.50", **extra)


@pytest.mark.parametrize("at_once", [False, True], ids=["lost mid-request", "down from the start"])
def test_a_booking_when_the_database_goes_away_gets_a_503_that_says_nothing_was_saved(
    transactional_db, at_once
):
    session = SessionFactory(capacity=5)
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_ConnectionLost(at_once=at_once)):
        response = _book(client, session)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Nothing was saved. Try again in a moment." in html
    assert "Sorry, something went wrong on our side" not in html
    assert 'class="quick-exit' in html  # the exit button, as on the other error pages
    assert Booking.objects.count() == 0


def test_the_503_page_is_in_the_readers_language(transactional_db):
    session = SessionFactory(capacity=5)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ro")
    with connection.execute_wrapper(_ConnectionLost()):
        response = _book(client, session)
    assert response.status_code == 503
    assert (
        "Nu s-a salvat nimic. Încercați din nou peste câteva momente." in response.content.decode()
    )


def test_a_signed_in_page_whose_session_cannot_be_read_gets_the_503_too(transactional_db):
    # The session and the user are read by middleware, before any view: the handler answers.
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True))
    with connection.execute_wrapper(_ConnectionLost(at_once=True)):
        response = client.get("/staff/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was saved. Try again in a moment." in response.content.decode()


def test_the_api_answers_a_lost_database_with_a_503_problem(transactional_db):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_ConnectionLost(at_once=True)):
        response = client.get("/api/v1/recruiters/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Nothing was saved. Try again in a moment."


class _TerminatedAtFirstInsert:
    """PostgreSQL ends this connection (pg_terminate_backend, as a restart or a failover does)
    just as the request sends its first INSERT, inside the booking's transaction."""

    def __init__(self):
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and sql.lstrip().upper().startswith("INSERT"):
            self.done = True
            pid = context["connection"].connection.info.backend_pid
            _as_another_connection(f"SELECT pg_terminate_backend({pid})")
        return execute(sql, params, many, context)


def _as_another_connection(sql: str) -> None:
    import psycopg2

    s = connection.settings_dict
    other = psycopg2.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"],
        dbname=s["NAME"],
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(sql)
    finally:
        other.close()


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: pg_terminate_backend ends the request's connection")


def test_a_booking_whose_connection_is_killed_before_commit_is_tried_again_and_made(postgresql):
    session = SessionFactory(capacity=5)
    client = Client(raise_request_exception=False)
    killed = _TerminatedAtFirstInsert()
    with connection.execute_wrapper(killed):
        response = _book(client, session)
    assert killed.done  # the connection was ended mid-transaction
    # The person sees the "check your inbox" page, and one booking and one email exist.
    assert response.status_code == 302
    assert response["Location"] == f"/training/{session.slug}/booked/"
    assert client.get(response["Location"]).status_code == 200
    assert Booking.objects.get().email == "ada@council.example"
    assert [m.to for m in OutboxMessage.objects.all()] == ["ada@council.example"]


class _TerminatedAtLastLogin:
    """PostgreSQL ends the connection as a sign-in writes its last-login time in autocommit:
    that write, and the new session row committed before it, may stand, so the view is not
    run a second time."""

    def __init__(self):
        self.seen = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and '"last_login"' in sql:
            self.seen += 1
            pid = context["connection"].connection.info.backend_pid
            _as_another_connection(f"SELECT pg_terminate_backend({pid})")
        return execute(sql, params, many, context)


def test_a_request_lost_after_something_committed_is_not_tried_again(postgresql):
    user = UserFactory(username="coord-down")
    user.set_password("a-long-password-1")
    user.save()
    client = Client(raise_request_exception=False)
    killed = _TerminatedAtLastLogin()
    login = {"username": "coord-down", "password": "a-long-password-1"}
    with connection.execute_wrapper(killed):
        response = client.post("/accounts/login/", login)
    connection.close()  # (as Django does after a request whose connection broke)
    assert killed.seen == 1  # the view ran once
    assert response.status_code == 503


def test_the_503_log_names_the_view_never_the_address_and_its_token(transactional_db, caplog):
    # A booking's own page carries its secret token in the address; the log must not.
    token = "SECRET-booking-token-in-the-address"
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_ConnectionLost(at_once=True)):
        response = client.get(f"/training/bookings/{token}/cancel/")
    assert response.status_code == 503
    logged = caplog.text
    assert "database unavailable" in logged
    assert "training:booking-cancel" in logged
    assert token not in logged
