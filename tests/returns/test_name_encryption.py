"""The person's name and date of birth are encrypted at rest, yet a caseworker still finds a
case by typing whole words of the name: a blind index of keyed hashes, one per word."""

from datetime import date

import pytest
from django.db import connection

from returns.admin import ReturnCaseAdmin
from returns.models import ReturnCase

from .factories import ReturnCaseFactory

pytestmark = pytest.mark.django_db

TABLES = ["returns_returncase", "returns_historicalreturncase"]


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        dump = []
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


@pytest.fixture
def signed_in(client, casemanager):
    client.force_login(casemanager)
    return client


def _found(response, case: ReturnCase) -> bool:
    assert response.status_code == 200
    return case.reference in response.content.decode()


def test_a_database_copy_holds_neither_the_name_nor_the_date_of_birth(casemanager):
    case = ReturnCaseFactory(full_name="Ileana Ștefănescu", date_of_birth=date(1987, 11, 23))
    case.risk = "high"
    case.save()  # a second history row
    assert case.history.count() == 2
    raw = _raw_rows()
    for secret in ("Ileana", "Ștefănescu", "Stefanescu", "1987-11-23", "19871123"):
        assert secret not in raw
    case = ReturnCase.objects.get(pk=case.pk)
    assert (case.full_name, case.date_of_birth) == ("Ileana Ștefănescu", date(1987, 11, 23))
    assert {(h.full_name, h.date_of_birth) for h in case.history.all()} == {
        ("Ileana Ștefănescu", date(1987, 11, 23))
    }


@pytest.mark.parametrize(
    "q", ["Ileana", "ștefănescu", "STEFANESCU", "Stefanescu Ileana", "  ileana   ȘTEFĂNESCU "]
)
def test_a_caseworker_finds_the_case_by_whole_words_of_the_name(signed_in, q):
    case = ReturnCaseFactory(full_name="Ileana Ștefănescu", preferred_name="")
    other = ReturnCaseFactory(full_name="Ileana Popescu", preferred_name="")
    response = signed_in.post("/returns/cases/", {"q": q}, follow=True)
    assert _found(response, case)
    assert _found(response, other) is (q.strip().lower() == "ileana")


@pytest.mark.parametrize("q", ["Ilea", "Stef", "Ileana Popescu"])
def test_a_part_of_a_word_or_another_word_finds_nothing(signed_in, q):
    case = ReturnCaseFactory(full_name="Ileana Ștefănescu", preferred_name="")
    assert not _found(signed_in.post("/returns/cases/", {"q": q}, follow=True), case)


def test_the_search_box_says_that_only_whole_words_match(signed_in):
    html = signed_in.get("/returns/cases/").content.decode()
    assert "whole words" in html


def test_the_admin_search_finds_the_case_by_a_word_of_the_name(signed_in):
    case = ReturnCaseFactory(full_name="Ileana Ștefănescu", preferred_name="")
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    html = signed_in.post(
        "/admin/returns/returncase/", {"q": "stefanescu"}, follow=True
    ).content.decode()
    assert case.reference in html and "1 result" in html


def test_the_index_follows_every_change_of_the_name():
    from returns.selectors import cases_named

    case = ReturnCaseFactory(full_name="Ileana Ștefănescu")
    case.full_name = "Ileana Marin"
    case.save()
    assert list(cases_named(ReturnCase.objects.all(), "marin")) == [case]
    assert not cases_named(ReturnCase.objects.all(), "stefanescu").exists()
    # Restoring an older version from the history recomputes it as well.
    case.history.earliest().instance.save()
    assert list(cases_named(ReturnCase.objects.all(), "stefanescu")) == [case]
    assert not cases_named(ReturnCase.objects.all(), "marin").exists()


def test_the_index_is_not_kept_in_the_history():
    case = ReturnCaseFactory(full_name="Ileana Ștefănescu")
    assert not hasattr(case.history.get(), "name_index")


def test_nothing_filters_sorts_or_searches_by_the_encrypted_fields_in_sql():
    admin = ReturnCaseAdmin
    options = (admin.search_fields, admin.list_filter, admin.ordering or [], admin.list_display)
    for option in options:
        assert not {"full_name", "date_of_birth"} & {str(name).lstrip("-^=@") for name in option}
    assert "full_name" not in ReturnCase._meta.ordering
