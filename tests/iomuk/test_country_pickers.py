"""The complaint and join forms offer every country (ISO 3166), named in the reader's language,
and what was stored before still reads the same."""

import re

import pytest
from django.conf import settings

from iris.models import Complaint, Country


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, flags=re.S).group(0)
    return dict(re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', select))


def page(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "malaysia", "kuwait"),
    [("en-gb", "Malaysia", "Kuwait"), ("cs", "Malajsie", "Kuvajt"), ("ro", "Malaezia", "Kuweit")],
)
def test_the_complaint_form_offers_every_country_in_the_readers_language(
    client, language, malaysia, kuwait
):
    html = page(client, "/iris/complaints/new/", language)
    for field in ("recruitment_country", "destination_country"):
        offered = options(html, field)
        assert len(offered) >= 249
        assert offered["MY"] == malaysia and offered["KW"] == kuwait
        assert {"OM", "TH", "GB", "RO"} <= offered.keys()


@pytest.mark.django_db
def test_the_join_form_offers_every_country_for_the_head_office(client):
    offered = options(page(client, "/iris/join/", "hu"), "hq_country")
    assert len(offered) >= 249
    assert offered["TH"] == "Thaiföld"


@pytest.mark.django_db
def test_a_country_stored_before_keeps_its_code_and_reads_in_the_readers_language():
    from django.utils import translation

    from tests.iris.factories import ComplaintFactory

    complaint = ComplaintFactory(recruitment_country=Country.objects.get(code="RO"))
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.recruitment_country_id == "RO"
    with translation.override("bg"):
        assert str(complaint.recruitment_country) == "Румъния"
