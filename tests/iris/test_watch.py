"""Watching a recruiter: asked for on its page, confirmed by a link, alerted through the outbox
in the watcher's language, stopped with one click (RFC 8058)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from iomuk.models import OutboxMessage
from iomuk.retention import retention_apply
from iris.models import RecruiterWatch
from iris.recruiters import services
from iris.recruiters.watch import watchers_alert, watches_delete_unconfirmed

from .factories import ComplaintFactory, RecruiterFactory

EMAIL = "maria@example.org"


def ask_to_watch(client, recruiter, capture, email=EMAIL, language="en-gb", **headers):
    with capture(execute=True):
        return client.post(
            reverse("iris:recruiter-watch", args=[recruiter.slug]),
            {"email": email, "language": language},
            **headers,
        )


def link_in(message, name: str) -> str:
    path = reverse(f"iris:watch-{name}", args=["TOKEN"]).replace("TOKEN/", "")
    return re.search(re.escape(settings.SITE_URL + path) + r"[\w-]+/", message.body).group(0)


def local(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


@pytest.mark.parametrize(
    ("language", "asked", "suspended"),
    [
        ("en-gb", "Now check your email", "is suspended"),
        ("ro", "Acum verificați-vă e-mailul", "este suspendată"),
    ],
)
def test_a_watch_is_made_confirmed_alerted_and_stopped_in_its_language(
    client, db, django_capture_on_commit_callbacks, language, asked, suspended
):
    recruiter = RecruiterFactory(legal_name="Danube Harvest SRL")
    page = client.get(
        reverse("iris:recruiter", args=[recruiter.slug]), HTTP_ACCEPT_LANGUAGE=language
    )
    # The page offers the form once, in its own language first.
    assert page.content.decode().count('<form method="post" action="/iris/recruiters/') == 1
    assert f'<option value="{language}" selected>' in page.content.decode()

    response = ask_to_watch(
        client,
        recruiter,
        django_capture_on_commit_callbacks,
        language=language,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert asked in response.content.decode()
    (confirmation,) = mail.outbox
    assert confirmation.to == [EMAIL]
    assert "Danube" not in confirmation.subject
    confirm_url = link_in(confirmation, "confirm")

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert client.get(local(confirm_url)).status_code == 200
    assert RecruiterWatch.objects.get().confirmed_at is None
    client.post(local(confirm_url))
    assert RecruiterWatch.objects.get().confirmed_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_suspend(recruiter=recruiter, reason="Complaints under review.")
    (alert,) = mail.outbox
    assert alert.to == [EMAIL]
    assert suspended in alert.body
    assert f"/iris/recruiters/{recruiter.slug}/" in alert.body
    stop_url = link_in(alert, "stop")
    assert alert.extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert EMAIL not in stop_url

    # A mail client's one-click POST: no CSRF token, no further step.
    one_click = Client(enforce_csrf_checks=True).post(
        local(stop_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not RecruiterWatch.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_lift(recruiter=recruiter)
    assert mail.outbox == []


def test_the_page_answers_the_same_whether_the_address_already_watches(
    client, db, django_capture_on_commit_callbacks
):
    recruiter, other = RecruiterFactory(), RecruiterFactory()
    confirmed_watch(recruiter)
    first = ask_to_watch(client, other, django_capture_on_commit_callbacks)
    again = ask_to_watch(client, recruiter, django_capture_on_commit_callbacks, email=EMAIL.upper())

    def main(response):
        return re.search(r"<h1>.*?</p>", response.content.decode(), re.S).group(0)

    assert main(first).replace(other.legal_name, "") == main(again).replace(
        recruiter.legal_name, ""
    )
    assert RecruiterWatch.objects.filter(recruiter=recruiter).count() == 1
    # The address itself is told it watches already, with the link to its watches.
    assert "gets them already" in mail.outbox[-1].body
    assert "/iris/watch/manage/" in mail.outbox[-1].body


def test_five_asks_for_the_same_address_send_one_email(
    client, db, django_capture_on_commit_callbacks
):
    recruiter = RecruiterFactory()
    for _ in range(5):
        response = ask_to_watch(client, recruiter, django_capture_on_commit_callbacks)
        assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_a_wrong_address_is_asked_for_again_and_nothing_is_kept(
    client, db, django_capture_on_commit_callbacks
):
    recruiter = RecruiterFactory()
    response = ask_to_watch(client, recruiter, django_capture_on_commit_callbacks, email="maria@")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not RecruiterWatch.objects.exists()
    assert mail.outbox == []


def confirmed_watch(recruiter, email=EMAIL, language="en-gb"):
    return RecruiterWatch.objects.create(
        recruiter=recruiter, email=email, language=language, confirmed_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda r: services.recruiter_suspend(recruiter=r, reason="Fees."), "is suspended"),
        (lambda r: services.recruiter_withdraw(recruiter=r, reason="Fees."), "has been withdrawn"),
        (lambda r: services.recruiter_renew(recruiter=r, note="Audit passed."), "has been renewed"),
        (
            lambda r: (
                services.recruiter_suspend(recruiter=r, reason="Fees."),
                services.recruiter_lift(recruiter=r),
            ),
            "is valid again",
        ),
    ],
)
def test_each_change_of_standing_is_told_and_never_why(
    db, django_capture_on_commit_callbacks, change, said
):
    recruiter = RecruiterFactory(legal_name="Danube Harvest SRL")
    ComplaintFactory(recruiter=recruiter, description="They kept my passport in Leeds")
    confirmed_watch(recruiter)
    RecruiterWatch.objects.create(recruiter=recruiter, email="not-confirmed@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        change(recruiter)
    assert {m.to[0] for m in mail.outbox} == {EMAIL}
    assert said in mail.outbox[-1].body
    assert "passport" not in mail.outbox[-1].body + mail.outbox[-1].alternatives[0][0]


def test_an_accreditation_that_expires_is_told(db, django_capture_on_commit_callbacks):
    recruiter = RecruiterFactory(lapsed=True)
    confirmed_watch(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.accreditations_expire() == 1
    (alert,) = mail.outbox
    assert "has expired" in alert.body


def test_a_notice_run_twice_writes_each_alert_once(db, django_capture_on_commit_callbacks):
    recruiter = RecruiterFactory()
    for n in range(3):
        confirmed_watch(recruiter, email=f"w{n}@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        assert watchers_alert(recruiter_id=recruiter.pk, change="suspended", notice="n1") == 3
        assert watchers_alert(recruiter_id=recruiter.pk, change="suspended", notice="n1") == 0
    assert OutboxMessage.objects.filter(template="iris-watch-alert").count() == 3


def test_the_manage_page_shows_and_stops_only_that_addresses_watches(
    client, db, django_capture_on_commit_callbacks
):
    first, second, other = RecruiterFactory(), RecruiterFactory(), RecruiterFactory()
    mine = confirmed_watch(first)
    confirmed_watch(second, email=EMAIL.upper())
    confirmed_watch(other, email="someone.else@example.org")
    url = reverse("iris:watch-manage", args=[mine.token])
    page = client.get(url).content.decode()
    assert first.legal_name in page and second.legal_name in page
    assert other.legal_name not in page
    client.post(url)
    assert list(RecruiterWatch.objects.values_list("email", flat=True)) == [
        "someone.else@example.org"
    ]


def test_an_unknown_link_gets_a_plain_answer(client, db):
    assert client.post(reverse("iris:watch-confirm", args=["nope"])).status_code == 404
    assert client.get(reverse("iris:watch-manage", args=["nope"])).status_code == 404
    assert client.post(reverse("iris:watch-stop", args=["nope"])).status_code == 200


def test_an_unconfirmed_watch_is_deleted_after_seven_days(db):
    recruiter = RecruiterFactory()
    old = RecruiterWatch.objects.create(recruiter=recruiter, email="old@example.org")
    RecruiterWatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    young = RecruiterWatch.objects.create(recruiter=recruiter, email="young@example.org")
    kept = confirmed_watch(recruiter)
    RecruiterWatch.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert watches_delete_unconfirmed(dry_run=True) == [f"watch #{old.pk}"]
    assert RecruiterWatch.objects.count() == 3
    # The portal's daily retention run does it.
    assert retention_apply()["IRIS unconfirmed watches"] == [f"watch #{old.pk}"]
    assert set(RecruiterWatch.objects.values_list("pk", flat=True)) == {young.pk, kept.pk}


def test_deleting_an_unconfirmed_watch_is_in_the_access_log_like_every_retention_act(db):
    from iomuk.models import AccessLog

    old = RecruiterWatch.objects.create(recruiter=RecruiterFactory(), email="old@example.org")
    RecruiterWatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    watches_delete_unconfirmed(dry_run=True)
    assert not AccessLog.objects.exists()  # a dry run changes nothing

    retention_apply()

    entry = AccessLog.objects.get(object_type="iris.watch")
    assert (entry.action, entry.object_ref, entry.user) == ("anonymise", str(old.pk), None)
    assert entry.detail.startswith("retention: ")
    assert "old@example.org" not in entry.detail


def test_an_applicants_page_cannot_be_watched(client, db, django_capture_on_commit_callbacks):
    recruiter = RecruiterFactory(applicant=True)
    response = ask_to_watch(client, recruiter, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not RecruiterWatch.objects.exists()


def test_one_mailbox_gets_at_most_five_confirmations_whatever_the_recruiters_and_clients(
    client, db, private_cache, django_capture_on_commit_callbacks
):
    # Several people (clients) ask for the same victim, spelt with plus-addressing and in other
    # cases, to watch many recruiters.
    spellings = ["victim@example.org", "Victim+a@example.org", "VICTIM+news@Example.ORG"]
    for n, recruiter in enumerate(RecruiterFactory.create_batch(9)):
        response = ask_to_watch(
            client,
            recruiter,
            django_capture_on_commit_callbacks,
            email=spellings[n % 3],
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        assert response.status_code == 200  # the same answer for every ask
    assert len(mail.outbox) == settings.IRIS_WATCH_CONFIRM_MAILBOX_LIMIT[0] == 5
    # Another mailbox is not held up.
    ask_to_watch(
        client, RecruiterFactory(), django_capture_on_commit_callbacks, email="other@example.org"
    )
    assert mail.outbox[-1].to == ["other@example.org"]
