"""Every public page with a form draws its forms as it did before they were made fast (issue 30).

Each page is drawn in English and in Romanian, as it opens and as it comes back with mistakes;
its forms' HTML, with the whitespace between tags left out and each visitor's own values (CSRF
token, signed opening time, one-time token) masked, must equal the copy stored in
`form_html/`, which was made from the templates before the change. A visitor sees the same
labels, boxes, errors and help, in the same order, with the same attributes.

To make the copies again after a change a visitor is meant to see:
`UPDATE_FORM_HTML=1 .venv/bin/pytest tests/iomuk/test_form_html_unchanged.py`.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from iris.complaints.services import complaint_submit
from iris.models import ComplaintCategory
from tests.iris.factories import RecruiterFactory, country, sector
from tests.training.factories import CourseFactory, SessionFactory
from training.forms import SessionFilterForm

STORED = Path(__file__).parent / "form_html"
LANGUAGES = ("en-gb", "ro")
EMPTY = {"form_started": ""}  # a form sent with every box left empty

# (name, method, path, data): each page as it opens, and as it comes back with mistakes.
PAGES = [
    ("training-list", "get", "/training/", None),
    ("training-list-errors", "get", "/training/?format=nowhere&month=1999-01", None),
    ("session", "get", "/training/snapshot-session/", None),
    ("session-errors", "post", "/training/snapshot-session/", EMPTY),
    ("adapted-request", "get", "/training/request/", None),
    ("adapted-request-errors", "post", "/training/request/", EMPTY),
    ("certificate-lookup", "get", "/training/certificates/", None),
    ("certificate-lookup-errors", "post", "/training/certificates/", {"code": "--"}),
    ("roster", "get", "/iris/recruiters/", None),
    ("roster-errors", "get", "/iris/recruiters/?country=nowhere&sector=nothing", None),
    ("recruiter", "get", "/iris/recruiters/snapshot-recruiter/", None),
    ("recruiter-errors", "post", "/iris/recruiters/snapshot-recruiter/watch/", EMPTY),
    ("verify", "get", "/iris/verify/", None),
    ("verify-errors", "post", "/iris/verify/", EMPTY),
    ("join", "get", "/iris/join/", None),
    ("join-errors", "post", "/iris/join/", EMPTY),
    ("complaint", "get", "/iris/complaints/new/", None),
    ("complaint-errors", "post", "/iris/complaints/new/", EMPTY),
    ("track", "get", "/iris/complaints/track/", None),
    ("track-errors", "post", "/iris/complaints/track/", EMPTY),
    ("tracked-report", "post", "/iris/complaints/track/", "found"),
    ("tracked-report-errors", "post", "/iris/complaints/track/report/", EMPTY),
    ("sign-in", "get", "/accounts/login/", None),
    ("sign-in-errors", "post", "/accounts/login/", EMPTY),
    ("password-reset", "get", "/accounts/password_reset/", None),
    ("password-reset-errors", "post", "/accounts/password_reset/", EMPTY),
]

# Each visitor's own values, and the months of the training filter (they move with the date).
OWN_VALUES = re.compile(r'(name="(?:csrfmiddlewaretoken|form_started|token)" value=")[^"]*"')


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


@pytest.fixture
def world(db):
    recruiter = RecruiterFactory(
        legal_name="Snapshot Recruitment SRL",
        slug="snapshot-recruiter",
        accreditation_number="IRIS-A-123456",
        hq_country=country("RO"),
        sectors=[sector("care")],
    )
    SessionFactory(
        slug="snapshot-session", course=CourseFactory(title="Spotting the signs of trafficking")
    )
    complaint, code = complaint_submit(
        recruiter=recruiter,
        categories=ComplaintCategory.objects.filter(code="fees"),
        description="They kept my passport.",
        anonymous=True,
    )
    return {"found": {"reference": complaint.reference, "code": code}}


def forms_html(html: str) -> str:
    """The page's forms, one a line, whitespace between tags left out, own values masked."""
    forms = re.findall(r"<form\b.*?</form>", html, flags=re.S)
    text = "\n".join(" ".join(form.split()) for form in forms)
    text = re.sub(r"\s*(/?>)\s*", r"\1", text)
    text = re.sub(r"\s+<", "<", text)
    text = OWN_VALUES.sub(r'\1(own)"', text)
    months = SessionFilterForm(today=timezone.localdate()).fields["month"].choices[1:]
    # Named in English, the training pages' language for every visitor.
    with translation.override(settings.LANGUAGE_CODE):
        months = [(value, str(label)) for value, label in months]
    for i, (value, label) in enumerate(months):
        text = text.replace(f'value="{value}"', f'value="(month {i})"')
        text = text.replace(f">{label}<", f">(month {i})<")
    return text.replace(str(date.today().year), "(year)") + "\n"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "method", "path", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_each_form_page_draws_the_same_forms(client, world, language, name, method, path, data):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if data == "found" or name == "tracked-report-errors":
        client.post("/iris/complaints/track/", world["found"])
    data = world["found"] if data == "found" else data
    response = client.post(path, data) if method == "post" else client.get(path)
    assert response.status_code in (200, 400), response.status_code
    drawn = forms_html(response.content.decode())
    assert "<form" in drawn, f"{name}: no form on the page"
    stored = STORED / f"{name}.{language}.html"
    if os.environ.get("UPDATE_FORM_HTML"):
        stored.write_text(drawn)
    assert drawn == stored.read_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_roster_draws_the_same_result_rows(client, world, language):
    RecruiterFactory(
        legal_name="Snapshot Suspended Ltd",
        slug="snapshot-suspended",
        accreditation_number="IRIS-A-123457",
        state="suspended",
        trading_names="Snap Jobs\nSnap Care",
        sectors=[sector("care"), sector("agriculture")],
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/iris/recruiters/?q=snapshot").content.decode()
    rows = re.findall(r'<ul class="list-unstyled roster">.*?</ul>', html, flags=re.S)
    assert len(rows) == 1
    drawn = re.sub(r"\s*(/?>)\s*", r"\1", " ".join(rows[0].split()))
    drawn = re.sub(r"\s+<", "<", drawn) + "\n"
    stored = STORED / f"roster-rows.{language}.html"
    if os.environ.get("UPDATE_FORM_HTML"):
        stored.write_text(drawn)
    assert drawn == stored.read_text()
