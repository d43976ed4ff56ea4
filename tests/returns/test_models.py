import pytest
from django.db import IntegrityError, transaction

from returns.models import ReturnCase
from returns.services import case_reference_next

from .factories import ReturnCaseFactory


def test_the_database_refuses_a_country_outside_the_four_on_update(db):
    case = ReturnCaseFactory(country="BG")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnCase.objects.filter(pk=case.pk).update(country="FR")
    case.refresh_from_db()
    assert case.country == "BG"


def test_the_database_refuses_a_country_outside_the_four_on_bulk_create(db):
    case = ReturnCaseFactory.build(country="PL", referred_by=ReturnCaseFactory().referred_by)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnCase.objects.bulk_create([case])
    assert not ReturnCase.objects.filter(country="PL").exists()


@pytest.mark.parametrize("country", ["BG", "CZ", "HU", "RO"])
def test_the_database_accepts_each_of_the_four_countries(db, country):
    case = ReturnCaseFactory(country=country)
    ReturnCase.objects.filter(pk=case.pk).update(country=country)
    assert ReturnCase.objects.get(pk=case.pk).country == country


def test_the_model_validation_names_the_country_problem(db):
    case = ReturnCaseFactory.build(country="FR", referred_by=ReturnCaseFactory().referred_by)
    with pytest.raises(Exception, match="country"):
        case.full_clean()


def test_the_database_refuses_a_case_without_consent_to_return(db):
    case = ReturnCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnCase.objects.filter(pk=case.pk).update(consent_to_return=False)


def test_the_database_refuses_an_unknown_stage(db):
    case = ReturnCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnCase.objects.filter(pk=case.pk).update(stage="lost")


def test_references_count_up_per_year_and_restart_in_a_new_year(db):
    assert case_reference_next(year=2026) == "RR-2026-0001"
    assert case_reference_next(year=2026) == "RR-2026-0002"
    assert case_reference_next(year=2027) == "RR-2027-0001"


def test_sensitive_free_text_is_encrypted_in_the_database(db):
    from django.db import connection

    case = ReturnCaseFactory(safeguarding_notes="Controller lives in Luton")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT safeguarding_notes, health_notes, safe_contact_details "
            "FROM returns_returncase WHERE id = %s",
            [case.pk],
        )
        row = cursor.fetchone()
    assert "Luton" not in row[0]
    assert "Secret" not in row[1]
    assert "07700" not in row[2]
    assert ReturnCase.objects.get(pk=case.pk).safeguarding_notes == "Controller lives in Luton"


def test_a_case_prints_as_its_reference_never_a_name(db):
    case = ReturnCaseFactory(full_name="Ana Secret")
    assert str(case) == case.reference
