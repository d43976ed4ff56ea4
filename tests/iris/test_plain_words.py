"""The public pages in plain words: short steps, "list" not "roster", no block capitals."""

import re

import pytest

from tests.iris.complaints.test_complaints import form_data, submit

from .factories import RecruiterFactory
from .test_page_claims import text_of

CAPITALS = re.compile(r"\b(VALID|NOT|SUSPENDED|EXPIRED|WITHDRAWN)\b")


@pytest.mark.django_db
def test_accreditation_is_explained_in_numbered_steps(client):
    html = client.get("/iris/").content.decode()
    steps = html.split("How accreditation works")[1].split("<ol>")[1].split("</ol>")[0]
    assert steps.count("<li>") == 6
    assert (
        "A recruiter applies to join the alliance and promises to keep the code of conduct."
    ) in steps


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/iris/", "/iris/recruiters/", "/iris/complaints/new/", "/iris/verify/", "/"]
)
def test_the_public_pages_say_list_not_roster(client, path):
    assert "roster" not in text_of(client.get(path)).lower()


@pytest.mark.django_db
def test_checking_numbers_shows_no_block_capitals(client):
    listed = RecruiterFactory()
    for number in (listed.accreditation_number, "IRIS-A-999999"):
        text = text_of(client.get(f"/iris/verify/?number={number}"))
        assert not CAPITALS.search(text), number
    suspended = RecruiterFactory(state="suspended")
    page = client.get(f"/iris/recruiters/{suspended.slug}/").content.decode()
    assert "<strong>suspended</strong>" in page and not CAPITALS.search(text_of_html(page))


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_anonymity_choice_is_a_short_list(client):
    text = text_of(client.get("/iris/complaints/new/"))
    assert "You can choose to stay anonymous. If you do:" in text
    assert "we do not keep your name or contact details" in text
    assert "we cannot contact you" in text


def test_the_codes_page_starts_with_write_these_codes_down_now(
    client, db, django_capture_on_commit_callbacks
):
    text = text_of(submit(client, form_data(client), django_capture_on_commit_callbacks))
    main = text.split("Report received", 2)[2]
    assert main.lstrip().startswith("Write these codes down now.")


@pytest.mark.django_db
def test_the_join_form_lists_the_code_and_asks_for_i_agree_below_it(client):
    text = text_of(client.get("/iris/join/"))
    code = text.index("The IRIS code of conduct")
    assert code < text.index("workers keep their own passports and identity documents")
    assert text.index("workers keep their own passports") < text.index("I agree")
