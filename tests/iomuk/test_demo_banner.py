"""While the demo world is loaded, every page says its data is made up; otherwise none does."""

from django.core.management import call_command

from iomuk.demo import demo_world_mark

BANNER = "This is demo data."


def _pages(client, coordinator) -> list[str]:
    home = client.get("/")
    client.force_login(coordinator)
    staff = client.get("/staff/")
    assert home.status_code == staff.status_code == 200
    return [home.content.decode(), staff.content.decode()]


def test_after_seed_demo_the_public_and_staff_pages_show_the_banner(
    db, settings, client, coordinator
):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for page in _pages(client, coordinator):
        assert BANNER in page
        assert 'role="region" aria-label="Demo data"' in page


def test_a_portal_never_seeded_shows_no_banner(db, client, coordinator):
    for page in _pages(client, coordinator):
        assert BANNER not in page


def test_the_banner_speaks_the_visitors_language(db, client):
    demo_world_mark()  # as seed_demo does first
    page = client.get("/", headers={"accept-language": "ro"}).content.decode()
    assert "Acestea sunt date demonstrative." in page
