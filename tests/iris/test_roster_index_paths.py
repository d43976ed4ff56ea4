"""The roster's search follows a recruiter through every service that changes it (the admin
saves through them too), and through changes to the reference data; a model's `save()` or a
queryset's `update()` does no index work: the services are the only writers."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from iris.models import Recruiter, RecruiterCountry, RosterSpelling, RosterWord, Sector
from iris.recruiters.services import (
    accreditations_expire,
    recruiter_accredit,
    recruiter_create,
    recruiter_lift,
    recruiter_renew,
    recruiter_suspend,
    recruiter_update,
    recruiter_withdraw,
)

from .factories import RecruiterFactory, country, sector

URL = reverse("iris:roster")
pytestmark = pytest.mark.django_db


def finds(client, name: str, **params) -> bool:
    """Whether the public roster search lists the recruiter called `name`."""
    page = client.get(URL, params).content.decode()
    return name in page


@pytest.fixture
def recruiter():
    return RecruiterFactory(
        legal_name="Danube Staffing SRL", hq_country=country("RO"), sectors=[sector("care")]
    )


def test_a_rename_through_the_service_moves_the_search(client, recruiter):
    recruiter_update(recruiter=recruiter, legal_name="Carpathia Jobs SRL")
    assert finds(client, "Carpathia Jobs SRL", q="carpathia")
    assert not finds(client, "Carpathia Jobs SRL", q="danube")


def test_a_rename_in_the_admin_moves_the_search(client, officer_client, recruiter):
    change = reverse("admin:iris_recruiter_change", args=[recruiter.pk])
    form = officer_client.get(change).context["adminform"].form
    data = {
        **{name: form.initial.get(name) or "" for name in form.fields if name != "sectors"},
        "legal_name": "Carpathia Jobs SRL",
        "hq_country": "RO",
        "sectors": ["care"],
        "origin_countries": [],
        "destination_countries": [],
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    response = officer_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    client.logout()
    assert finds(client, "Carpathia Jobs SRL", q="carpathia")
    assert not finds(client, "Carpathia Jobs SRL", q="danube")


def test_a_rename_through_the_service_forgives_a_slip_in_the_new_name(client, recruiter):
    recruiter_update(recruiter=recruiter, legal_name="Carpathia Jobs SRL")
    assert finds(client, "Carpathia Jobs SRL", q="carpathai")


def test_no_model_save_or_queryset_update_does_index_work(client, recruiter):
    words = list(RosterWord.objects.values_list("word", flat=True).order_by("word"))
    recruiter.legal_name = "Carpathia Jobs SRL"
    recruiter.save()
    Recruiter.objects.filter(pk=recruiter.pk).update(
        trading_names="Olt Workforce", state="withdrawn"
    )
    RecruiterCountry.objects.create(recruiter=recruiter, country=country("PH"), kind="origin")
    recruiter.sectors.set([sector("agriculture")])
    assert list(RosterWord.objects.values_list("word", flat=True).order_by("word")) == words
    assert set(RosterWord.objects.values_list("sectors", flat=True)) == {" care "}


def test_a_new_trading_name_is_found_and_a_dropped_one_is_not(client, recruiter):
    recruiter_update(recruiter=recruiter, trading_names="Mureș Care")
    assert finds(client, "Danube Staffing SRL", q="mures care")
    recruiter_update(recruiter=recruiter, trading_names="Olt Workforce")
    assert finds(client, "Danube Staffing SRL", q="olt workforce")
    assert not finds(client, "Danube Staffing SRL", q="mures")


@pytest.mark.parametrize(
    ("decide", "listed"),
    [
        (lambda r: recruiter_suspend(recruiter=r, reason="Under review."), True),
        (lambda r: recruiter_withdraw(recruiter=r, reason="Audit failed."), False),
        (lambda r: recruiter_renew(recruiter=r, note="Audit passed."), True),
    ],
)
def test_each_decision_keeps_the_search(client, recruiter, decide, listed):
    decide(recruiter)
    assert finds(client, "Danube Staffing SRL", q="danube") is listed


def test_a_lifted_suspension_and_an_expiry_keep_the_search(client, recruiter):
    recruiter_suspend(recruiter=recruiter, reason="Under review.")
    recruiter_lift(recruiter=recruiter)
    assert finds(client, "Danube Staffing SRL", q="danube")
    lapsed = {"granted_on": date(2019, 1, 1), "valid_until": date(2020, 1, 1)}
    Recruiter.objects.filter(pk=recruiter.pk).update(**lapsed)
    assert accreditations_expire() == 1
    assert not RosterWord.objects.filter(recruiter=recruiter).exists()


def test_an_applicant_accredited_by_the_service_is_found(client):
    applicant = recruiter_create(legal_name="Vltava Care s.r.o.", hq_country=country("CZ"))
    assert not finds(client, "Vltava Care", q="vltava")
    recruiter_accredit(recruiter=applicant)
    assert finds(client, "Vltava Care", q="vltava", country="CZ")


def test_a_renamed_sector_still_filters_and_a_deleted_one_no_longer_does(client, recruiter):
    Sector.objects.filter(code="care").update(name="Care homes")
    assert finds(client, "Danube Staffing SRL", q="danube", sector="care")
    sector("care").delete()
    # A sector made again under the same code is a new one: the recruiter is not in it.
    Sector.objects.create(code="care", name="Care")
    assert finds(client, "Danube Staffing SRL", q="danube")
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="care")


def test_sectors_changed_by_the_service_filter_the_search(client, recruiter):
    recruiter_update(recruiter=recruiter, sectors=[sector("agriculture")])
    assert finds(client, "Danube Staffing SRL", q="danube", sector="agriculture")
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="care")
    recruiter_update(recruiter=recruiter, sectors=[])
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="agriculture")


def test_a_new_head_office_country_filters_the_search(client, recruiter):
    recruiter_update(recruiter=recruiter, hq_country=country("HU"))
    assert finds(client, "Danube Staffing SRL", q="danube", country="HU")
    assert not finds(client, "Danube Staffing SRL", q="danube", country="RO")


def test_countries_of_operation_changed_by_the_service_filter_the_search(client, recruiter):
    recruiter_update(recruiter=recruiter, destination_countries=[country("PH")])
    assert finds(client, "Danube Staffing SRL", q="danube", country="PH")
    recruiter_update(recruiter=recruiter, destination_countries=[country("CZ")])
    assert finds(client, "Danube Staffing SRL", q="danube", country="CZ")
    assert not finds(client, "Danube Staffing SRL", q="danube", country="PH")
    recruiter_update(recruiter=recruiter, destination_countries=[])
    assert not finds(client, "Danube Staffing SRL", q="danube", country="CZ")


def test_a_deleted_recruiter_is_not_found(client, recruiter):
    Recruiter.objects.filter(pk=recruiter.pk).delete()
    assert not finds(client, "Danube Staffing SRL", q="danube")


def test_rebuild_roster_index_rebuilds_everything_the_search_reads(client, recruiter):
    RosterWord.objects.all().delete()
    RosterSpelling.objects.all().delete()
    Recruiter.objects.filter(pk=recruiter.pk).update(search_name="")
    call_command("rebuild_roster_index", verbosity=0)
    assert Recruiter.objects.get(pk=recruiter.pk).search_name == "danube staffing srl"
    assert finds(client, "Danube Staffing SRL", q="danube", country="RO", sector="care")
    assert finds(client, "Danube Staffing SRL", q="danueb")  # a slip: the spellings are back
