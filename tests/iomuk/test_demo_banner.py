"""While the demo world is loaded, every page says its data is made up; otherwise none does.
(The pages of the seeded world: test_demo_world.py, which seeds it once.)"""

from iomuk.demo import demo_world_mark

BANNER = "This is demo data."


def pages_of(client, coordinator) -> list[str]:
    home = client.get("/")
    client.force_login(coordinator)
    staff = client.get("/staff/")
    assert home.status_code == staff.status_code == 200
    return [home.content.decode(), staff.content.decode()]


def test_a_portal_never_seeded_shows_no_banner(db, client, coordinator):
    for page in pages_of(client, coordinator):
        assert BANNER not in page


def test_the_banner_speaks_the_visitors_language(db, client):
    demo_world_mark()  # as seed_demo does first
    page = client.get("/", headers={"accept-language": "ro"}).content.decode()
    assert "Acestea sunt date demonstrative." in page
