"""A search of the complaint queue by a name (an agent's, often a person's) or a complaint's
reference never puts the words in an address: not the address the queue is shown at, not a
redirect, not a paging link. They are sent by POST and kept in the officer's own session."""

import re
from html import unescape
from urllib.parse import quote, quote_plus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from iomuk import roles
from iomuk.models import User

from ..factories import ComplaintFactory, RecruiterFactory, country

QUEUE = reverse("iris-complaints:queue")
AGENT = "Viorel Dumitrașcu"


@pytest.fixture
def agent(db):
    return ComplaintFactory(recruiter=None, unlisted_name=AGENT, unlisted_country=country("RO"))


@pytest.fixture
def other(db):
    return ComplaintFactory(recruiter=None, unlisted_name="Golden Bridge Jobs")


def _addresses(response) -> list[str]:
    went = [location for location, _status in response.redirect_chain]
    went.append(f"{response.request['PATH_INFO']}?{response.request.get('QUERY_STRING', '')}")
    html = response.content.decode()
    return went + [unescape(a) for a in re.findall(r'(?:href|action|src)="([^"]*)"', html)]


def _naming(addresses: list[str], word: str) -> list[str]:
    forms = {f.lower() for f in (word, quote(word), quote_plus(word), *word.split())}
    return [a for a in addresses if any(form in a.lower() for form in forms)]


def test_a_search_by_an_agents_name_finds_it_and_the_name_is_in_no_address(
    officer_client, agent, other
):
    response = officer_client.post(QUEUE, {"q": AGENT, "danger": ""}, follow=True)
    page = response.text
    assert response.redirect_chain[0][1] == 303
    assert agent.reference in page and other.reference not in page
    assert f'value="{AGENT}"' in page  # the box shows what was typed
    assert _naming(_addresses(response), AGENT) == []
    assert _naming(_addresses(response), "Dumitrascu") == []


def test_a_search_by_reference_keeps_the_reference_out_of_the_queues_address(
    officer_client, agent, other
):
    response = officer_client.post(QUEUE, {"q": agent.reference.lower()}, follow=True)
    assert agent.reference in response.text and other.reference not in response.text
    went = [location for location, _status in response.redirect_chain]
    assert went and not any(agent.reference.lower() in a.lower() for a in went)


def test_the_other_filters_stay_in_the_address_beside_the_key(officer_client, agent):
    response = officer_client.post(QUEUE, {"q": AGENT, "matching": "on", "stage": "received"})
    assert response.status_code == 303
    assert re.fullmatch(
        r"/staff/iris/complaints/\?s=[\w-]{16}&stage=received&matching=on", response["Location"]
    )


def test_paging_through_the_results_keeps_the_search(officer_client, other):
    for _ in range(27):
        ComplaintFactory(recruiter=None, unlisted_name=AGENT)
    first = officer_client.post(QUEUE, {"q": AGENT}, follow=True).text
    assert "27 complaints" in first and "Page 1 of 2" in first
    next_link = unescape(re.search(r'href="(\?[^"]*page=2)"', first).group(1))
    assert _naming([next_link], AGENT) == []
    second = officer_client.get(QUEUE + next_link).text
    assert "27 complaints" in second and "Page 2 of 2" in second
    assert f'value="{AGENT}"' in second and other.reference not in second


def test_another_officer_cannot_use_the_key(officer_client, agent, other):
    address = officer_client.post(QUEUE, {"q": AGENT})["Location"]
    colleague = User.objects.create_user("officer2", password="officer-pass-456", is_staff=True)
    colleague.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    browser = Client()
    browser.force_login(colleague)
    page = browser.get(address).text
    assert "That search has expired" in page
    assert agent.reference in page and other.reference in page  # the whole queue
    assert f'value="{AGENT}"' not in page


def test_a_key_made_on_the_case_list_does_nothing_on_the_queue(client, agent, other):
    client.force_login(User.objects.create_superuser("root", "root@iom-uk.example", "pass-1-long"))
    address = client.post("/returns/cases/", {"q": AGENT})["Location"]
    key = re.search(r"s=([\w-]+)", address).group(1)
    page = client.get(QUEUE, {"s": key}).text
    assert "That search has expired" in page
    assert agent.reference in page and other.reference in page


def test_a_name_in_the_address_is_not_searched_for(officer_client, agent, other):
    page = officer_client.get(QUEUE, {"q": AGENT}).text
    assert "Type the words in the search box to search." in page
    assert agent.reference in page and other.reference in page


def test_a_search_with_a_mistake_comes_back_with_its_words(officer_client, agent):
    typed = AGENT + " " + "x" * 200
    response = officer_client.post(QUEUE, {"q": typed})
    assert response.status_code == 400
    assert "There is a problem" in response.text and f'value="{typed}"' in response.text


# The match box on a complaint's page: the roster's search for the agent's name.


def test_the_match_box_sends_its_words_by_post_and_keeps_them_out_of_the_address(
    officer_client, agent
):
    RecruiterFactory(legal_name="Dumitrascu Recrutare SRL")
    find = reverse("iris-complaints:find", args=[agent.reference])
    page = officer_client.get(reverse("iris-complaints:detail", args=[agent.reference])).text
    assert f'<form method="post" action="{find}"' in page
    response = officer_client.post(find, {"find": "Dumitrascu Recrutare"}, follow=True)
    assert response.redirect_chain[0][1] == 303
    assert "Dumitrascu Recrutare SRL" in response.text.split('id="recruiters-found"')[1]
    assert 'value="Dumitrascu Recrutare"' in response.text
    assert _naming(_addresses(response), "Dumitrascu Recrutare") == []


def test_another_officer_cannot_use_the_match_boxs_key(officer_client, agent):
    find = reverse("iris-complaints:find", args=[agent.reference])
    address = officer_client.post(find, {"find": "Golden Harvest"})["Location"]
    colleague = User.objects.create_user("officer2", password="officer-pass-456", is_staff=True)
    colleague.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    browser = Client()
    browser.force_login(colleague)
    page = browser.get(address).text
    assert "That search has expired" in page
    assert 'value="Golden Harvest"' not in page and "Golden Harvest" not in page
