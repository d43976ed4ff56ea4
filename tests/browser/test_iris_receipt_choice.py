"""A complainant gives her email: by default the receipt carries the reference only; the
tracking code goes by email only if she ticks the box, and the page says which she chose."""

import re

from tests.browser.conftest import email_to
from tests.iris.factories import RecruiterFactory


def fact(page, term: str) -> str:
    return page.locator(f"dt:text-is('{term}') + dd").inner_text().strip()


def report(page, email: str, *, email_code: bool):
    page.goto("/iris/complaints/new/")
    page.get_by_label("A recruiter that is not on our list").check()
    page.get_by_label("The recruiter's name", exact=True).fill("Fast Jobs Abroad")
    page.get_by_label("Fees charged to the worker").check()
    page.get_by_label("Tell us what happened").fill("They took 900 euros and my passport.")
    page.get_by_label("Your email").fill(email)
    box = page.get_by_label("Email me the tracking code too")
    assert not box.is_checked()
    assert page.get_by_text("Only choose this if nobody else reads your email.").is_visible()
    if email_code:
        box.check()
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Report received").wait_for()
    return fact(page, "Reference"), fact(page, "Tracking code")


def test_the_receipt_carries_the_tracking_code_only_if_she_chooses_it(page):
    RecruiterFactory()
    reference, code = report(page, "ana@example.org", email_code=False)
    page.get_by_text("We have emailed you the reference only, not the tracking code.").wait_for()
    assert page.get_by_text("We have also sent them to your email.").count() == 0
    receipt = email_to("ana@example.org", "iris-complaint-received")
    assert reference in receipt.body_text and reference in receipt.body_html
    assert code not in receipt.body_text and code not in receipt.body_html

    reference, code = report(page, "ion@example.org", email_code=True)
    page.get_by_text("We have also sent them to your email.").wait_for()
    receipt = email_to("ion@example.org", "iris-complaint-received")
    assert re.search(rf"{reference}.*{code}", receipt.body_text, re.S)
    assert code in receipt.body_html
