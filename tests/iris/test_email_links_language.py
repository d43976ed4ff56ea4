"""A link in an email written in Romanian opens its page in Romanian, in a browser never used here.

Each link is opened by a fresh client: no language cookie, no session, and a browser that asks
for English first, as a phone borrowed from someone else might.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from iomuk.models import OutboxMessage
from iris.complaints.services import complaint_advance
from iris.models import Complaint, RecruiterWatch
from iris.recruiters.watch import watch_confirm, watch_request, watchers_alert

from .factories import ComplaintFactory, RecruiterFactory

ROMANIAN = "Salt la conținutul principal"  # "Skip to main content", on every page


def site_links(message: OutboxMessage) -> list[str]:
    """Every link to the site in the email's text and HTML bodies, in the order they come."""
    site = re.escape(settings.SITE_URL)
    text = re.findall(rf"{site}[^\s\"<]*", message.body_text)
    html = re.findall(rf'href="({site}[^"]*)"', message.body_html)
    assert text and html, "the email has links to the site"
    return [*text, *html]


def assert_opens_in_romanian_in_a_fresh_browser(link: str) -> None:
    parts = urlsplit(link)
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    response = fresh.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200, link
    page = response.content.decode()
    assert '<html lang="ro">' in page, link
    assert ROMANIAN in page, link
    # ...and the rest of the visit stays in Romanian.
    assert '<html lang="ro">' in fresh.get("/iris/").text


@pytest.mark.django_db
def test_the_links_in_a_romanian_complainants_emails_open_romanian_pages(
    django_capture_on_commit_callbacks,
):
    complaint = ComplaintFactory(preferred_language="ro", email="maria@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage=Complaint.Stage.UNDER_REVIEW, by=None)
    news = OutboxMessage.objects.get(template="iris-complaint-update")
    for link in site_links(news):
        assert_opens_in_romanian_in_a_fresh_browser(link)


@pytest.mark.django_db
def test_the_receipt_of_a_romanian_complaint_links_to_a_romanian_tracking_page(
    client, django_capture_on_commit_callbacks
):
    page = client.get("/iris/complaints/new/").text
    data = {
        "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
        "about": "unlisted",
        "unlisted_name": "Munca Rapida SRL",
        "categories": ["fees"],
        "description": "Mi-au cerut 900 de euro.",
        "email": "plangere@example.org",
        "preferred_language": "ro",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/iris/complaints/new/", data)
    receipt = OutboxMessage.objects.get(template="iris-complaint-received")
    for link in site_links(receipt):
        assert_opens_in_romanian_in_a_fresh_browser(link)


@pytest.mark.django_db
def test_the_links_in_romanian_watch_emails_open_romanian_pages(
    private_cache, django_capture_on_commit_callbacks
):
    recruiter = RecruiterFactory()
    with django_capture_on_commit_callbacks(execute=True):
        watch_request(recruiter=recruiter, email="ion@example.org", language="ro")
    confirm = OutboxMessage.objects.get(template="iris-watch-confirm")
    for link in site_links(confirm):  # the page with the button that starts the emails
        assert_opens_in_romanian_in_a_fresh_browser(link)
    watch_confirm(token=RecruiterWatch.objects.get().token)

    with django_capture_on_commit_callbacks(execute=True):
        watchers_alert(recruiter_id=recruiter.pk, change="suspended", notice="n1")
    alert = OutboxMessage.objects.get(template="iris-watch-alert")
    links = site_links(alert)
    assert {"/iris/recruiters/", "/watch/stop/", "/watch/manage/"} <= {
        part for link in links for part in re.findall(r"/(?:iris/recruiters|watch/\w+)/", link)
    }
    for link in links:  # the recruiter's page, stop and manage (each asks before it stops)
        assert_opens_in_romanian_in_a_fresh_browser(link)


@pytest.mark.django_db
def test_a_link_without_a_language_keeps_the_visitors_own_choice(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hu"
    assert '<html lang="hu">' in client.get("/iris/complaints/track/").text
    assert '<html lang="bg">' in client.get("/iris/complaints/track/", {"lang": "bg"}).text
    assert '<html lang="bg">' in client.get("/iris/").text  # the visit goes on in Bulgarian
    # A language the site does not offer changes nothing.
    assert '<html lang="bg">' in client.get("/iris/", {"lang": "xx"}).text


@pytest.mark.django_db
def test_the_verify_widget_framed_in_a_partners_page_sets_no_language_cookie(client):
    response = client.get("/iris/widget/verify/", {"lang": "ro"})
    assert '<html lang="ro">' in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
