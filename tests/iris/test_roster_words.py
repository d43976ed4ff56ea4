"""The roster's search follows every change to a recruiter, its countries and its sectors."""

import pytest
from django.urls import reverse

from iris.models import AccreditationState, RosterWord
from iris.recruiters.services import (
    accreditations_expire,
    recruiter_accredit,
    recruiter_create,
    recruiter_suspend,
    recruiter_update,
    recruiter_withdraw,
)

from .factories import RecruiterFactory, country, sector

URL = reverse("iris:roster")
pytestmark = pytest.mark.django_db


def found(client, **params) -> str:
    return client.get(URL, params).content.decode()


def test_an_applicant_is_found_once_accredited_and_not_before(client):
    recruiter = recruiter_create(legal_name="Dunărea Staffing SRL", hq_country=country("RO"))
    assert "0 recruiters found" in found(client, q="dunarea")
    recruiter_accredit(recruiter=recruiter)
    assert "Dunărea Staffing SRL" in found(client, q="dunarea")


def test_a_suspended_recruiter_is_still_found_and_a_withdrawn_one_is_not(client):
    recruiter = RecruiterFactory(legal_name="Tisza Harvest Kft.")
    recruiter_suspend(recruiter=recruiter, reason="Complaints under review.")
    assert "Suspended: do not rely on this accreditation." in found(client, q="tisza")
    recruiter_withdraw(recruiter=recruiter, reason="Audit failed.")
    assert "0 recruiters found" in found(client, q="tisza")


def test_a_renamed_recruiter_is_found_by_its_new_name_only(client):
    recruiter = RecruiterFactory(legal_name="Old Name Labour Ltd")
    recruiter_update(recruiter=recruiter, legal_name="Vltava Care s.r.o.")
    assert "Vltava Care s.r.o." in found(client, q="vltava care")
    assert "0 recruiters found" in found(client, q="old name labour")
    # A slip in the new name is forgiven too: its words are among the roster's spellings.
    assert "Vltava Care s.r.o." in found(client, q="vltvaa")


def test_a_lapsed_accreditation_leaves_the_search_on_its_date_and_its_words_once_expired(client):
    # Accredited until yesterday, and nothing has run since: its words carry the date.
    recruiter = RecruiterFactory(legal_name="Morava Workforce s.r.o.", lapsed=True)
    assert RosterWord.objects.filter(recruiter=recruiter).exists()
    assert "0 recruiters found" in found(client, q="morava")
    assert accreditations_expire() == 1
    assert not RosterWord.objects.filter(recruiter=recruiter).exists()


def test_a_deleted_recruiter_takes_its_words_with_it():
    recruiter = RecruiterFactory(legal_name="Gone Away Ltd")
    recruiter.delete()
    assert not RosterWord.objects.filter(word="gone").exists()


def test_countries_and_sectors_changed_in_the_admin_filter_a_search_at_once(client, officer_client):
    recruiter = RecruiterFactory(legal_name="Balaton Placements Kft.", hq_country=country("HU"))
    assert "0 recruiters found" in found(client, q="balaton", country="PH", sector="care")
    change = reverse("admin:iris_recruiter_change", args=[recruiter.pk])
    form = officer_client.get(change).context["adminform"].form
    data = {
        **{name: form.initial.get(name) or "" for name in form.fields if name != "sectors"},
        "hq_country": "HU",
        "sectors": ["care"],
        "origin_countries": [],
        "destination_countries": ["PH"],
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    response = officer_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert recruiter.operations.filter(country="PH").exists()
    assert "Balaton Placements Kft." in found(client, q="balaton", country="PH", sector="care")
    assert "0 recruiters found" in found(client, q="balaton", sector="agriculture")


def test_a_search_finds_each_word_at_the_start_of_a_name_word_in_any_order(client):
    RecruiterFactory(legal_name="Agencja Pracy Wrocław Sp. z o.o.")
    for q in ("wroclaw agencja", "wroc pracy", "sp z o o"):
        assert "Agencja Pracy Wrocław" in found(client, q=q), q
    # A word of one or two letters is a whole word, not the start of a longer one.
    assert "0 recruiters found" in found(client, q="wr")


def test_a_misspelt_word_is_forgiven_beside_the_words_typed_right_and_the_filters(client):
    RecruiterFactory(legal_name="Harvest Fields Labour Ltd", sectors=[sector("agriculture")])
    RecruiterFactory(legal_name="Harvest Fields Care Ltd", sectors=[sector("care")])
    page = found(client, q="harvest feilds", sector="agriculture")
    assert "Harvest Fields Labour" in page and "1 recruiter found" in page


@pytest.mark.parametrize("q", ["fa_r_____", "fa%", "f\\", "'; DROP TABLE iris_rosterword; --"])
def test_search_characters_with_a_meaning_in_sql_are_only_letters(client, q):
    # Read as a pattern, "fa_r_____" would start "fairweather".
    RecruiterFactory(legal_name="Fairweather Work Ltd")
    assert "0 recruiters found" in found(client, q=q)
    assert RosterWord.objects.filter(word="fairweather").exists()


def test_a_recruiter_in_no_state_for_the_roster_has_no_words(client):
    RecruiterFactory(legal_name="Waiting Applicant Ltd", applicant=True)
    RecruiterFactory(legal_name="Gone Recruiter Ltd", state=AccreditationState.WITHDRAWN)
    assert not RosterWord.objects.exists()


@pytest.mark.parametrize("q", ["agecja", "agenccja", "agenzja", "aegncja", "pracy wroclwa"])
def test_one_slip_in_a_word_is_forgiven_dropped_added_changed_or_swapped(client, q):
    RecruiterFactory(legal_name="Agencja Pracy Wrocław Sp. z o.o.")
    RecruiterFactory(legal_name="Agenda Staffing Ltd")  # two slips from "agencja"
    page = found(client, q=q)
    assert "Agencja Pracy Wrocław" in page and "1 recruiter found" in page
