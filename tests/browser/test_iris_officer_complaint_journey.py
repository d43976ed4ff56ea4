"""Issue 25's "done when": an IRIS officer runs a complaint from the staff pages, never the admin.

She finds it by the unlisted recruiter's name, matches it to a listed recruiter found with a
typo, writes to the complainant in Romanian with a ready-made message, keeps an internal note,
and refers it. The complainant sees the message and not the note; the access log holds each act.
"""

import re

from iomuk.models import AccessLog, OutboxMessage
from iris.complaints.services import complaint_submit
from iris.models import Complaint
from tests.iris.factories import RecruiterFactory, country

NOTE = "Spoke to the labour inspectorate: they know this agency already."
UNDER_REVIEW_RO = "Un ofițer IRIS analizează acum sesizarea dumneavoastră."


def test_an_officer_runs_a_complaint_from_the_staff_pages(
    new_page, officer, sign_in, assert_accessible, screenshot
):
    listed = RecruiterFactory(legal_name="Rapid Work Solutions SRL", hq_country=country("RO"))
    complaint, code = complaint_submit(
        unlisted_name="Muncă Rapidă",
        unlisted_country=country("RO"),
        categories=[],
        description="They took my passport and 900 euros.",
        email="ion@example.org",
        preferred_language="ro",
        consent_to_referral=True,
    )
    OutboxMessage.objects.all().delete()  # the receipt: only the officer's news counts here

    desk = new_page()
    opened = []
    desk.on("request", lambda request: opened.append(request.url))
    sign_in(desk, "officer", "officer-pass-123", "/staff/")

    # The staff workspace leads to the queue; the unlisted name finds the complaint.
    desk.get_by_role("link", name="The complaint queue").click()
    desk.get_by_label("Search").fill("munca rapida")  # as a person types it, marks left off
    desk.get_by_role("button", name="Find", exact=True).click()
    desk.get_by_role("link", name=complaint.reference).click()
    desk.get_by_role("heading", name=f"Complaint {complaint.reference}").wait_for()

    # Matched to the listed recruiter, found with a typo through the roster's own search.
    desk.get_by_label("A name (typos forgiven)").fill("Rapdi Work")
    desk.get_by_role("button", name="Find a recruiter").click()
    desk.get_by_role("button", name="Link to this recruiter Rapid Work Solutions SRL").click()
    desk.get_by_text("Linked to Rapid Work Solutions SRL.").wait_for()

    # A ready-made message, sent in Romanian, with the move to "under review".
    desk.get_by_label("Sent to the complainant").check()
    desk.get_by_label("An IRIS officer is now looking into your report", exact=False).check()
    desk.get_by_label("Also move it to").select_option("under_review")
    desk.get_by_role("button", name="Save").click()
    desk.get_by_text("Message sent in Romanian").wait_for()

    # An internal note: officers only, and no news for the complainant.
    news = OutboxMessage.objects.filter(template="iris-complaint-update")
    told_before_the_note = news.count()
    desk.get_by_label("Internal note").check()
    desk.get_by_label("Your own words", exact=True).fill(NOTE)
    desk.get_by_role("button", name="Save").click()
    desk.get_by_text("Internal note added.").wait_for()
    assert desk.locator(".timeline-note", has_text=NOTE).is_visible()
    assert news.count() == told_before_the_note

    # Referred to an authority: the complaint is at "referred".
    desk.get_by_label(re.compile(r"Authority")).fill("Inspectoratul Teritorial de Muncă")
    desk.get_by_label(re.compile(r"Its country")).select_option("RO")
    desk.get_by_role("button", name="Record the referral").click()
    desk.get_by_text("Referral recorded").wait_for()
    assert desk.locator("#stage").inner_text() == "Referred to an authority"
    assert_accessible(desk)
    screenshot(desk, "iris-officer-complaint-page")
    assert not [url for url in opened if "/admin/" in url]
    # Both searches were sent by POST: neither the name typed nor the agent's is in an address.
    assert not [url for url in opened if re.search(r"munca|rapdi", url, re.IGNORECASE)]

    complaint.refresh_from_db()
    assert complaint.recruiter == listed and complaint.stage == Complaint.Stage.REFERRED

    # The complainant sees the message, in Romanian, and not the note.
    person = new_page()
    person.goto("/iris/complaints/track/")
    person.get_by_label("Reference").fill(complaint.reference)
    person.get_by_label("Tracking code").fill(code)
    person.get_by_role("button", name="Show progress").click()
    person.get_by_role("heading", name="Your report").wait_for()
    person.get_by_text(UNDER_REVIEW_RO).wait_for()
    assert NOTE not in person.content()

    # Each act is in the access log under the officer's name.
    acts = set(
        AccessLog.objects.filter(object_ref=complaint.reference, username="officer").values_list(
            "action", flat=True
        )
    )
    assert {"match", "message", "stage", "note", "refer"} <= acts
    # News emails: the note sent none; each act that tells the complainant asked for one. The
    # one-email-per-burst rule (issue 25, item 3) is another change's: with it, this is 1.
    assert news.exists() and all(m.to == "ion@example.org" for m in news)
    assert news.count() == 1  # a stage move and a message within minutes: one email
