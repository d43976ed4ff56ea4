"""The admin's search box is sent by POST: a name or an email typed into it is kept in the
administrator's session, and the list's address and every link on it (sorting, filters, pages,
each record's link back to the list) carry only a key."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import quote, quote_plus

import pytest
from django.test import Client
from django.utils import timezone

from iomuk.models import User
from tests.training.factories import BookingFactory, SessionFactory
from training.models import Booking

LIST = "/admin/training/booking/"
EMAIL = "zinovia.quarrendon@council.example"


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def bookings(db):
    wanted = [BookingFactory(name=f"Zinovia Quarrendon {n}", email=EMAIL) for n in range(3)]
    return wanted, BookingFactory(name="Dana Popescu")


def _addresses(response) -> list[str]:
    went = [location for location, _status in response.redirect_chain]
    went.append(f"{response.request['PATH_INFO']}?{response.request.get('QUERY_STRING', '')}")
    html = response.content.decode()
    return went + [unescape(a) for a in re.findall(r'(?:href|action|src)="([^"]*)"', html)]


def _naming(addresses: list[str], *words: str) -> list[str]:
    forms = {f.lower() for w in words for f in (w, quote(w), quote_plus(w), quote(w, safe=""))}
    return [a for a in addresses if any(form in unescape(a).lower() for form in forms)]


def test_a_search_by_email_finds_the_bookings_and_no_address_holds_it(admin_client, bookings):
    wanted, other = bookings
    response = admin_client.post(LIST, {"q": EMAIL, "state__exact": "confirmed"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][1] == 303
    assert all(b.reference in html for b in wanted) and other.reference not in html
    assert f'value="{EMAIL}"' in html  # the box shows what was typed
    assert "state__exact=confirmed" in response.redirect_chain[0][0]
    assert _naming(_addresses(response), EMAIL, "zinovia", "quarrendon") == []


def test_the_lists_links_keep_the_search(admin_client, bookings):
    wanted, other = bookings
    address = admin_client.post(LIST, {"q": "Quarrendon"})["Location"]
    html = admin_client.get(address).content.decode()
    sort = unescape(re.search(r'href="(\?[^"]*o=[^"]*)"', html).group(1))
    assert "s=" in sort and _naming([sort], "Quarrendon") == []
    sorted_html = admin_client.get(LIST + sort).content.decode()
    assert all(b.reference in sorted_html for b in wanted) and other.reference not in sorted_html
    assert 'value="Quarrendon"' in sorted_html


def test_another_administrator_cannot_use_the_key(admin_client, bookings):
    wanted, other = bookings
    address = admin_client.post(LIST, {"q": "Quarrendon"})["Location"]
    browser = Client()
    browser.force_login(User.objects.create(username="root2", is_staff=True, is_superuser=True))
    html = browser.get(address).content.decode()
    assert "That search has expired" in html
    assert other.reference in html and 'value="Quarrendon"' not in html


def test_a_name_in_the_address_is_not_searched_for(admin_client, bookings):
    wanted, other = bookings
    html = admin_client.get(LIST, {"q": "Quarrendon"}).content.decode()
    assert "Type the words in the search box to search." in html
    assert other.reference in html and 'value="Quarrendon"' not in html


def test_an_action_on_a_searched_list_still_works(admin_client, db):
    past = SessionFactory(starts_at=timezone.now() - timedelta(hours=4))
    wanted = [BookingFactory(session=past, name=f"Zinovia Quarrendon {n}") for n in range(2)]
    address = admin_client.post(LIST, {"q": "Quarrendon"})["Location"]
    chosen = {"action": "mark_attended", "_selected_action": [b.pk for b in wanted], "index": "0"}
    response = admin_client.post(address, chosen)
    assert response.status_code == 302 and response["Location"] == address
    assert "2 bookings updated." in admin_client.get(address).content.decode()
    assert all(
        Booking.objects.filter(pk__in=[b.pk for b in wanted]).values_list("attended", flat=True)
    )
