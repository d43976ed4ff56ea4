"""The IRIS list pages cost the same number of queries for a few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import ComplaintFactory, RecruiterFactory, country, sector

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def recruiters(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        r = RecruiterFactory(legal_name=f"Busy Recruiter {i}")
        r.sectors.set([sector("care"), sector("logistics")])
        r.operations.create(country=country("RO"), kind="origin")
        r.operations.create(country=country("GB"), kind="destination")


@pytest.mark.parametrize(
    "params", [None, {"q": "busy"}, {"q": "bussy recruter"}, {"country": "RO", "sector": "care"}]
)
def test_the_roster_costs_the_same_queries_for_2_or_30_recruiters(
    client, params, django_assert_max_num_queries
):
    recruiters(2)
    few = queries_for(client, "/iris/recruiters/", params)
    recruiters(28, start=2)
    with django_assert_max_num_queries(few):
        response = client.get("/iris/recruiters/", params)
    assert response.status_code == 200


def test_the_complaints_admin_list_costs_the_same_queries_for_2_or_30(
    officer_client, django_assert_max_num_queries
):
    ComplaintFactory.create_batch(2)
    few = queries_for(officer_client, "/admin/iris/complaint/")
    ComplaintFactory.create_batch(28)
    with django_assert_max_num_queries(few):
        assert officer_client.get("/admin/iris/complaint/").status_code == 200


def test_the_recruiters_admin_list_costs_the_same_queries_for_2_or_30(
    officer_client, django_assert_max_num_queries
):
    recruiters(2)
    few = queries_for(officer_client, "/admin/iris/recruiter/")
    recruiters(28, start=2)
    with django_assert_max_num_queries(few):
        assert officer_client.get("/admin/iris/recruiter/").status_code == 200
