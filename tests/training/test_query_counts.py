"""The training list pages cost the same number of queries for a few rows or many."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iomuk import roles
from iomuk.models import User

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def sessions_with_bookings(count: int) -> None:
    for _ in range(count):
        BookingFactory.create_batch(2, session=SessionFactory())


@pytest.fixture
def coordinator_client(client):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(user)
    return client


def test_the_public_session_list_costs_the_same_queries_for_2_or_30_sessions(
    client, django_assert_max_num_queries
):
    sessions_with_bookings(2)
    few = queries_for(client, "/training/")
    sessions_with_bookings(28)
    with django_assert_max_num_queries(few):
        assert client.get("/training/").status_code == 200


@pytest.mark.parametrize("url", ["/admin/training/session/", "/admin/training/booking/"])
def test_the_admin_lists_cost_the_same_queries_for_2_or_30_sessions(
    coordinator_client, url, django_assert_max_num_queries
):
    sessions_with_bookings(2)
    few = queries_for(coordinator_client, url)
    sessions_with_bookings(28)
    with django_assert_max_num_queries(few):
        assert coordinator_client.get(url).status_code == 200
