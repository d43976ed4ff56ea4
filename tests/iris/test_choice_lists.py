"""The roster's country and sector lists: the same for every visitor, so read once per language
and kept (iris/recruiters/choices.py), yet right in every language and up to date once a change
commits."""

import importlib
import re
import unicodedata
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from iris.models import Country, Sector

from .factories import RecruiterFactory, country, sector

URL = reverse("iris:roster")
REFERENCE_DATA = importlib.import_module("iris.migrations.0002_reference_data_and_roles")


@pytest.fixture
def committed_lists(transactional_db):
    # Lists are kept only when read outside a transaction, so these tests commit for real;
    # the tables are emptied after each such test, the data migration's countries and
    # sectors too, so they are put back first.
    REFERENCE_DATA.add_reference_data(django_apps, None)


LANGUAGES = ["en", "bg", "cs", "hu", "ro"]


def offered(page: str, name: str) -> list[tuple[str, str, bool]]:
    """The options of one <select> as a visitor's browser reads them: value, label, chosen."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [
        (value, unescape(label), bool(chosen))
        for value, chosen, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def accents_aside(name: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ).casefold()


def roster(client, language: str, **params) -> str:
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_roster_offers_every_country_and_sector_in_the_readers_language(client, db, language):
    page = roster(client, language, country="RO", sector="care")
    with translation.override(language):
        countries = sorted(
            ((c.code, str(c)) for c in Country.objects.all()),
            key=lambda choice: accents_aside(choice[1]),
        )
        sectors = [(s.code, str(s)) for s in Sector.objects.order_by("position", "name")]
        any_country = str(translation.gettext("Any country"))
        any_sector = str(translation.gettext("Any sector"))
    assert offered(page, "country") == [("", any_country, False)] + [
        (code, name, code == "RO") for code, name in countries
    ]
    assert offered(page, "sector") == [("", any_sector, False)] + [
        (code, name, code == "care") for code, name in sectors
    ]
    if language == "ro":
        assert ("RO", "România", True) in offered(page, "country")


def test_a_search_with_no_filter_chooses_any_country_and_any_sector(client, db):
    page = roster(client, "en", q="care")
    assert offered(page, "country")[0] == ("", "Any country", True)
    assert offered(page, "sector")[0] == ("", "Any sector", True)


def test_the_lists_are_read_once_per_language_not_for_each_visitor(client, committed_lists):
    roster(client, "hu")
    with CaptureQueriesContext(connection) as queries:
        page = roster(client, "hu", q="care")
    read = [q["sql"] for q in queries if "iris_country" in q["sql"] or "iris_sector" in q["sql"]]
    assert read == []
    assert ("RO", "Románia", False) in offered(page, "country")  # still in the reader's language
    assert ("RO", "România", False) in offered(roster(client, "ro"), "country")


def test_a_sector_added_renamed_or_removed_shows_at_once(client, committed_lists):
    roster(client, "en")  # the lists are now kept
    Sector.objects.create(code="test-sector", name="Test sector", position=99)
    assert ("test-sector", "Test sector", False) in offered(roster(client, "en"), "sector")
    sector = Sector.objects.get(code="test-sector")
    sector.name = "Test sector, renamed"
    sector.save()
    assert ("test-sector", "Test sector, renamed", False) in offered(roster(client, "en"), "sector")
    sector.delete()
    assert "test-sector" not in [value for value, _, _ in offered(roster(client, "en"), "sector")]


def test_a_cache_that_is_down_fails_no_one(client, db, settings):
    settings.CACHES = {
        **settings.CACHES,  # (the frame's fragments stay in this process)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    page = roster(client, "cs")
    assert ("RO", "Rumunsko", False) in offered(page, "country")


def listed_names(page: str) -> list[str]:
    return [
        unescape(name)
        for name in re.findall(r'<a href="/iris/recruiters/[^"]+/">([^<]+)</a>', page)
    ]


def test_a_search_filtered_by_country_and_sector_reads_neither_list(client, committed_lists):
    RecruiterFactory(
        legal_name="Tisza Care Kft", hq_country=country("HU"), sectors=[sector("care")]
    )
    RecruiterFactory(
        legal_name="Tisza Farms Kft", hq_country=country("HU"), sectors=[sector("agriculture")]
    )
    RecruiterFactory(
        legal_name="Tisza Care SRL", hq_country=country("RO"), sectors=[sector("care")]
    )
    roster(client, "hu")  # the lists are now kept
    with CaptureQueriesContext(connection) as queries:
        page = roster(client, "hu", q="tisza", country="HU", sector="care")
    read = [q["sql"] for q in queries if "iris_country" in q["sql"] or "iris_sector" in q["sql"]]
    assert read == []
    assert listed_names(page) == ["Tisza Care Kft"]
    assert ("HU", "Magyarország", True) in offered(page, "country")
    assert ("care", "Gondozás", True) in offered(page, "sector")


def test_a_country_this_process_has_not_read_yet_still_filters(client, committed_lists):
    roster(client, "en")  # the lists are now kept
    # Another process adds a country; this one has not looked at the shared version yet.
    Country.objects.bulk_create([Country(code="XK", name="Kosovo")])  # (no signal: kept here)
    RecruiterFactory(legal_name="Prishtina Staffing", hq_country=country("XK"))
    RecruiterFactory(legal_name="Prague Staffing", hq_country=country("CZ"))
    page = roster(client, "en", q="staffing", country="XK")
    assert listed_names(page) == ["Prishtina Staffing"]
    assert "Select a valid choice" not in page


@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_country_or_sector_nobody_offers_is_refused_in_plain_words(client, db, language):
    RecruiterFactory(legal_name="Tisza Care Kft", hq_country=country("HU"))
    RecruiterFactory(legal_name="Danube Staffing SRL", hq_country=country("RO"))
    page = roster(client, language, q="tisza", country="XX", sector="<b>")
    # The name typed still searches: the refused filters alone are set aside.
    assert listed_names(page) == ["Tisza Care Kft"]
    assert 'value="tisza"' in page
    with translation.override(language):
        refused = translation.gettext(
            "Select a valid choice. That choice is not one of the available choices."
        )
    assert page.count(refused) == 2
    assert "<b>" not in page
    # Nothing is marked chosen, so the browser shows the first option: any country, any sector.
    assert not any(chosen for _, _, chosen in offered(page, "country") + offered(page, "sector"))
