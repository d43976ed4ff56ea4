"""Exit this page: Shift pressed three times on its own leaves; typing capitals never does.

People type capitals by holding Shift (no Caps Lock). The quick exit must tell that apart from
Shift pressed and released on its own, as GOV.UK Frontend's "Exit this page" does.
"""

from itertools import groupby

import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User
from tests.training.factories import SessionFactory

PASSWORD = "a-long-test-password-for-staff"
# What people type: a complaint's reference, a word in capitals, a name, an email address.
TYPED = ["IRIS-C-7F3K9Q", "IRIS", "Elena Popescu", "ELENA@Example.RO"]
SHIFTED = '@!"£$%^&*()_+{}:~<>?|'  # typed with Shift on a UK keyboard
# Every text field a person can reach (the honeypot for bots is off-screen, out of the tab order).
TEXT_FIELDS = ", ".join(
    f"main {kind}:not([tabindex='-1']):visible"
    for kind in (
        "input:not([type])",
        "input[type=text]",
        "input[type=email]",
        "input[type=tel]",
        "input[type=search]",
        "input[type=url]",
        "textarea",
    )
)


@pytest.fixture(autouse=True)
def _exit_to_a_page_we_can_recognise(settings, live_server):
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz?checks=none"


def type_as_a_person(page, text: str):
    """Shift held down for each capital and each character typed with Shift, as on a keyboard
    (Shift down, the key down and up, Shift up); the other characters typed one key at a time."""
    for shifted, chars in groupby(text, key=lambda c: c.isupper() or c in SHIFTED):
        if shifted:
            for char in chars:
                page.keyboard.press(f"Shift+{char}")
        else:
            page.keyboard.type("".join(chars))


def type_in_every_text_field(page, path: str):
    page.goto(path)
    fields = page.locator(TEXT_FIELDS)
    assert fields.count() > 0, f"no text field on {path}"
    typed = {}
    for index in range(fields.count()):
        field = fields.nth(index)
        maxlength = int(field.get_attribute("maxlength") or 1000)
        text = " ".join(TYPED)[:maxlength]
        field.fill("")  # some come filled in (the referrer's own email)
        field.click()
        type_as_a_person(page, text)
        typed[index] = text
        assert page.url.endswith(path), f"the quick exit fired while typing on {path}"
    for index, text in typed.items():
        assert fields.nth(index).input_value() == text, f"text lost on {path}"
    assert page.url.endswith(path)


@pytest.mark.parametrize(
    "path",
    [
        "/iris/complaints/new/",
        "/iris/complaints/track/",
        "/iris/verify/",
        "/iris/check/",
        "/iris/join/",
    ],
)
def test_typing_capitals_in_a_public_form_keeps_the_page_and_the_text(page, path):
    type_in_every_text_field(page, path)


def test_typing_capitals_in_a_booking_form_keeps_the_page_and_the_text(page):
    session = SessionFactory()
    type_in_every_text_field(page, f"/training/{session.slug}/")


@pytest.mark.parametrize("role", [roles.PARTNER_REFERRERS, roles.CASEWORKERS])
def test_typing_capitals_in_the_referral_form_keeps_the_page_and_the_text(page, sign_in, role):
    user = User.objects.create_user("staffer", email="staffer@iom-uk.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    sign_in(page, "staffer", PASSWORD, next_path="/returns/referrals/new/")
    type_in_every_text_field(page, "/returns/referrals/new/")


def test_shift_pressed_three_times_on_its_own_leaves_and_says_so_on_the_way(page):
    page.goto("/iris/complaints/track/")
    status = page.locator("[data-quick-exit-status]")
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 1 more time to exit."
    lights = page.locator(".quick-exit-indicator-light")
    assert lights.count() == 3
    assert page.locator(".quick-exit-indicator-light-on").count() == 2
    page.keyboard.press("Shift")
    page.wait_for_url("**/healthz?checks=none")
    page.go_back()
    assert "/iris/" not in page.url  # replaced, so Back does not return to it


def test_shift_twice_then_a_letter_then_shift_once_stays(page):
    page.goto("/iris/complaints/track/")
    page.get_by_label("Reference").click()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    assert page.locator("[data-quick-exit-status]").inner_text() == ""
    page.keyboard.press("Shift")
    assert page.locator("[data-quick-exit-status]").inner_text() == (
        "Shift, press 2 more times to exit."
    )
    assert page.url.endswith("/iris/complaints/track/")
    assert page.get_by_label("Reference").input_value() == "a"


def test_the_count_starts_again_after_five_seconds(page):
    page.goto("/iris/complaints/track/")
    page.clock.install()
    page.reload()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.run_for(5_100)
    assert page.locator("[data-quick-exit-status]").inner_text() == ""
    page.keyboard.press("Shift")
    assert page.url.endswith("/iris/complaints/track/")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ro", "Shift"),
        ("bg", "Shift"),
    ],
)
def test_the_count_is_announced_in_the_visitors_language(page, live_server, language, message):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/iris/complaints/track/")
    page.keyboard.press("Shift")
    said = page.locator("[data-quick-exit-status]").inner_text()
    assert message in said and "2" in said and "press" not in said


def test_the_exit_button_leaves_at_once(page):
    page.goto("/iris/complaints/new/")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url("**/healthz?checks=none")
