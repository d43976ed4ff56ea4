"""A search of the case list by a survivor's name never puts the name in an address: not the
address the list is shown at, not a redirect, not a link or form on the page (so not the
browser's history, the access logs or a Referer either). The words are sent by POST and kept in
the searcher's own session; the address carries only a key to them."""

import re
from html import unescape
from urllib.parse import quote, quote_plus

import factory
import pytest
from django.test import Client

from iomuk import roles
from iomuk.searches import MOST_KEPT
from returns.models import ReturnCase

from .factories import ReturnCaseFactory, UserFactory

LIST = "/returns/cases/"
NAME = "Ileana Ștefănescu"


@pytest.fixture
def signed_in(client, casemanager):
    client.force_login(casemanager)
    return client


@pytest.fixture
def survivor(db):
    return ReturnCaseFactory(full_name=NAME, preferred_name="", country="RO")


def _names(response) -> set[str]:
    html = response.content.decode()
    return {c.full_name for c in ReturnCase.objects.all() if c.full_name in html}


def _addresses(response) -> list[str]:
    """Every address the browser went to, and every link and form target on the last page."""
    went = [location for location, _status in response.redirect_chain]
    went.append(f"{response.request['PATH_INFO']}?{response.request.get('QUERY_STRING', '')}")
    html = response.content.decode()
    on_page = [unescape(a) for a in re.findall(r'(?:href|action|src)="([^"]*)"', html)]
    return went + on_page


def _naming(addresses: list[str], *words: str) -> list[str]:
    forms = {
        form.lower()
        for word in words
        for form in (word, quote(word), quote_plus(word), *word.split(), *quote(word).split("%20"))
    }
    return [a for a in addresses if any(form in a.lower() for form in forms)]


def test_a_search_by_name_shows_the_case_and_the_name_is_in_no_address(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    response = signed_in.post(LIST, {"q": NAME, "country": "RO"}, follow=True)
    assert response.status_code == 200
    assert _names(response) == {NAME}
    assert response.redirect_chain[0][1] == 303
    assert _naming(_addresses(response), NAME, "stefanescu") == []
    # The filters that name nobody stay in the address, beside the key.
    assert re.fullmatch(r"/returns/cases/\?s=[\w-]{16}&country=RO", response.redirect_chain[0][0])


def test_the_box_shows_the_words_as_they_were_typed(signed_in, survivor):
    typed = "  ileana   ȘTEFĂNESCU "
    response = signed_in.post(LIST, {"q": typed}, follow=True)
    assert _names(response) == {NAME}
    assert f'value="{typed}"' in response.content.decode()


def test_the_search_form_is_sent_by_post_with_its_csrf_token(signed_in):
    html = signed_in.get(LIST).content.decode()
    form = re.search(r'<form method="(\w+)" action="/returns/cases/"[^>]*>(.*?)</form>', html, re.S)
    assert form and form.group(1) == "post"
    assert 'name="csrfmiddlewaretoken"' in form.group(2) and 'name="q"' in form.group(2)


def test_paging_through_the_results_keeps_the_search(signed_in):
    ReturnCaseFactory.create_batch(
        27, full_name=factory.Sequence(lambda n: f"Person{n} Lungu"), preferred_name=""
    )
    ReturnCaseFactory.create_batch(5, preferred_name="")
    first = signed_in.post(LIST, {"q": "Lungu"}, follow=True)
    html = first.content.decode()
    assert "27 cases" in html and "Page 1 of 2" in html
    next_link = unescape(re.search(r'href="(\?[^"]*page=2)"', html).group(1))
    assert _naming([next_link], "Lungu") == []
    second = signed_in.get(LIST + next_link)
    page_two = second.content.decode()
    assert "27 cases" in page_two and "Page 2 of 2" in page_two
    assert page_two.count('href="/returns/cases/RR-') == 2
    assert 'value="Lungu"' in page_two


def test_another_person_cannot_use_the_key(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    found = signed_in.post(LIST, {"q": NAME}, follow=True)
    address = found.redirect_chain[-1][0]
    assert _names(found) == {NAME}
    colleague = UserFactory(username="cm2", role=roles.CASE_MANAGERS)
    other = Client()
    other.force_login(colleague)
    response = other.get(address)
    html = response.content.decode()
    assert response.status_code == 200
    assert "That search has expired" in html
    # The whole list, with an empty box: nothing of the first person's search.
    assert _names(response) == {NAME, "Dana Popescu"}
    assert f'value="{NAME}"' not in html and "2 cases" in html


def test_an_unknown_key_shows_the_whole_list_and_says_so(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    response = signed_in.get(LIST, {"s": "no-such-key", "country": "RO"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That search has expired. Type the words again to search." in html
    assert _names(response) == {NAME, "Dana Popescu"}
    assert "s=no-such-key" not in html  # the paging links do not carry it on


def test_a_name_in_the_address_is_not_searched_for(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    response = signed_in.get(LIST, {"q": "Popescu"})
    html = response.content.decode()
    assert "Type the words in the search box to search." in html
    assert _names(response) == {NAME, "Dana Popescu"}
    assert 'value="Popescu"' not in html


def test_a_search_with_a_mistake_comes_back_with_every_word_and_no_redirect(signed_in, survivor):
    typed = "Ileana " + "x" * 100
    response = signed_in.post(LIST, {"q": typed, "overdue": "yes"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and f'value="{typed}"' in html


def test_clearing_the_box_shows_the_whole_list_at_a_plain_address(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    signed_in.post(LIST, {"q": NAME}, follow=True)
    response = signed_in.post(LIST, {"q": "  "}, follow=True)
    assert response.redirect_chain == [(LIST, 303)]
    assert _names(response) == {NAME, "Dana Popescu"}


def test_the_newest_searches_are_kept_and_the_oldest_is_forgotten(signed_in, survivor):
    ReturnCaseFactory(full_name="Dana Popescu", preferred_name="")
    first = signed_in.post(LIST, {"q": NAME})["Location"]
    for n in range(MOST_KEPT - 1):
        signed_in.post(LIST, {"q": f"Popescu{n}"})
    assert _names(signed_in.get(first)) == {NAME}  # still one of the newest 20
    signed_in.post(LIST, {"q": "Popescu"})
    forgotten = signed_in.get(first)
    assert "That search has expired" in forgotten.content.decode()
    assert _names(forgotten) == {NAME, "Dana Popescu"}
