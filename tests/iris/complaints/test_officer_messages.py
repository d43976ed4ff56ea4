"""An IRIS officer writes to a complainant, who reads it in the language they chose."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from iomuk.models import OutboxMessage
from iris.complaints.services import ComplaintError, complaint_message_add

from ..factories import ComplaintFactory

UNDER_REVIEW_RO = (
    "Un ofițer IRIS analizează acum sesizarea dumneavoastră. "
    "Vă vom scrie aici când vor exista noutăți."
)


def change_url(complaint) -> str:
    return reverse("iris-complaints:detail", args=[complaint.reference])


def message_form(page: str) -> tuple[str, str]:
    """The officer's message form on a complaint's page: its address and its whole HTML."""
    forms = re.finditer(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    form = next((f for f in forms if 'name="template"' in f.group(2)), None)
    assert form, "no message form with templates on the complaint's page"
    return form.group(1), form.group(2)


def track(client, complaint, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = {"reference": complaint.reference, "code": "ABCD-EFGH-JKMN"}
    return client.post(reverse("iris:complaint-track"), data).content.decode()


def test_an_officer_sends_the_under_review_message_and_a_romanian_complainant_reads_it_in_romanian(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(preferred_language="ro", stage="under_review")
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            action, {"kind": "message", "template": "under_review", "language": "en-gb"}
        )

    assert response.status_code == 302
    told = officer_client.get(change_url(complaint)).content.decode()
    assert "the complainant is emailed that there is news." in told  # not the message itself
    officer_client.logout()
    page = track(client, complaint, "ro")
    assert UNDER_REVIEW_RO in page
    assert "is now looking into your report" not in page
    assert "Acest mesaj este în limba" not in page  # it is in their language: nothing to mark
    # The email says, in Romanian, only that there is news: never what the message says.
    email = OutboxMessage.objects.get(template="iris-complaint-update")
    assert email.to == "maria@example.org"
    assert email.subject == "Un mesaj de la IOM UK"
    assert UNDER_REVIEW_RO not in email.body_text and "looking into" not in email.body_text


def test_free_text_to_a_hungarian_complainant_is_marked_as_english(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(preferred_language="hu")
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            action,
            {
                "kind": "message",
                "template": "",
                "body": "Please call us on Monday.",
                "language": "en-gb",
            },
        )

    officer_client.logout()
    page = track(client, complaint, "hu")
    assert "Ez az üzenet a következő nyelven íródott: angol." in page
    assert re.search(r'<div lang="en">\s*<p>Please call us on Monday.</p>', page)
    email = OutboxMessage.objects.get(template="iris-complaint-update")
    assert "Please call us on Monday." not in email.body_text


def test_the_officer_sees_which_language_the_complainant_reads_beside_the_message_box(
    officer_client, db
):
    complaint = ComplaintFactory(preferred_language="hu")
    _action, form = message_form(officer_client.get(change_url(complaint)).content.decode())
    assert "The complainant reads Hungarian (Magyar)." in form
    assert 'name="body"' in form and 'name="language"' in form


def test_a_message_neither_chosen_nor_written_is_refused_and_nothing_is_sent(officer_client, db):
    complaint = ComplaintFactory()
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())
    response = officer_client.post(
        action, {"kind": "message", "template": "", "body": "  ", "language": "en-gb"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a message or write your own." in page
    assert not complaint.messages.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("data", "explained"),
    [
        (
            {"kind": "message", "body": "Please call us.", "language": ""},
            "Say which language your own words are in.",
        ),
        (
            {
                "kind": "message",
                "template": "resolved",
                "body": "Please call us.",
                "language": "en-gb",
            },
            "Choose a message or write your own, not both.",
        ),
    ],
)
def test_free_text_with_no_language_or_with_a_template_too_is_refused(
    officer_client, db, data, explained
):
    complaint = ComplaintFactory(preferred_language="hu")
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())
    response = officer_client.post(action, data)
    assert explained in response.content.decode()
    assert not complaint.messages.exists()
    assert not OutboxMessage.objects.exists()


def test_a_refused_message_comes_back_with_the_officers_words_in_the_box(officer_client, db):
    complaint = ComplaintFactory(preferred_language="hu")
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())
    words = "Please call us on Monday: we have news about the recruiter & your passport."
    response = officer_client.post(
        action, {"kind": "message", "template": "", "body": words, "language": ""}
    )
    page = response.content.decode()
    assert "Say which language your own words are in." in page
    _action, form = message_form(page)
    box = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert box.strip() == words.replace("&", "&amp;")
    # The officer says which language, sends the same form again, and the message goes.
    response = officer_client.post(
        action, {"kind": "message", "template": "", "body": words, "language": "en-gb"}
    )
    assert response.status_code == 302
    assert complaint.messages.get().body == words


def test_free_text_in_the_complainants_own_language_is_not_marked(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(preferred_language="hu")
    action, _form = message_form(officer_client.get(change_url(complaint)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            action, {"kind": "message", "body": "Kérjük, hívjon minket hétfőn.", "language": "hu"}
        )
    officer_client.logout()
    page = track(client, complaint, "hu")
    assert re.search(r'<div lang="hu">\s*<p>Kérjük, hívjon minket hétfőn.</p>', page)
    assert "Ez az üzenet a következő nyelven íródott" not in page


def test_a_template_that_does_not_exist_is_refused(db, officer):
    complaint = ComplaintFactory()
    with pytest.raises(ComplaintError):
        complaint_message_add(
            complaint=complaint, template="closed", shared_with_complainant=True, by=officer
        )
    assert not complaint.messages.exists()
