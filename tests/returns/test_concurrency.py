"""Two people at once: references are never shared and a case is never overwritten silently.

These need real concurrent transactions, so they run on PostgreSQL (in CI) only.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from returns.models import CaseTransition, ReturnCase
from returns.services import (
    CaseConflict,
    case_advance,
    case_reference_next,
    case_take,
    case_update,
)

from .factories import ReturnCaseFactory, UserFactory


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no concurrent writers to race")


def _in_thread(work):
    def run(*args):
        try:
            return work(*args)
        finally:
            connection.close()

    return run


@pytest.mark.django_db(transaction=True)
def test_parallel_referrals_never_share_a_reference(postgresql):
    @_in_thread
    def take(_):
        with transaction.atomic():
            return case_reference_next(year=2030)

    with ThreadPoolExecutor(max_workers=8) as pool:
        references = list(pool.map(take, range(40)))
    assert len(set(references)) == 40
    assert max(references) == "RR-2030-0040"


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_one_case_at_once_one_wins_and_one_is_told(postgresql):
    # Superusers: a transactional test's flush removes the role groups made by migrations.
    caseworker = UserFactory(username="first", is_superuser=True)
    casemanager = UserFactory(username="second", is_superuser=True)
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    start = threading.Barrier(2)

    @_in_thread
    def move(args):
        user, stage = args
        mine = ReturnCase.objects.get(pk=case.pk)
        start.wait()
        try:
            case_advance(case=mine, to_stage=stage, by=user, reason="at once", expected_version=1)
        except CaseConflict:
            return "told"
        return "moved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(
            pool.map(move, [(caseworker, "eligibility_checked"), (casemanager, "withdrawn")])
        )
    assert outcomes == ["moved", "told"]
    case.refresh_from_db()
    assert case.version == 2
    assert CaseTransition.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_editing_one_case_at_once_never_overwrite_each_other(postgresql):
    first = UserFactory(username="first", is_superuser=True)
    second = UserFactory(username="second", is_superuser=True)
    case = ReturnCaseFactory(assigned_caseworker=first, risk="low", destination_town="Bacău")
    start = threading.Barrier(2)

    @_in_thread
    def edit(args):
        user, changes = args
        mine = ReturnCase.objects.get(pk=case.pk)
        start.wait()
        try:
            case_update(case=mine, by=user, changes=changes, expected_version=1)
        except CaseConflict:
            return ("told", changes)
        return ("saved", changes)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(edit, [(first, {"risk": "high"}), (second, {"destination_town": "Iași"})])
        )
    assert sorted(o for o, _ in outcomes) == ["saved", "told"]
    saved = next(changes for o, changes in outcomes if o == "saved")
    case.refresh_from_db()
    assert case.version == 2
    expected = {"risk": "low", "destination_town": "Bacău", **saved}
    assert (case.risk, case.destination_town) == (expected["risk"], expected["destination_town"])


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_taking_one_case_at_once_only_one_gets_it(postgresql):
    first = UserFactory(username="first", is_superuser=True)
    second = UserFactory(username="second", is_superuser=True)
    case = ReturnCaseFactory(assigned_caseworker=None)
    start = threading.Barrier(2)

    @_in_thread
    def take(user):
        mine = ReturnCase.objects.get(pk=case.pk)
        start.wait()
        try:
            case_take(case=mine, by=user)
        except CaseConflict:
            return ("told", user.username)
        return ("took", user.username)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(take, [first, second]))
    assert sorted(o for o, _ in outcomes) == ["told", "took"]
    winner = next(name for o, name in outcomes if o == "took")
    case.refresh_from_db()
    assert case.assigned_caseworker.username == winner
    assert case.version == 2
