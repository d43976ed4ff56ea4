from datetime import timedelta

import pytest
from django.utils import timezone

from iomuk import roles
from returns.models import PlanStatus, ReturnCase, Stage

from .factories import ReturnCaseFactory, ReturnPlanItemFactory, UserFactory


@pytest.fixture
def signed_in(client, casemanager):
    client.force_login(casemanager)
    return client


def _names(response) -> set[str]:
    html = response.content.decode()
    return {c.full_name for c in ReturnCase.objects.all() if c.full_name in html}


@pytest.fixture
def varied(caseworker):
    return [
        ReturnCaseFactory(full_name="Bogdan Bulgarian", country="BG", risk="high"),
        ReturnCaseFactory(
            full_name="Hana Czech", country="CZ", stage="approved", assigned_caseworker=caseworker
        ),
        ReturnCaseFactory(full_name="Hedi Hungarian", country="HU", risk="low"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "BG"}, {"Bogdan Bulgarian"}),
        ({"stage": "approved"}, {"Hana Czech"}),
        ({"risk": "low"}, {"Hedi Hungarian"}),
        ({"caseworker": "none"}, {"Bogdan Bulgarian", "Hedi Hungarian"}),
        ({"q": "hana"}, {"Hana Czech"}),
        ({"q": "czech HANA"}, {"Hana Czech"}),
        ({"q": "H"}, set()),  # the name is found by whole words only
        ({}, {"Bogdan Bulgarian", "Hana Czech", "Hedi Hungarian"}),
    ],
)
def test_filters_and_search_narrow_the_list(signed_in, varied, query, expected):
    # As the form sends them: by POST, then to the list by the 303.
    assert _names(signed_in.post("/returns/cases/", query, follow=True)) == expected


def test_the_caseworker_filter_finds_a_persons_cases(signed_in, varied, caseworker):
    response = signed_in.get("/returns/cases/", {"caseworker": caseworker.pk})
    assert _names(response) == {"Hana Czech"}


def test_search_by_reference_finds_the_one_case(signed_in, varied):
    response = signed_in.post("/returns/cases/", {"q": varied[2].reference.lower()}, follow=True)
    assert _names(response) == {"Hedi Hungarian"}


@pytest.mark.parametrize(
    "query",
    [
        {"country": "FR"},
        {"stage": "lost"},
        {"caseworker": "abc"},
        {"caseworker": "99999"},
        {"overdue": "yes"},
        {"overdue": "2"},
        {"overdue": "x" * 500},
        {"page": "999"},
        {"page": "x"},
        {"q": "x" * 500},
        {"q": "'; DROP TABLE returns_returncase; --"},
    ],
)
def test_hostile_filters_get_a_page_not_a_500(signed_in, varied, query):
    response = signed_in.get("/returns/cases/", query)
    assert response.status_code == 200
    sent = signed_in.post("/returns/cases/", query, follow=True)
    assert sent.status_code in (200, 400)
    assert ReturnCase.objects.count() == 3


def test_the_list_is_paginated(signed_in):
    ReturnCaseFactory.create_batch(30)
    first = signed_in.get("/returns/cases/").content.decode()
    second = signed_in.get("/returns/cases/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "30 cases" in first
    assert first.count('href="/returns/cases/RR-') == 25
    assert second.count('href="/returns/cases/RR-') == 5


def test_filters_are_kept_across_pages(signed_in):
    ReturnCaseFactory.create_batch(27, country="HU")
    html = signed_in.get("/returns/cases/", {"country": "HU"}).content.decode()
    assert "?country=HU&amp;page=2" in html


def test_the_list_takes_a_bounded_number_of_queries(
    signed_in, caseworker, django_assert_max_num_queries
):
    ReturnCaseFactory.create_batch(25, assigned_caseworker=caseworker)
    # Session, user, permissions (2), caseworker choices, count, page, access log, session save,
    # and whether the demo world is loaded (the banner).
    with django_assert_max_num_queries(13):
        response = signed_in.get("/returns/cases/")
    assert response.status_code == 200


def test_the_case_page_takes_a_bounded_number_of_queries(
    signed_in, caseworker, django_assert_max_num_queries
):
    from .factories import CaseNoteFactory, CaseTransitionFactory, ReturnPlanItemFactory

    case = ReturnCaseFactory(assigned_caseworker=caseworker)
    for service in ("flight", "shelter", "medical", "psychosocial"):
        ReturnPlanItemFactory(case=case, service=service)
    CaseTransitionFactory.create_batch(5, case=case)
    CaseNoteFactory.create_batch(5, case=case, author=caseworker)
    with django_assert_max_num_queries(25):
        response = signed_in.get(f"/returns/cases/{case.reference}/")
    assert response.status_code == 200


@pytest.fixture
def plans(caseworker):
    """Cases with plan items overdue or not, mine, a colleague's and the intake queue's."""
    colleague = UserFactory(username="cw2", role=roles.CASEWORKERS)
    yesterday = timezone.localdate() - timedelta(days=1)

    def case(name, *, due=yesterday, status=PlanStatus.TO_DO, **extra):
        made = ReturnCaseFactory(full_name=name, stage=extra.pop("stage", Stage.APPROVED), **extra)
        ReturnPlanItemFactory(case=made, service="flight", due_date=due, status=status)
        ReturnPlanItemFactory(case=made, service="shelter", due_date=None)
        return made

    case("Olga Overdue", assigned_caseworker=caseworker)
    case("Ivan Inprogress", status=PlanStatus.IN_PROGRESS)
    case("Colin Colleague", assigned_caseworker=colleague)
    case("Dora Done", status=PlanStatus.DONE, assigned_caseworker=caseworker)
    case("Tess Today", due=timezone.localdate())
    case("Nora Nodate", due=None)
    case("Carl Closed", stage=Stage.CLOSED)
    ReturnCaseFactory(full_name="Pat Planless")


def test_the_overdue_filter_finds_open_cases_with_an_item_past_due_and_not_done(signed_in, plans):
    response = signed_in.get("/returns/cases/", {"overdue": "1"})
    assert _names(response) == {"Olga Overdue", "Ivan Inprogress", "Colin Colleague"}
    assert "3 cases" in response.content.decode()


def test_the_overdue_filter_never_shows_a_caseworker_cases_they_may_not_see(
    client, caseworker, plans
):
    client.force_login(caseworker)
    response = client.get("/returns/cases/", {"overdue": "1"})
    assert _names(response) == {"Olga Overdue", "Ivan Inprogress"}


def test_the_overdue_filter_combines_with_the_others(signed_in, plans, caseworker):
    response = signed_in.get("/returns/cases/", {"overdue": "1", "caseworker": caseworker.pk})
    assert _names(response) == {"Olga Overdue"}


def test_the_overdue_filter_is_offered_in_the_form(signed_in, plans):
    html = signed_in.get("/returns/cases/").content.decode()
    assert 'name="overdue"' in html and "An item overdue" in html


def test_a_bad_overdue_value_is_named_not_ignored(signed_in, plans):
    response = signed_in.get("/returns/cases/", {"overdue": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Return plan" in html
    assert _names(response) == set()


def test_an_administrator_outside_the_roles_can_filter_on_their_own_cases(client, db):
    admin = UserFactory(username="root", is_superuser=True)
    ReturnCaseFactory(full_name="Ada Admins", assigned_caseworker=admin)
    ReturnCaseFactory(full_name="Quinn Queue")
    client.force_login(admin)
    response = client.get("/returns/cases/", {"caseworker": admin.pk})
    assert "There is a problem" not in response.content.decode()
    assert _names(response) == {"Ada Admins"}
