"""A public form sent with a gap says what to do about it ("Enter your full name"), and marks
the fields one may leave empty "(optional)" rather than starring the others."""

import re
from html import unescape

import pytest
from django.conf import settings

from tests.training.factories import SessionFactory

# A form sent with every box left empty (one key, as a browser always sends some).
EMPTY = {"form_started": ""}


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


def summary(html: str) -> list[str]:
    """The lines of the page's error summary, as a person reads them."""
    box = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, flags=re.S)
    assert box, "no error summary"
    items = re.findall(r"<li>(.*?)</li>", box.group(0), flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def form_page(client, path: str, language: str = "en-gb") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


@pytest.fixture
def booking_path(db):
    return f"/training/{SessionFactory().slug}/"


@pytest.mark.django_db
def test_an_empty_booking_says_what_to_enter(client, booking_path):
    lines = summary(client.post(booking_path, EMPTY).content.decode())
    assert lines == [
        "Enter your full name.",
        "Enter your work email address.",
        "Enter the name of your organisation.",
        "Select your sector.",
        "Enter your job title.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/iris/join/",
            [
                "Enter the name of your organisation.",
                "Select the type of your organisation.",
                "Select the country of your headquarters.",
                "Enter the name of the person to contact.",
                "Enter the email address of the person to contact.",
                "Tick the box to commit to the code of conduct.",
            ],
        ),
        (
            "/iris/complaints/track/",
            ["Enter the reference of your report.", "Enter the tracking code of your report."],
        ),
        (
            "/training/request/",
            [
                "Enter the name of your organisation.",
                "Enter the name of the person to contact.",
                "Enter the email address to reply to.",
                "Select your sector.",
                "Enter how many people would come.",
                "Enter the dates that would suit you.",
                "Select a format.",
                "Tell us what you need.",
            ],
        ),
    ],
)
def test_every_gap_in_a_public_form_is_named_with_its_fix(client, path, expected):
    lines = summary(client.post(path, EMPTY).content.decode())
    assert lines == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "bg", "cs", "hu", "ro"])
def test_no_public_form_answers_this_field_is_required(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for path in ["/iris/join/", "/iris/complaints/new/", "/iris/complaints/track/"]:
        html = client.post(path, EMPTY).content.decode()
        assert "This field is required" not in html, path
        assert not any(line.endswith(":") or ": " in line[:40] for line in summary(html)), path


@pytest.mark.django_db
def test_optional_fields_say_so_and_no_field_has_a_star(client, booking_path):
    booking = form_page(client, booking_path)
    join = form_page(client, "/iris/join/")
    complaint = form_page(client, "/iris/complaints/new/")
    for html in (booking, join, complaint):
        assert "asteriskField" not in html
    assert "Access or other requirements (optional)" in booking
    assert "Full name (optional)" not in booking
    assert "Website (optional)" in join
    assert "Registration or licence number (optional)" in join
    assert "Contact phone (optional)" in join and "(optional) (optional)" not in join
    assert "Your name (optional)" in complaint
    # Needed unless the person stays anonymous: not "optional".
    assert "Your email (optional)" not in complaint


@pytest.mark.django_db
def test_optional_is_said_in_the_readers_language(client):
    join = form_page(client, "/iris/join/", "cs")
    assert "(nepovinné)" in join
    assert "(optional)" not in join
