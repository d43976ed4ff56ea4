"""The returns list pages cost the same number of queries for a few cases or many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import ReturnCaseFactory, ReturnPlanItemFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["caseworker", "casemanager"])
def test_the_case_list_costs_the_same_queries_for_2_or_30_cases(
    client, request, who, caseworker, referrer, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    ReturnCaseFactory.create_batch(2, assigned_caseworker=caseworker, referred_by=referrer)
    few = queries_for(client, "/returns/cases/")
    ReturnCaseFactory.create_batch(28, assigned_caseworker=caseworker, referred_by=referrer)
    with django_assert_max_num_queries(few):
        assert client.get("/returns/cases/").status_code == 200


@pytest.mark.parametrize("who", ["caseworker", "casemanager"])
def test_the_overdue_case_list_costs_the_same_queries_for_2_or_30_cases(
    client, request, who, caseworker, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    url = "/returns/cases/?overdue=1"

    def overdue_cases(n):
        for case in ReturnCaseFactory.create_batch(n, assigned_caseworker=caseworker):
            ReturnPlanItemFactory(case=case, due_date=timezone.localdate() - timedelta(days=1))
            ReturnPlanItemFactory(case=case, service="shelter", due_date=timezone.localdate())

    overdue_cases(2)
    few = queries_for(client, url)
    overdue_cases(28)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert "30 cases" in response.content.decode()


def test_my_referrals_costs_the_same_queries_for_2_or_30_referrals(
    client, referrer, django_assert_max_num_queries
):
    client.force_login(referrer)
    ReturnCaseFactory.create_batch(2, referred_by=referrer)
    few = queries_for(client, "/returns/referrals/")
    ReturnCaseFactory.create_batch(28, referred_by=referrer)
    with django_assert_max_num_queries(few):
        assert client.get("/returns/referrals/").status_code == 200


def test_the_cases_admin_list_costs_the_same_queries_for_2_or_30_cases(
    client, casemanager, caseworker, django_assert_max_num_queries
):
    client.force_login(casemanager)
    ReturnCaseFactory.create_batch(2, assigned_caseworker=caseworker)
    few = queries_for(client, "/admin/returns/returncase/")
    ReturnCaseFactory.create_batch(28, assigned_caseworker=caseworker)
    with django_assert_max_num_queries(few):
        assert client.get("/admin/returns/returncase/").status_code == 200
