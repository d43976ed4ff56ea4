"""A partner frames the verify widget in its own page; a job seeker checks a number in it."""

import pytest
from django.urls import reverse

from iris.models import AccreditationState

from .factories import RecruiterFactory

URL = reverse("iris:verify-widget")


@pytest.fixture
def recruiter(db):
    return RecruiterFactory(
        legal_name="Agencja Pracy Wrocław", accreditation_number="IRIS-A-000101"
    )


def test_the_widget_may_be_framed_by_another_site_and_no_other_page_may(client, db):
    widget = client.get(URL)
    assert widget.status_code == 200
    assert not widget.has_header("X-Frame-Options")
    assert "frame-ancestors https: http:" in widget["Content-Security-Policy"]
    # The rest of the policy stays as strict: no script at all.
    assert "script-src 'self'" in widget["Content-Security-Policy"]
    assert "<script" not in widget.content.decode()
    checked = client.get(URL, {"number": "IRIS-A-000101"})
    assert not checked.cookies, "a framed page on another site must need no cookie"
    page = client.get(reverse("iris:verify"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_it_checks_a_number_in_the_verify_pages_words(client, recruiter):
    page = client.get(URL, {"number": "iris a 101"}).content.decode()
    assert "IRIS-A-000101 is <strong>valid</strong> today." in page
    assert f'href="/iris/recruiters/{recruiter.slug}/?lang=en-gb" target="_blank"' in page


def test_it_says_when_a_number_is_not_valid_and_when_it_is_unknown(client, recruiter):
    recruiter.state = AccreditationState.SUSPENDED
    recruiter.save()
    page = client.get(URL, {"number": "101"}).content.decode()
    assert "IRIS-A-000101 is <strong>not</strong> valid today." in page
    unknown = client.get(URL, {"number": "IRIS-A-999999"}).content.decode()
    assert "“IRIS-A-999999” is <strong>not</strong> an accreditation number on our list." in unknown


def test_it_speaks_the_language_the_partner_asks_for(client, recruiter):
    page = client.get(URL, {"number": "IRIS-A-000101", "lang": "ro"}).content.decode()
    assert '<html lang="ro">' in page
    assert "is <strong>valid</strong> today" not in page
    assert '<input type="hidden" name="lang" value="ro">' in page


def test_an_empty_number_is_explained_beside_the_field(client, db):
    page = client.get(URL, {"number": ""}).content.decode()
    assert 'aria-invalid="true"' in page


def test_checks_count_against_the_verify_limit(client, recruiter, settings):
    settings.IRIS_VERIFY_LIMIT = (2, 600)
    codes = [client.get(URL, {"number": "101"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
