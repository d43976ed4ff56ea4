"""A partner that keeps a copy revalidates with If-Modified-Since: whatever changes a
recruiter's answer must move Last-Modified, or the partner is told 304 and keeps old data."""

import pytest

from iris.recruiters import services
from tests.iris.factories import country, sector

URL = "/api/v1/recruiters/IRIS-A-000101/"


# Every change goes through a service (the only writers of a recruiter), or is a change to the
# reference data (a sector's or country's name, a sector deleted) the admin makes.
def _sectors_added(world):
    services.recruiter_update(recruiter=world["accredited"], sectors=[sector("care")])


def _sectors_cleared(world):
    services.recruiter_update(recruiter=world["accredited"], sectors=[])


def _sector_renamed(world):
    farming = sector("agriculture")
    farming.name = "Farming and fruit picking"
    farming.save()


def _sector_deleted(world):
    sector("agriculture").delete()


def _country_of_operation_added(world):
    services.recruiter_update(recruiter=world["accredited"], origin_countries=[country("RO")])


def _country_of_operation_removed(world):
    services.recruiter_update(recruiter=world["accredited"], destination_countries=[])


def _country_of_operation_changed(world):
    services.recruiter_update(recruiter=world["accredited"], destination_countries=[country("IE")])


def _suspended(world):
    services.recruiter_suspend(recruiter=world["accredited"], reason="Under review.")


def _withdrawn(world):
    services.recruiter_withdraw(recruiter=world["accredited"], reason="Audit failed.")


def _renewed(world):
    services.recruiter_renew(recruiter=world["accredited"], note="Audit passed.", months=24)


def _website_changed(world):
    services.recruiter_update(recruiter=world["accredited"], website="https://new.example.pl")


def _renamed(world):
    services.recruiter_update(recruiter=world["accredited"], legal_name="Agencja Nowa")


CHANGES = [
    _sectors_added,
    _sectors_cleared,
    _sector_renamed,
    _sector_deleted,
    _country_of_operation_added,
    _country_of_operation_removed,
    _country_of_operation_changed,
    _suspended,
    _withdrawn,
    _renewed,
    _website_changed,
    _renamed,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_change_to_a_recruiters_answer_moves_last_modified(api, settled, change):
    kept = api.get(URL)
    assert kept.status_code == 200
    assert kept.has_header("Last-Modified")

    change(settled)

    again = api.get(URL, HTTP_IF_MODIFIED_SINCE=kept["Last-Modified"])
    assert again.status_code == 200, "304: the partner would keep the old answer"
    assert again.json() != kept.json()


def test_if_none_match_wins_over_if_modified_since(api, settled):
    kept = api.get(URL)
    _sectors_added(settled)
    # A client sending an old ETag with a date still current must get the new answer.
    again = api.get(
        URL,
        HTTP_IF_NONE_MATCH=kept["ETag"],
        HTTP_IF_MODIFIED_SINCE="Fri, 31 Dec 2999 23:59:59 GMT",
    )
    assert again.status_code == 200
    assert "care" in {s["code"] for s in again.json()["sectors"]}
