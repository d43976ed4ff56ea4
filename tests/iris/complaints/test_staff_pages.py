"""An IRIS officer's complaint work in the staff pages: the queue, one page per complaint with
its whole timeline, one composer, referral and matching, each act in the access log."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iomuk.models import AccessLog, OutboxMessage, User
from iris.complaints import services
from iris.models import Complaint

from ..factories import ComplaintFactory, RecruiterFactory, country

UNDER_REVIEW_RO = "Un ofițer IRIS analizează acum sesizarea dumneavoastră."
QUEUE = reverse("iris-complaints:queue")


def detail(complaint) -> str:
    return reverse("iris-complaints:detail", args=[complaint.reference])


def act(complaint, name: str) -> str:
    return reverse(f"iris-complaints:{name}", args=[complaint.reference])


def logged(complaint) -> list[tuple[str, str]]:
    rows = AccessLog.objects.filter(object_ref=complaint.reference).order_by("at", "pk")
    return [(row.username, row.action) for row in rows]


@pytest.fixture
def unlisted(db):
    return ComplaintFactory(
        recruiter=None,
        unlisted_name="Muncă Rapidă",
        unlisted_country=country("RO"),
        preferred_language="ro",
    )


# The queue


def test_the_queue_finds_a_complaint_by_reference_unlisted_name_recruiter_or_country(
    officer_client, unlisted
):
    listed = ComplaintFactory(recruiter=RecruiterFactory(legal_name="Harvest Fields Labour Ltd"))
    for typed, found in [
        (unlisted.reference.lower(), unlisted),
        ("Muncă Rapidă", unlisted),
        ("muncă", unlisted),
        ("Munca Rapida", unlisted),  # typed without its marks
        ("MUNCA rapidă", unlisted),
        ("Harvest Fields", listed),
        ("Harvset Fields", listed),  # the roster's own search forgives a slip
        ("Romania", unlisted),
        ("RO", unlisted),
    ]:
        page = officer_client.post(QUEUE, {"q": typed}, follow=True).text
        others = {unlisted.reference, listed.reference} - {found.reference}
        assert found.reference in page, typed
        assert not any(other in page for other in others), typed


def test_the_queue_filters_by_stage_matching_and_danger(officer_client, db):
    waiting = ComplaintFactory(recruiter=None, recruiter_name_given="Golden Bridge Jobs")
    danger = ComplaintFactory(in_danger=True, stage="under_review")
    page = officer_client.get(QUEUE, {"matching": "on"}).text
    assert waiting.reference in page and danger.reference not in page
    page = officer_client.get(QUEUE, {"danger": "on"}).text
    assert danger.reference in page and waiting.reference not in page
    page = officer_client.get(QUEUE, {"stage": "under_review"}).text
    assert danger.reference in page and waiting.reference not in page


def test_a_stage_nobody_offers_is_refused_and_the_other_filters_still_apply(officer_client, db):
    # An old bookmark's stage: refused beside its field, the other filters still narrow the queue.
    waiting = ComplaintFactory(recruiter=None, recruiter_name_given="Golden Bridge Jobs")
    danger = ComplaintFactory(in_danger=True, stage="under_review")
    page = officer_client.get(QUEUE, {"danger": "on", "stage": "<i>parked</i>"}).text
    assert "Select a valid choice" in page and "<i>parked</i>" not in page
    assert danger.reference in page and waiting.reference not in page


def test_the_queue_is_paginated_and_its_reading_is_logged(officer_client, db):
    ComplaintFactory.create_batch(26)
    page = officer_client.get(QUEUE).text
    assert "26 complaints" in page and "Page 1 of 2" in page
    assert AccessLog.objects.filter(action="list", object_ref="(complaint queue)").exists()


def test_staff_without_the_iris_role_get_403_and_the_public_is_sent_to_sign_in(client, db):
    complaint = ComplaintFactory()
    assert client.get(QUEUE).status_code == 302
    other = User.objects.create_user("caseworker", password="x-long-password-1", is_staff=True)
    client.force_login(other)
    assert client.get(QUEUE).status_code == 403
    assert client.get(detail(complaint)).status_code == 403
    data = {"kind": "message", "template": "under_review"}
    assert client.post(act(complaint, "compose"), data).status_code == 403
    assert client.post(act(complaint, "refer"), {"authority": "GLAA"}).status_code == 403
    assert not complaint.messages.exists()


def test_a_wrong_reference_is_a_404(officer_client, db):
    url = reverse("iris-complaints:detail", args=["IRIS-C-NOPE00"])
    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url + "write/", {"kind": "note", "body": "x"}).status_code == 404


# The complaint's page


def test_the_page_shows_one_timeline_with_notes_set_apart_from_messages(
    officer_client, officer, db
):
    complaint = ComplaintFactory(stage="under_review")
    services.complaint_message_add(
        complaint=complaint, template="under_review", shared_with_complainant=True, by=officer
    )
    services.complaint_note_add(complaint=complaint, body="Called the GLAA desk.", by=officer)
    services.complaint_addition_add(complaint=complaint, body="They phoned me again.")
    page = officer_client.get(detail(complaint)).text
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "Message to the complainant" in timeline and UNDER_REVIEW_RO in timeline
    note = re.search(r'<li class="[^"]*timeline-note[^"]*">(.*?)</li>', timeline, re.S).group(1)
    assert "Internal note" in note and "never shown to the complainant" in note
    assert "Called the GLAA desk." in note
    assert "Added by the complainant" in timeline and "They phoned me again." in timeline
    assert timeline.index(UNDER_REVIEW_RO) < timeline.index("Called the GLAA desk.")


def test_a_templated_message_goes_in_romanian_and_is_logged(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(preferred_language="ro", stage="under_review")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            act(complaint, "compose"), {"kind": "message", "template": "under_review"}
        )
    assert response.status_code == 302
    message = complaint.messages.get()
    assert message.shared_with_complainant and message.language == "ro"
    assert UNDER_REVIEW_RO in message.body
    assert OutboxMessage.objects.filter(template="iris-complaint-update").count() == 1
    assert ("officer", "message") in logged(complaint)


def test_an_internal_note_is_never_shown_or_sent_to_the_complainant(
    officer_client, client, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(act(complaint, "compose"), {"kind": "note", "body": "Seems genuine."})
    assert complaint.notes.get().body == "Seems genuine."
    assert not complaint.messages.exists()
    assert not OutboxMessage.objects.exists()
    assert ("officer", "note") in logged(complaint)
    officer_client.logout()
    data = {"reference": complaint.reference, "code": "ABCD-EFGH-JKMN"}
    page = client.post(reverse("iris:complaint-track"), data).text
    assert "Seems genuine." not in page


def test_who_reads_it_must_be_chosen_and_the_words_stay(officer_client, db):
    complaint = ComplaintFactory()
    words = "Please call us on Monday."
    page = officer_client.post(act(complaint, "compose"), {"body": words, "language": "en-gb"})
    assert "Choose whether this is sent to the complainant or kept" in page.text
    assert words in page.text
    assert not complaint.messages.exists() and not complaint.notes.exists()


def test_oversized_text_is_refused_with_a_message_and_kept(officer_client, db):
    complaint = ComplaintFactory()
    words = "word " * 1200
    page = officer_client.post(act(complaint, "compose"), {"kind": "note", "body": words}).text
    assert "Keep it to 5000 characters at most" in page
    assert words.strip()[:100] in page
    assert not complaint.notes.exists()


def test_a_stale_move_with_a_message_is_refused_plainly_and_keeps_the_message(
    officer_client, officer, db, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(stage="received")
    # A colleague moves it while this officer is writing.
    services.complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    OutboxMessage.objects.all().delete()
    words = "We have read your report and will call you."
    data = {
        "kind": "message",
        "body": words,
        "language": "en-gb",
        "from_stage": "received",
        "to_stage": "closed",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(act(complaint, "compose"), data)
    assert response.status_code == 409
    assert "was moved to Under review meanwhile" in response.text
    assert words in response.text
    complaint.refresh_from_db()
    assert complaint.stage == "under_review" and not complaint.messages.exists()
    assert not OutboxMessage.objects.exists()


def test_a_referral_moves_it_to_referred_and_is_logged(officer_client, db):
    complaint = ComplaintFactory(stage="under_review")
    data = {"authority": "GLAA", "country": "GB", "referred_on": "2026-01-05"}
    response = officer_client.post(act(complaint, "refer"), data, follow=True)
    assert "Referred</strong> to GLAA" in response.text
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.REFERRED
    assert ("officer", "refer") in logged(complaint)
    bad = officer_client.post(act(complaint, "refer"), {"authority": "", "country": "XX"})
    assert bad.status_code == 200 and "There is a problem" in bad.text


def test_matching_uses_the_roster_search_and_says_when_nothing_is_found(officer_client, unlisted):
    for n in range(12):
        RecruiterFactory(legal_name=f"Aardvark Staffing {n:02d} Ltd")
    wanted = RecruiterFactory(legal_name="Rapid Work Solutions SRL")
    page = officer_client.post(act(unlisted, "find"), {"find": "Rapdi Work"}, follow=True).text
    found = page.split('id="recruiters-found"')[1].split("</ul>")[0]
    assert "Rapid Work Solutions SRL" in found and "Aardvark" not in found
    page = officer_client.post(act(unlisted, "find"), {"find": "Zzyzx Qwerty"}, follow=True).text
    assert "No recruiter found" in page and "Aardvark" not in page
    officer_client.post(act(unlisted, "match"), {"recruiter": wanted.pk})
    unlisted.refresh_from_db()
    assert unlisted.recruiter == wanted
    assert ("officer", "match") in logged(unlisted)


def test_a_stage_move_is_logged_by_the_service(officer, db):
    complaint = ComplaintFactory()
    services.complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
    log = AccessLog.objects.get(object_ref=complaint.reference, action="stage")
    assert log.username == "officer" and log.detail == "received -> under_review"


def test_the_queue_puts_danger_then_overdue_first_and_filters_overdue(officer_client, db):
    fresh = ComplaintFactory()
    late = ComplaintFactory()  # not acknowledged after 10 days: past the 7-day clock
    acknowledged = ComplaintFactory(stage="under_review")
    danger = ComplaintFactory(in_danger=True)
    ten_days_ago = timezone.now() - timedelta(days=10)
    Complaint.objects.filter(pk__in=[late.pk, acknowledged.pk]).update(created_at=ten_days_ago)
    services.complaint_message_add(
        complaint=acknowledged, template="under_review", shared_with_complainant=True, by=None
    )
    page = officer_client.get(QUEUE).text
    order = [page.index(c.reference) for c in (danger, late, fresh)]
    assert order == sorted(order)
    page = officer_client.get(QUEUE, {"overdue": "on"}).text
    assert late.reference in page and "overdue</span>" in page
    assert not any(c.reference in page for c in (fresh, acknowledged, danger))


def test_the_complaint_page_shows_its_clocks(officer_client, db):
    complaint = ComplaintFactory()
    page = officer_client.get(detail(complaint)).text
    clocks = page.split('id="clocks"')[1].split("</dl>")[0]
    assert "Acknowledge by" in clocks and "Answer by" in clocks and "overdue" not in clocks


@pytest.mark.parametrize("params", [None, {"q": "Harvest"}, {"overdue": "on"}])
def test_the_queue_costs_the_same_queries_for_2_or_30_complaints(
    officer_client, db, params, django_assert_max_num_queries
):
    def many(n):
        for _ in range(n):
            ComplaintFactory(recruiter=RecruiterFactory(legal_name="Harvest Fields Labour Ltd"))

    many(2)
    # A search is sent by POST; the queue is then read at the address it redirects to.
    address = officer_client.post(QUEUE, params)["Location"] if params else QUEUE
    with CaptureQueriesContext(connection) as few:
        assert officer_client.get(address).status_code == 200
    many(28)
    with django_assert_max_num_queries(len(few)):
        assert officer_client.get(address).status_code == 200


def test_a_busy_complaint_page_costs_the_same_queries(
    officer_client, officer, db, django_assert_max_num_queries
):
    complaint = ComplaintFactory(stage="under_review")

    def busy(n):
        for i in range(n):
            services.complaint_note_add(complaint=complaint, body=f"Note {i}", by=officer)
            services.complaint_message_add(
                complaint=complaint, body=f"Hello {i}", shared_with_complainant=True, by=officer
            )

    busy(1)
    with CaptureQueriesContext(connection) as few:
        assert officer_client.get(detail(complaint)).status_code == 200
    busy(10)
    with django_assert_max_num_queries(len(few)):
        assert officer_client.get(detail(complaint)).status_code == 200
