import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from iris.models import AccreditationState, Recruiter
from iris.recruiters.models import normalise_name
from iris.recruiters.selectors import roster_matches
from iris.recruiters.services import (
    RecruiterError,
    accreditations_expire,
    recruiter_accredit,
    recruiter_create,
    recruiter_suspend,
    recruiter_update,
)
from iris.tasks import expire_accreditations

from .factories import RecruiterFactory, country


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Agencja Pracy Wrocław Sp. z o.o.", "agencja pracy wroclaw sp z o o"),
        ("Munkaerő Kft.", "munkaero kft"),
        ("Agenția de Recrutare Brașov SRL", "agentia de recrutare brasov srl"),
        ("  ŁÓDŹ -- Staffing!! ", "lodz staffing"),
    ],
)
def test_names_are_normalised_for_search(name, expected):
    assert normalise_name(name) == expected


def test_the_search_text_follows_every_change_of_name(db):
    recruiter = recruiter_create(legal_name="Munkaerő Kft.", hq_country=country("HU"))
    assert recruiter.slug == "munkaero-kft"
    assert recruiter.search_name == "munkaero kft"
    recruiter_update(recruiter=recruiter, trading_names="Budapest Jobs\nBJ Staffing")
    recruiter.refresh_from_db()
    assert recruiter.search_name == "munkaero kft budapest jobs bj staffing"


def test_slugs_stay_unique(db):
    first = recruiter_create(legal_name="Same Name Ltd", hq_country=country("GB"))
    second = recruiter_create(legal_name="Same Name Ltd", hq_country=country("GB"))
    assert (first.slug, second.slug) == ("same-name-ltd", "same-name-ltd-2")


def test_granting_accreditation_gives_a_number_and_dates(db):
    recruiter = recruiter_create(legal_name="New Member Ltd", hq_country=country("GB"))
    recruiter_accredit(recruiter=recruiter)
    assert recruiter.accreditation_number == f"IRIS-A-{recruiter.pk:06d}"
    assert recruiter.valid_until > recruiter.granted_on
    assert recruiter.is_valid_today


def test_an_accredited_recruiter_needs_a_number_and_dates_in_the_database(db):
    with pytest.raises(IntegrityError):
        Recruiter.objects.create(
            legal_name="No Dates", slug="no-dates", hq_country=country("GB"), state="accredited"
        )


def test_accreditation_numbers_are_unique(db):
    RecruiterFactory(accreditation_number="IRIS-A-000001")
    with pytest.raises(IntegrityError):
        RecruiterFactory(accreditation_number="IRIS-A-000001")


def test_only_a_current_accreditation_can_be_suspended(db):
    with pytest.raises(RecruiterError):
        recruiter_suspend(recruiter=RecruiterFactory(lapsed=True), reason="Under review.")
    with pytest.raises(RecruiterError):
        recruiter_suspend(recruiter=RecruiterFactory(applicant=True), reason="Under review.")


def test_expiry_is_computed_and_the_nightly_task_stores_it(db):
    lapsed = RecruiterFactory(lapsed=True)
    current = RecruiterFactory()
    assert lapsed.effective_state == AccreditationState.EXPIRED
    states = dict(Recruiter.objects.with_current_state().values_list("pk", "current_state"))
    assert states == {lapsed.pk: "expired", current.pk: "accredited"}
    assert expire_accreditations.delay().get() == 1
    lapsed.refresh_from_db()
    current.refresh_from_db()
    assert (lapsed.state, current.state) == ("expired", "accredited")
    assert accreditations_expire() == 0


def test_generate_recruiters_adds_n_searchable_recruiters(db):
    call_command("generate_recruiters", "1200")
    assert Recruiter.objects.filter(slug__startswith="synthetic-").count() == 1200
    one = Recruiter.objects.filter(slug="synthetic-7").get()
    assert one.search_name == normalise_name(one.legal_name)
    assert one.sectors.count() == 1 and one.operations.count() >= 1
    call_command("generate_recruiters", "10")  # again: new slugs, no clash
    assert Recruiter.objects.filter(slug__startswith="synthetic-").count() == 1210
    listed = Recruiter.objects.on_roster().filter(slug__startswith="synthetic-").first()
    assert listed.pk in roster_matches(q=listed.legal_name, most=1000)


def test_generate_recruiters_names_are_varied_like_a_real_roster(db):
    # A name search at scale is only a fair test if names do not share every word.
    call_command("generate_recruiters", "1000")
    first_words = {
        name.split()[0] for name in Recruiter.objects.values_list("legal_name", flat=True)
    }
    assert len(first_words) > 900


def test_generate_recruiters_refuses_a_silly_count(db):
    with pytest.raises(CommandError):
        call_command("generate_recruiters", "0")


def test_postgresql_answers_a_search_from_the_roster_word_index(as_database_owner):
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's query plans")
    call_command("generate_recruiters", "3000")
    with connection.cursor() as cursor:
        # ANALYZE is the owner's: the runtime role's is skipped, and leaves the planner blind.
        cursor.execute("ANALYZE iris_rosterword")
        cursor.execute("ANALYZE iris_rosterspelling")
        # A test table is small: forbid the full scan a planner would pick for so few rows.
        cursor.execute("SET enable_seqscan = off")
        for q, index in (
            ("trabajo", "iris_rosterword_search"),  # a broad word, in name order
            ("trbajo", "iris_rosterspelling_once"),  # misspelt: the words one slip away
        ):
            with CaptureQueriesContext(connection) as queries:
                roster_matches(q=q, country="GB", sector="care", most=1000)
            plans = []
            for query in queries.captured_queries:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
            assert any(index in plan for plan in plans), plans
            # No search reads the recruiters' own rows.
            assert not any(" on iris_recruiter " in plan for plan in plans), plans
