import re

import pytest

# Every page asks the database whether the demo world is loaded (its banner).
pytestmark = pytest.mark.django_db


def test_the_public_page_says_who_can_be_helped_and_how_to_refer(client):
    response = client.get("/returns/")
    html = response.content.decode()
    assert response.status_code == 200
    for country in ("Bulgaria", "Czech Republic", "Hungary", "Romania"):
        assert country in html
    for help_given in ("flight", "shelter", "medical", "counselling", "work"):
        assert help_given in html
    assert "020 7800 6000" in html
    assert "refer" in html.lower()
    assert html.count("<h1") == 1


def test_the_public_page_offers_the_referral_form_only_to_those_who_may_refer(
    client, referrer, coordinator
):
    assert "/returns/referrals/new/" not in client.get("/returns/").content.decode()
    client.force_login(coordinator)
    assert "/returns/referrals/new/" not in client.get("/returns/").content.decode()
    client.force_login(referrer)
    assert "/returns/referrals/new/" in client.get("/returns/").content.decode()


def test_a_survivor_who_wants_to_go_home_is_told_who_to_call_and_what_to_say(client):
    html = client.get("/returns/").content.decode()
    text = re.sub(r" ([.,:])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))
    assert "If you want to go home: ask us yourself" in text
    assert "You do not need an organisation to ask for you." in text
    assert "Call IOM UK on 020 7800 6000." in text
    assert "Say: “I want help to go home.”" in text
    assert "08000 121 700" in text
    assert 'href="tel:+442078006000"' in html
    assert 'href="tel:+448000121700"' in html


def test_the_page_says_counselling_and_explains_first_responders(client):
    html = client.get("/returns/").content.decode()
    assert "counselling and emotional support" in html
    assert "psychosocial" not in html
    assert "First responders are the organisations that are often the first" in " ".join(
        html.split()
    )
