"""Nobody who reaches the portal's database connection can rewrite or empty the access log.

On PostgreSQL the portal runs as a runtime role that does not own the tables: it may add rows
to the access log, but has no UPDATE, DELETE or TRUNCATE on it, and cannot drop or disable its
trigger. The test suite itself runs as that role (tests/conftest.py, `django_db_setup`). On
SQLite, where there are no roles, triggers refuse UPDATE and DELETE: those tests are marked
`sqlite`, and CI, whose main run is on PostgreSQL, runs them in a second pass on SQLite
(`make test-sqlite`).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from iomuk import roles
from iomuk.audit import access_record
from iomuk.models import AccessLog
from tests.returns.factories import ReturnCaseFactory, UserFactory

REFUSED_BY_POSTGRESQL = [
    "UPDATE iomuk_accesslog SET action = 'nothing'",
    "DELETE FROM iomuk_accesslog",
    "TRUNCATE iomuk_accesslog",
    "ALTER TABLE iomuk_accesslog DISABLE TRIGGER iomuk_accesslog_append_only",
    "ALTER TABLE iomuk_accesslog DISABLE TRIGGER USER",
    "DROP TRIGGER iomuk_accesslog_append_only ON iomuk_accesslog",
    "DROP TABLE iomuk_accesslog CASCADE",
]
REFUSED_BY_SQLITE = [
    "UPDATE iomuk_accesslog SET action = 'nothing'",
    "DELETE FROM iomuk_accesslog",
]


def _needs(vendor: str) -> None:
    if connection.vendor != vendor:
        pytest.skip(f"checks the {vendor} database; DATABASE_URL points at {connection.vendor}")


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@pytest.fixture
def as_runtime_role(db):
    _needs("postgresql")
    role = settings.DATABASE_RUNTIME_ROLE
    assert role, "DATABASE_RUNTIME_ROLE is unset: the suite must run as the runtime role"
    assert _current_user() == role, "the suite is not running as the runtime role"


@pytest.fixture
def entry(db):
    return access_record(request=None, action="view", object_type="x", object_ref="R-1")


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(refusal.value)


@pytest.mark.parametrize("sql", REFUSED_BY_POSTGRESQL)
def test_the_runtime_role_may_not_rewrite_or_empty_the_access_log(as_runtime_role, entry, sql):
    with connection.cursor() as cursor:
        # Check the new row's foreign key now, so that no pending check holds the table.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    refusal = _refused(sql)
    # Refused for want of the privilege, not only by the trigger that the owner could drop.
    assert "permission denied" in refusal or "must be owner" in refusal, refusal
    assert AccessLog.objects.get().action == "view"


def test_the_runtime_role_may_append(as_runtime_role):
    access_record(request=None, action="view", object_type="x", object_ref="R-2")
    assert AccessLog.objects.filter(object_ref="R-2").count() == 1


def test_a_staff_page_view_writes_the_access_log_as_the_runtime_role(as_runtime_role, client):
    caseworker = UserFactory(username="cw", role=roles.CASEWORKERS)
    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    client.force_login(caseworker)
    assert client.get(f"/returns/cases/{case.reference}/").status_code == 200
    assert AccessLog.objects.filter(object_ref=case.reference, action="view").exists()


@pytest.mark.sqlite
@pytest.mark.parametrize("sql", REFUSED_BY_SQLITE)
def test_sqlite_refuses_to_rewrite_the_access_log(entry, sql):
    _needs("sqlite")
    assert "append-only" in _refused(sql)
    assert AccessLog.objects.get().action == "view"


@pytest.mark.sqlite
def test_sqlite_refuses_bulk_changes_through_the_orm(entry):
    _needs("sqlite")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.update(action="nothing")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().action == "view"


@pytest.mark.django_db(transaction=True)
def test_the_owners_flush_still_empties_the_database_and_keeps_the_guard():
    """`manage.py flush` (and each transactional test's clean-up) is the owner's job."""
    access_record(request=None, action="view", object_type="x", object_ref="R-3")
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessLog.objects.exists()
    access_record(request=None, action="view", object_type="x", object_ref="R-4")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(action="nothing")
    if connection.vendor == "postgresql":
        assert _current_user() == settings.DATABASE_RUNTIME_ROLE
