import pytest
from django.urls import reverse

from iris.models import AccreditationState

from .factories import RecruiterFactory, country, sector

URL = reverse("iris:roster")


@pytest.fixture
def world(db):
    return {
        "accredited": RecruiterFactory(legal_name="Agencja Pracy Wrocław Sp. z o.o."),
        "suspended": RecruiterFactory(
            legal_name="Munkaerő Kft.", state=AccreditationState.SUSPENDED
        ),
        "applicant": RecruiterFactory(legal_name="Applicant Hopefuls Ltd", applicant=True),
        "withdrawn": RecruiterFactory(
            legal_name="Withdrawn Workers Ltd", state=AccreditationState.WITHDRAWN
        ),
        "expired": RecruiterFactory(legal_name="Lapsed Labour Ltd", lapsed=True),
    }


def test_it_lists_accredited_and_suspended_recruiters_only(client, world):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Agencja Pracy Wrocław" in page
    assert "Munkaerő Kft." in page
    assert "Applicant Hopefuls" not in page
    assert "Withdrawn Workers" not in page
    assert "2 recruiters found" in page


def test_it_hides_an_accreditation_past_its_date_without_any_job_running(client, world):
    # Stored as accredited, but valid_until was yesterday: the roster leaves it out.
    assert world["expired"].state == AccreditationState.ACCREDITED
    assert "Lapsed Labour" not in client.get(URL).content.decode()
    assert "Lapsed Labour" not in client.get(URL, {"q": "lapsed"}).content.decode()


def test_it_never_shows_an_applicant_or_withdrawn_recruiter_even_when_searched(client, world):
    for q in ("applicant hopefuls", "withdrawn workers"):
        page = client.get(URL, {"q": q}).content.decode()
        assert "0 recruiters found" in page


def test_it_marks_a_suspended_recruiter_clearly(client, world):
    page = client.get(URL, {"q": "munkaero"}).content.decode()
    assert "Suspended: do not rely on this accreditation." in page


@pytest.mark.parametrize(
    "q", ["Wroclaw", "wrocław", "agencja", "AGENCJA PRACY", "Wroclaq", "Agencka", "pracy wroclaw"]
)
def test_search_forgives_case_accents_and_small_typos(client, world, q):
    page = client.get(URL, {"q": q}).content.decode()
    assert "Agencja Pracy Wrocław" in page
    assert "1 recruiter found" in page


def test_a_name_found_as_typed_is_not_buried_among_near_misses(client, db):
    RecruiterFactory(legal_name="Harvest Fields Labour Ltd")
    RecruiterFactory(legal_name="Harvest Fiends Labour Ltd")
    page = client.get(URL, {"q": "harvest fields"}).content.decode()
    assert "Harvest Fields Labour" in page and "Harvest Fiends" not in page
    assert "1 recruiter found" in page


def test_search_finds_a_trading_name(client, db):
    RecruiterFactory(legal_name="Agenția de Recrutare Brașov SRL", trading_names="Brasov Staffing")
    page = client.get(URL, {"q": "brasov staffing"}).content.decode()
    assert "Agenția de Recrutare Brașov SRL" in page


def test_search_for_a_stranger_finds_nothing_and_says_so(client, world):
    page = client.get(URL, {"q": "Completely Unknown Outfit"}).content.decode()
    assert "0 recruiters found" in page
    assert "No recruiter on this list matches your search." in page
    assert "A recruiter that is not on our list may still be accredited by IRIS." in page


def test_it_filters_by_country_and_sector(client, db):
    care = RecruiterFactory(legal_name="Manila Care Placements", hq_country=country("PH"))
    care.sectors.set([sector("care")])
    farm = RecruiterFactory(legal_name="Harvest Fields Labour", hq_country=country("GB"))
    farm.sectors.set([sector("agriculture")])
    farm.operations.create(country=country("UZ"), kind="origin")
    page = client.get(URL, {"sector": "care"}).content.decode()
    assert "Manila Care" in page and "Harvest Fields" not in page
    page = client.get(URL, {"country": "UZ"}).content.decode()
    assert "Harvest Fields" in page and "Manila Care" not in page
    page = client.get(URL, {"country": "PH", "sector": "agriculture"}).content.decode()
    assert "0 recruiters found" in page


def test_it_pages_results_with_a_count(client, db, settings):
    settings.IRIS_ROSTER_PAGE_SIZE = 5
    for i in range(12):
        RecruiterFactory(legal_name=f"Paged Recruiter {i:02d}")
    page1 = client.get(URL).content.decode()
    assert "12 recruiters found" in page1
    assert "Page 1 of 3" in page1
    page3 = client.get(URL, {"page": 3}).content.decode()
    assert "Paged Recruiter 11" in page3 and "Paged Recruiter 00" not in page3


def test_past_its_most_it_lists_the_first_and_asks_for_a_narrower_search(client, db, settings):
    settings.IRIS_ROSTER_PAGE_SIZE = 5
    settings.IRIS_ROSTER_MOST_LISTED = 10
    for i in range(12):
        RecruiterFactory(legal_name=f"Paged Recruiter {i:02d}")

    page1 = client.get(URL).content.decode()
    assert "More than 10 recruiters found. Search by name" in page1
    assert "Page 1 of 2" in page1
    last = client.get(URL, {"page": 3}).content.decode()  # past the end: the last page
    assert "Paged Recruiter 09" in last and "Paged Recruiter 10" not in last
    # A narrower search is counted in full again.
    assert "1 recruiter found" in client.get(URL, {"q": "Paged Recruiter 11"}).content.decode()


def test_at_its_most_it_counts_them_all(client, db, settings):
    settings.IRIS_ROSTER_MOST_LISTED = 12
    for i in range(12):
        RecruiterFactory(legal_name=f"Paged Recruiter {i:02d}")
    assert "12 recruiters found" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "99999"}, {"country": "XX"}, {"sector": "<b>"}, {"q": "x" * 5000}],
)
def test_it_answers_bad_filters_without_an_error(client, world, params):
    assert client.get(URL, params).status_code == 200


def test_the_roster_uses_a_bounded_number_of_queries(client, db, django_assert_max_num_queries):
    for i in range(25):
        r = RecruiterFactory(legal_name=f"Busy Recruiter {i}")
        r.sectors.set([sector("care"), sector("logistics")])
        r.operations.create(country=country("RO"), kind="origin")
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "busy"})
    assert response.status_code == 200


def test_script_in_a_name_is_shown_as_text(client, db):
    RecruiterFactory(legal_name="<script>alert(1)</script> Ltd")
    page = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in page


@pytest.mark.parametrize(
    "q", ["IRIS-A-000123", "iris a 000123", "IRISA000123", "000123", "IRIS–A–000123"]
)
def test_searching_for_an_accreditation_number_goes_straight_to_that_recruiter(client, db, q):
    recruiter = RecruiterFactory(
        legal_name="Nordic Care Staffing AB", accreditation_number="IRIS-A-000123"
    )
    response = client.get(URL, {"q": q}, follow=True)
    assert response.redirect_chain == [(reverse("iris:recruiter", args=[recruiter.slug]), 302)]
    assert "Nordic Care Staffing AB" in response.content.decode()


def test_a_number_nobody_holds_is_searched_like_any_other_text(client, db):
    RecruiterFactory(legal_name="Nordic Care Staffing AB")
    response = client.get(URL, {"q": "IRIS-A-999999"})
    assert response.status_code == 200
    assert "0 recruiters found" in response.content.decode()
