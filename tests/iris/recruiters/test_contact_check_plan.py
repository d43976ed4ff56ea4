"""A contact check is an index look-up on the normalised key, not a scan: shown by PostgreSQL's
own plans over enough rows that the planner chooses freely.

The honest way to see it: 30,000 contacts and 3,000 impostors, ANALYZEd, with every plan
type allowed (no `enable_seqscan = off`). If the key were not indexed, or the query did
anything the index cannot answer (a function of the column, a LIKE), the planner would scan
these tables and the test fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iris.models import ImpostorContact, RecruiterContact
from iris.recruiters.contact_services import contact_check

from ..factories import RecruiterFactory

CONTACTS, IMPOSTORS = 30_000, 3_000


def _plans(cursor, queries) -> list[str]:
    plans = []
    for query in queries:
        cursor.execute("EXPLAIN " + query["sql"])
        plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("+40 721 012 345", "authorised"),
        ("0730 001 234", "warning"),
        ("+40 799 999 999", "unknown"),
    ],
)
def test_postgresql_answers_a_check_from_the_key_indexes(as_database_owner, text, answer):
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's query plans")
    recruiters = [RecruiterFactory() for _ in range(30)]
    RecruiterContact.objects.bulk_create(
        RecruiterContact(
            recruiter=recruiters[n % 30],
            kind="phone",
            value=f"+40 721 {n:06d}",
            key=f"phone:+40721{n:06d}",
        )
        for n in range(CONTACTS)
    )
    ImpostorContact.objects.bulk_create(
        ImpostorContact(
            kind="phone", value=f"+40 730 {n:06d}", key=f"phone:+40730{n:06d}", imitates=None
        )
        for n in range(IMPOSTORS)
    )
    with connection.cursor() as cursor:
        # ANALYZE is the owner's: the runtime role's is skipped, and leaves the planner blind.
        cursor.execute("ANALYZE iris_recruitercontact")
        cursor.execute("ANALYZE iris_impostorcontact")
        with CaptureQueriesContext(connection) as queries:
            check = contact_check(text=text, region="RO")
        assert check.answer == answer
        plans = _plans(cursor, queries.captured_queries)
    joined = "\n".join(plans)
    assert "iris_impostor_listed_once" in joined, plans
    if answer != "warning":
        assert "iris_contact_key_current" in joined, plans
    assert "Seq Scan on iris_recruitercontact" not in joined, plans
    assert "Seq Scan on iris_impostorcontact" not in joined, plans
