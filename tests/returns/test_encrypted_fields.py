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
