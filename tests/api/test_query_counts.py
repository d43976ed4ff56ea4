"""What an answer costs the database, however rich the records: a partner's sync calls it often."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.models import Recruiter, RecruiterCountry
from iris.recruiters.api import RecruiterSerializer
from tests.iris.factories import RecruiterFactory, country, sector

URL = "/api/v1/recruiters/IRIS-A-000101/"


@pytest.fixture
def rich(world):
    """Thirty recruiters, each with countries of operation and sectors, last changed an hour
    ago."""
    for n in range(30):
        recruiter = RecruiterFactory(
            legal_name=f"Rich {n:02d} Ltd", sectors=[sector("care"), sector("agriculture")]
        )
        RecruiterCountry.objects.create(recruiter=recruiter, country=country("RO"), kind="origin")
        RecruiterCountry.objects.create(
            recruiter=recruiter, country=country("GB"), kind="destination"
        )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Recruiter.objects.update(updated_at=an_hour_ago)
    Recruiter.history.update(history_date=an_hour_ago)
    return world


def test_one_recruiter_costs_at_most_3_queries(api, rich, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get(URL)
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["places_in"]] == ["GB"]


@pytest.mark.parametrize("params", [{}, {"page_size": 30}, {"order": "name"}, {"country": "RO"}])
def test_a_page_of_the_list_costs_at_most_3_queries(
    api, rich, params, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/recruiters/", params)
    body = response.json()
    assert body["count"] >= 30
    assert all(r["sectors"] for r in body["results"][2:])
    assert response.has_header("Last-Modified")


def test_a_304_does_not_render_the_recruiter(api, rich, monkeypatch, django_assert_max_num_queries):
    etag = api.get(URL)["ETag"]

    def rendered(*args, **kwargs):
        raise AssertionError("the body was rendered to answer 304")

    monkeypatch.setattr(RecruiterSerializer, "to_representation", rendered)
    with django_assert_max_num_queries(1):
        response = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, no-cache"


def test_the_etag_follows_the_language(api, rich):
    english = api.get(URL)["ETag"]
    romanian = api.get(URL, HTTP_ACCEPT_LANGUAGE="ro")
    assert romanian["ETag"] != english
    assert api.get(URL, HTTP_ACCEPT_LANGUAGE="ro", HTTP_IF_NONE_MATCH=english).status_code == 200
