from django.contrib.auth.models import User


def test_home_shows_the_three_services_and_the_help_lines(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for service in ("Awareness training", "Return and reintegration", "IRIS: fair recruitment"):
        assert service in html
    assert "999" in html
    assert "08000 121 700" in html


def test_every_page_has_one_h1_a_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert html.count("<h1") == 1
    assert 'href="#main"' in html
    for landmark in ("<header", "<main", "<footer", "<nav"):
        assert landmark in html


def test_pages_are_served_with_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_assets_come_from_this_server(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min." in html
    assert "https://" not in html.split("</head>")[0]


def test_an_unknown_page_gets_a_plain_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_staff_workspace_requires_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_workspace_refuses_an_account_without_a_staff_role(client, db):
    user = User.objects.create_user("visitor", password="a-long-password-1")
    client.force_login(user)
    assert client.get("/staff/").status_code == 403


def test_staff_workspace_opens_for_a_coordinator(client, db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("coord", password="a-long-password-1")
    user.groups.add(Group.objects.get(name="Training coordinators"))
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Training coordinators" in response.content.decode()


def test_language_can_be_chosen_and_is_remembered(client):
    response = client.get("/i18n/setlang/", {"language": "ro", "next": "/"})
    assert response.status_code == 302
    assert 'lang="ro"' in client.get("/").content.decode()


def test_survivor_pages_offer_a_quick_exit(client):
    html = client.get("/returns/").content.decode()
    assert "Exit this page" in html
    assert "data-quick-exit" in html
    assert "https://www.bbc.co.uk/weather" in html


def test_staff_sign_in_has_no_quick_exit(client):
    assert "Exit this page" not in client.get("/accounts/login/").content.decode()
