"""The roster's search follows a recruiter however it is changed: through a service, the admin,
a model's `save()`, a queryset's `update()`, or a change to its sectors and countries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from iris.models import Recruiter, RecruiterCountry, RosterSpelling, RosterWord, Sector
from iris.recruiters.services import recruiter_update

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
        "operations-TOTAL_FORMS": "0",
        "operations-INITIAL_FORMS": "0",
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    response = officer_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    client.logout()
    assert finds(client, "Carpathia Jobs SRL", q="carpathia")
    assert not finds(client, "Carpathia Jobs SRL", q="danube")


def test_a_rename_saved_on_the_model_moves_the_search(client, recruiter):
    recruiter.legal_name = "Carpathia Jobs SRL"
    recruiter.save()
    assert finds(client, "Carpathia Jobs SRL", q="carpathia")
    assert finds(client, "Carpathia Jobs SRL", q="carpathai")  # a slip in the new name
    assert not finds(client, "Carpathia Jobs SRL", q="danube")


def test_a_rename_by_a_queryset_update_moves_the_search(client, recruiter):
    Recruiter.objects.filter(pk=recruiter.pk).update(legal_name="Carpathia Jobs SRL")
    assert finds(client, "Carpathia Jobs SRL", q="carpathia")
    assert not finds(client, "Carpathia Jobs SRL", q="danube")


def test_a_new_trading_name_is_found_and_a_dropped_one_is_not(client, recruiter):
    recruiter.trading_names = "Mureș Care"
    recruiter.save()
    assert finds(client, "Danube Staffing SRL", q="mures care")
    Recruiter.objects.filter(pk=recruiter.pk).update(trading_names="Olt Workforce")
    assert finds(client, "Danube Staffing SRL", q="olt workforce")
    assert not finds(client, "Danube Staffing SRL", q="mures")


def test_leaving_the_roster_by_a_queryset_update_leaves_the_search(client, recruiter):
    Recruiter.objects.filter(pk=recruiter.pk).update(state="withdrawn")
    assert not finds(client, "Danube Staffing SRL", q="danube")


def test_a_renamed_sector_still_filters_and_a_deleted_one_no_longer_does(client, recruiter):
    Sector.objects.filter(code="care").update(name="Care homes")
    assert finds(client, "Danube Staffing SRL", q="danube", sector="care")
    sector("care").delete()
    # A sector made again under the same code is a new one: the recruiter is not in it.
    Sector.objects.create(code="care", name="Care")
    assert finds(client, "Danube Staffing SRL", q="danube")
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="care")


def test_sectors_changed_on_the_model_filter_the_search(client, recruiter):
    recruiter.sectors.set([sector("agriculture")])
    assert finds(client, "Danube Staffing SRL", q="danube", sector="agriculture")
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="care")
    recruiter.sectors.clear()
    assert not finds(client, "Danube Staffing SRL", q="danube", sector="agriculture")


def test_a_new_head_office_country_filters_the_search(client, recruiter):
    recruiter.hq_country = country("HU")
    recruiter.save()
    assert finds(client, "Danube Staffing SRL", q="danube", country="HU")
    assert not finds(client, "Danube Staffing SRL", q="danube", country="RO")
    Recruiter.objects.filter(pk=recruiter.pk).update(hq_country=country("BG"))
    assert finds(client, "Danube Staffing SRL", q="danube", country="BG")
    assert not finds(client, "Danube Staffing SRL", q="danube", country="HU")


def test_countries_of_operation_changed_on_the_model_filter_the_search(client, recruiter):
    operation = RecruiterCountry.objects.create(
        recruiter=recruiter, country=country("PH"), kind="destination"
    )
    assert finds(client, "Danube Staffing SRL", q="danube", country="PH")
    RecruiterCountry.objects.filter(pk=operation.pk).update(country=country("CZ"))
    assert finds(client, "Danube Staffing SRL", q="danube", country="CZ")
    assert not finds(client, "Danube Staffing SRL", q="danube", country="PH")
    operation.delete()
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
