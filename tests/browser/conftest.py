"""Browser tests: Playwright drives Debian's Chromium against a live server started by the test."""

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

# Chromium's headless shell (Debian's chromium-headless-shell, the build Playwright itself runs
# headless): the same Blink and V8 as the browser, without the browser's own windows and pages
# that the full build still draws when headless, at about half its processor time. The full
# build stands in where the shell is not installed.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if Path(path).exists()
    ),
    "/usr/bin/chromium-headless-shell",
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe's best practice too: content inside landmarks, landmarks told apart, one main heading...
AXE_TAGS = [*WCAG_TAGS, "best-practice"]

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# from here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not shutil.which(CHROMIUM):
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium-headless-shell)"
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    migrated = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        # Under Playwright's event loop Django hands the tests a new connection object; give
        # it the migrated data (roles, countries) that serialized rollback restores each test.
        if migrated is not None:
            connections["default"]._test_serialized_contents = migrated
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _static_files_from_the_source(settings):
    # The live server answers /static/ from the apps' folders (finders), which know the plain
    # names, not the hashed ones of the collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _a_fresh_world_for_each_journey(
    django_db_serialized_rollback, live_server, settings, private_cache, tmp_path
):
    """Each test starts from the migrated database (roles, countries) with its own cache.

    The live server shares this process's settings, so the overrides here (and the
    HUMAN_CHECK_REQUIRE_START_STAMP=False of tests/conftest.py) apply to the pages Chromium opens.
    """
    settings.SITE_URL = live_server.url  # links in emails open on the live server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a browser of its own: another person, with their own cookies."""
    contexts = []

    def open_page(**options):
        """`options` for the browser: a viewport, touch, a phone's user agent..."""
        context = browser.new_context(base_url=live_server.url, accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fail on any WCAG 2.2 A or AA violation, or breach of best practice, axe-core finds."""

    def check(page):
        # Only violations are gathered in full (axe's resultTypes): the same rules run, and each
        # violation is reported on every element, without building the long lists of passes.
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        result = axe.run(page, options=options)
        assert result.violations_count == 0, result.generate_report()

    return check


@pytest.fixture
def screenshot():
    """Save the page for people to look at (artifacts/ is git-ignored)."""

    def save(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return save


def email_to(address: str, template: str):
    """The latest email of that kind in the outbox for `address`."""
    from iomuk.models import OutboxMessage

    # (Recipients are encrypted at rest, so they are compared here rather than in the query.)
    message = next(
        (m for m in OutboxMessage.objects.filter(template=template) if m.to == address), None
    )
    assert message is not None, f"no {template} email to {address} in the outbox"
    return message


def link_in(text: str, path: str) -> str:
    """The first address in an email's text whose path starts with `path`."""
    match = re.search(rf"https?://[^\s\"<>]+{re.escape(path)}[^\s\"<>]*", text)
    assert match, f"no link to {path} in:\n{text}"
    return match.group(0)


def totp_code(secret: str) -> str:
    """What an authenticator app shows now for a base32 key."""
    from django_otp.oath import totp

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


@pytest.fixture
def officer(db):
    """An IRIS officer who signs in through the real forms (`sign_in`)."""
    from django.contrib.auth.models import Group

    from iomuk import roles
    from iomuk.models import User

    user = User.objects.create_user(
        "officer", email="officer@iom-uk.example", password="officer-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    return user


@pytest.fixture
def sign_in():
    """Sign in through the real pages: password, then a code from the authenticator app.

    On a first sign-in the person asks for the set-up link, opens it from the email and sets
    up the app from the key the page shows, as they would.
    """

    def do(page, username: str, password: str, next_path: str = ""):
        from iomuk.models import User

        page.goto(f"/accounts/login/?next={next_path}" if next_path else "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Set up your second sign-in step").wait_for()
        page.get_by_role("button", name="Email me a new set-up link").click()
        page.get_by_text("We have sent a new set-up link").wait_for()
        email = email_to(User.objects.get(username=username).email, "account-set-up")
        page.goto(link_in(email.body_text, "/accounts/set-up/"))
        secret = page.locator("p", has_text="Key:").locator("code").inner_text()
        page.get_by_label("6-digit code from your authenticator app").fill(totp_code(secret))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if next_path:
            page.goto(next_path)

    return do
