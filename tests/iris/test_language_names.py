"""Languages show to people by name ("Romanian", "Română"), never as a code ("ro")."""

import re

from django.conf import settings
from django.urls import reverse

from .factories import ApplicationFactory, ComplaintFactory


def readonly_value(page: str, field: str) -> str:
    """What an admin change page shows for a read-only field."""
    after = page.split(f'field-{field}"')[1]
    return re.search(r'<div class="readonly">([^<]*)</div>', after).group(1)


def test_an_officer_sees_the_complainants_language_by_name(officer_client, db):
    complaint = ComplaintFactory(preferred_language="ro")
    page = officer_client.get(reverse("admin:iris_complaint_change", args=[complaint.pk])).text
    assert readonly_value(page, "preferred_language") == "Romanian"


def test_an_officer_finds_complaints_by_language_named_in_the_list(officer_client, db):
    ComplaintFactory(preferred_language="hu")
    page = officer_client.get(reverse("admin:iris_complaint_changelist")).text
    assert re.search(r'<a href="\?preferred_language__exact=hu"[^>]*>Hungarian</a>', page)


def test_an_officer_sees_the_applicants_language_by_name(officer_client, db):
    application = ApplicationFactory(language="ro")
    page = officer_client.get(reverse("admin:iris_application_change", args=[application.pk])).text
    assert readonly_value(page, "language") == "Romanian"
    listed = officer_client.get(reverse("admin:iris_application_changelist")).text
    row = re.search(r"<tr>.*?</tr>", listed.split("<tbody>")[1], re.S).group(0)
    assert '<td class="field-language">Romanian</td>' in row
    assert ">ro<" not in listed


def test_the_complainant_sees_the_language_we_write_in_by_its_own_name(client, db):
    complaint = ComplaintFactory(preferred_language="ro")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = client.post(
        reverse("iris:complaint-track"),
        {"reference": complaint.reference, "code": "ABCD-EFGH-JKMN"},
    ).text
    assert re.search(r"Language for our messages</dt>\s*<dd[^>]*>Română</dd>", page)
