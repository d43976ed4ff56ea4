def test_the_public_page_says_who_can_be_helped_and_how_to_refer(client):
    response = client.get("/returns/")
    html = response.content.decode()
    assert response.status_code == 200
    for country in ("Bulgaria", "Czech Republic", "Hungary", "Romania"):
        assert country in html
    for help_given in ("flight", "shelter", "medical", "psychosocial", "work"):
        assert help_given in html
    assert "0207 800 6000" in html
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
