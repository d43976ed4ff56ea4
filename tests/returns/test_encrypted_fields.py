"""A copy of the database shows none of a case's free text or the person's background."""

import pytest
from django.db import connection

from tests.returns.factories import (
    CaseTransitionFactory,
    ReturnCaseFactory,
    ReturnPlanItemFactory,
)

TABLES = [
    "returns_returncase",
    "returns_historicalreturncase",
    "returns_returnplanitem",
    "returns_historicalreturnplanitem",
    "returns_casetransition",
]


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        dump = []
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


@pytest.mark.django_db
def test_a_database_copy_holds_no_nationality_languages_consent_notes_or_reasons():
    case = ReturnCaseFactory(
        nationality="Moldovan",
        languages="Romanian, some English",
        consent_wording="I agree to go home to Chisinau",
    )
    ReturnPlanItemFactory(case=case, notes="Flight via Vienna, aisle seat")
    CaseTransitionFactory(case=case, reason="Shelter in Leeds referred her")
    raw = _raw_rows()
    for secret in ("Moldovan", "Romanian", "Chisinau", "Vienna", "Leeds"):
        assert secret not in raw
    case.refresh_from_db()
    assert (case.nationality, case.languages) == ("Moldovan", "Romanian, some English")
    assert case.plan_items.get().notes == "Flight via Vienna, aisle seat"
    assert case.transitions.get().reason == "Shelter in Leeds referred her"


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_stored_in_plain_text(as_database_owner):
    from django.db.migrations.executor import MigrationExecutor

    before = [("returns", "0004_retention")]
    after = [("returns", "0005_encrypted_background")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    case = ReturnCaseFactory.build()  # only for its values; written by hand below
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM returns_returncase")
        assert cursor.fetchall() == []
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldCase = old.get_model("returns", "ReturnCase")
    OldUser = old.get_model("auth", "User")
    referrer = OldUser.objects.create(username="ref")
    fields = {
        f.name: getattr(case, f.attname)
        for f in OldCase._meta.concrete_fields
        if f.name not in ("id", "referred_by", "assigned_caseworker")
    }
    fields.update(nationality="Moldovan", languages="Romanian", consent_wording="yes, Chisinau")
    OldCase.objects.create(referred_by=referrer, **fields)

    MigrationExecutor(connection).migrate(after)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nationality, languages, consent_wording FROM returns_returncase")
        raw = str(cursor.fetchall())
    assert "Moldovan" not in raw and "Romanian" not in raw and "Chisinau" not in raw
    NewCase = MigrationExecutor(connection).loader.project_state(after).apps
    assert NewCase.get_model("returns", "ReturnCase").objects.get().consent_wording == (
        "yes, Chisinau"
    )
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())  # the later tests need today's tables
