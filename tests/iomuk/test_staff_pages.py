"""Staff pages are marked where they are defined (`iomuk.staff.staff_page`), and every marked
page is in English whatever language the visitor chose: a new staff page cannot be forgotten."""

import re
import uuid

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from iomuk.models import User

ADMIN_LOGIN = "/admin/login/"


def example(route: str) -> str:
    """An address matching one route, with a made-up value for each part it takes."""
    values = {"int": "1", "path": "1", "uuid": str(uuid.UUID(int=1))}
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: values.get(m.group(1), "x1"), route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x1", route)  # the admin's few regex routes
    return route.lstrip("^").rstrip("$").replace("\\", "")


def every_address(patterns=None, prefix: str = "/") -> list[str]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = prefix + example(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            found += every_address(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern):
            found.append(here)
    return sorted(set(found))


def is_marked(path: str) -> bool:
    return getattr(resolve(path).func, "staff_page", False)


def refuses_a_visitor(client: Client, path: str) -> bool:
    """Whether a visitor who is not signed in is sent to sign in, or refused."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path)
    if response.status_code == 403:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith((resolve_url(settings.LOGIN_URL), ADMIN_LOGIN))


def test_the_addresses_cover_the_portal():
    addresses = every_address()
    assert "/staff/" in addresses
    assert "/returns/cases/x1/" in addresses
    assert any(path.startswith("/admin/iris/complaint/") for path in addresses)


@pytest.mark.django_db
def test_every_page_that_needs_a_signed_in_account_is_marked_as_a_staff_page(private_cache):
    client = Client()
    needing_sign_in = [path for path in every_address() if refuses_a_visitor(client, path)]
    assert len(needing_sign_in) > 50  # the admin and ours
    assert [path for path in needing_sign_in if not is_marked(path)] == []


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/staff/", True),
        ("/admin/", True),
        ("/accounts/login/", True),
        ("/accounts/password_reset/", True),
        ("/returns/cases/", True),
        ("/returns/cases/RT-ABC123/", True),
        ("/returns/referrals/new/", True),
        ("/returns/referrals/", True),
        ("/training/first-aid-for-trafficking/attendance/", True),
        ("/training/first-aid-for-trafficking/attendees.csv", True),
        ("/iris/officers/evidence/7/", True),
        ("/", False),
        ("/iris/recruiters/", False),
        ("/iris/complaints/track/", False),
        ("/training/first-aid-for-trafficking/", False),
        ("/returns/", False),
        ("/iris/", False),
        ("/iris/complaints/new/", False),
        ("/training/", False),
    ],
)
def test_only_staff_pages_are_marked(path, marked):
    assert is_marked(path) == marked


@pytest.mark.django_db
def test_every_staff_page_answers_in_english_to_staff_who_chose_romanian(private_cache):
    user = User.objects.create_superuser("all-powers", "admin@iom-uk.example", "a-long-pass-1")
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    staff_pages = [path for path in every_address() if is_marked(path)]
    assert len(staff_pages) > 50
    for path in staff_pages:
        response = client.get(path)
        assert response["Content-Language"] == "en-gb", path
        if response["Content-Type"].startswith("text/html") and response.content:
            assert re.search(rb'<html lang="en(-gb)?"', response.content), path
    # ...while the public portal still follows their choice.
    assert client.get("/")["Content-Language"] == "ro"
