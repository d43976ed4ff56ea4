import pytest

from iomuk.models import User

# Every page asks the database whether the demo world is loaded (its banner).
pytestmark = pytest.mark.django_db


def test_home_shows_the_three_services_and_the_help_lines(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for service in ("Awareness training", "Return and reintegration", "IRIS ethical recruitment"):
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


def test_the_footer_links_the_privacy_notice_accessibility_statement_and_cookies(client):
    html = client.get("/").content.decode()
    footer = html.split("<footer", 1)[1]
    for path, name in [("/privacy/", "Privacy"), ("/accessibility/", "Accessibility")]:
        assert f'<a href="{path}">{name}</a>' in footer
    assert '<a href="/cookies/">Cookies</a>' in footer


def test_the_privacy_notice_gives_the_retention_periods_in_force(client, settings):
    settings.TRAINING_RETENTION_DAYS = 181
    settings.RETURNS_RETENTION_DAYS = 731
    settings.IRIS_RETENTION_DAYS = 732
    settings.TRAINING_REQUEST_RETENTION_DAYS = 366
    settings.OUTBOX_RETENTION_DAYS = 31
    html = client.get("/privacy/").content.decode()
    assert "<h1>Privacy notice</h1>" in html
    for days in (181, 731, 732, 366, 31):
        assert f"{days} days" in html
    assert settings.IOM_UK_PHONE in html
    assert 'href="/cookies/"' in html


def test_the_cookies_page_names_every_cookie_the_portal_sets(client, settings):
    html = client.get("/cookies/").content.decode()
    for name in (
        settings.LANGUAGE_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.SESSION_COOKIE_NAME,
        "messages",
    ):
        assert f"<code>{name}</code>" in html
    assert f"After {settings.SESSION_COOKIE_AGE // 60} minutes without activity" in html


def test_the_accessibility_statement_says_what_is_not_yet_accessible(client):
    html = client.get("/accessibility/").content.decode()
    assert "<h1>Accessibility statement</h1>" in html
    assert "Training pages and staff pages are in English only." in html


@pytest.mark.django_db
def test_every_form_that_asks_for_personal_data_links_the_privacy_notice(client):
    from django.contrib.auth.models import Group

    from tests.training.factories import SessionFactory

    session = SessionFactory()
    public = ["/training/request/", f"/training/{session.slug}/", "/iris/join/"]
    public.append("/iris/complaints/new/")
    for path in public:
        html = client.get(path).content.decode()
        assert 'href="/privacy/">How we use your information (privacy notice)</a>' in html, path
    referrer = User.objects.create_user("ref", password="a-long-password-1")
    referrer.groups.add(Group.objects.get(name="Partner referrers"))
    client.force_login(referrer)
    html = client.get("/returns/referrals/new/").content.decode()
    assert 'href="/privacy/">How we use your information (privacy notice)</a>' in html


def test_home_claims_no_free_training_and_spells_out_cpd_and_iris(client):
    html = client.get("/").content.decode()
    assert "Free" not in html
    assert "continuing professional development (CPD)" in html
    assert "The International Recruitment Integrity System (IRIS)" in html


def test_home_tells_readers_from_the_eu_that_112_works_here_too(client):
    html = client.get("/").content.decode()
    assert '<a href="tel:112">112</a> works in the UK too' in html
    assert '<a href="tel:+442078006000">020 7800 6000</a>' in html


def test_home_opens_with_what_iom_uk_does_in_short_lines(client):
    html = client.get("/").content.decode()
    assert "IOM UK works against human trafficking and modern slavery. We do three things:" in html
    assert "<li>We train people who may meet victims of trafficking in their work.</li>" in html
    assert "<li>respect for human rights</li>" in html


def test_the_error_page_says_plainly_what_was_saved(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "If you saw a message that something was saved, it is saved." in html
    assert "Nothing you entered has been lost" not in html
