"""A complainant adds evidence to their report; an IRIS officer reads it and moves the report on."""

import pytest

from iris.models import Complaint
from tests.iris.factories import ComplaintFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fact(page, term: str) -> str:
    return page.locator(f"dt:text-is('{term}') + dd").inner_text().strip()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_complainant_adds_evidence_and_an_officer_moves_the_report_on(
    new_page, officer, assert_accessible, screenshot, sign_in, tmp_path, width
):
    complaint = ComplaintFactory(
        reference="IRIS-C-4H8M2P", preferred_language="ro", email="maria@example.org"
    )
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF)

    person = new_page()
    person.set_viewport_size({"width": width, "height": 900})
    person.goto("/iris/complaints/track/")
    person.get_by_label("Reference").fill("IRIS-C-4H8M2P")
    person.get_by_label("Tracking code").fill("ABCD-EFGH-JKMN")
    person.get_by_role("button", name="Show progress").click()
    person.get_by_role("heading", name="Your report").wait_for()
    assert fact(person, "Stage") == "Received"
    assert fact(person, "Language for our messages") == "Română"

    person.get_by_label("What you want to add").fill("They phoned me again and asked for money.")
    person.get_by_label("Evidence (optional)").set_input_files(str(letter))
    person.get_by_role("button", name="Send to IRIS").click()
    person.get_by_text("We have received what you added.").wait_for()
    assert "4H8M2P" not in person.url and "ABCD" not in person.url
    assert person.get_by_role("heading", name="Information you added").is_visible()
    assert_accessible(person)
    screenshot(person, f"iris-followup-added-{width}")

    desk = new_page()
    desk.set_viewport_size({"width": width, "height": 900})
    sign_in(desk, "officer", "officer-pass-123", f"/staff/iris/complaints/{complaint.reference}/")
    desk.get_by_text("They phoned me again and asked for money.").wait_for()
    desk.get_by_label("Under review").check()
    desk.get_by_role("button", name="Move", exact=True).click()
    desk.get_by_text("IRIS-C-4H8M2P moved to Under review.").wait_for()
    assert desk.get_by_role("heading", name="Stage: Under review").is_visible()
    screenshot(desk, f"iris-followup-officer-moved-{width}")
    complaint.refresh_from_db()
    assert complaint.stage == Complaint.Stage.UNDER_REVIEW

    # The complainant, back on their report, sees the new stage.
    person.reload()
    assert fact(person, "Stage") == "Under review"
