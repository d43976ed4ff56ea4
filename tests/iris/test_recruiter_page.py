from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from iris.models import AccreditationState, Sector
from iris.recruiters.choices import collation_key

from .factories import RecruiterFactory, country, sector


def page_of(client, recruiter, name="iris:recruiter"):
    return client.get(reverse(name, args=[recruiter.slug]))


def test_it_shows_the_accreditation_countries_sectors_and_how_to_report(client, db):
    recruiter = RecruiterFactory(legal_name="Harvest Fields Labour Ltd", trading_names="HFL")
    recruiter.sectors.set([sector("agriculture")])
    recruiter.operations.create(country=country("UZ"), kind="origin")
    recruiter.operations.create(country=country("GB"), kind="destination")
    response = page_of(client, recruiter)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accredited" in page
    assert recruiter.accreditation_number in page
    assert recruiter.valid_until.strftime("%-d %B %Y") in page
    assert "Uzbekistan" in page and "United Kingdom" in page and "Agriculture" in page
    assert "HFL" in page
    assert f"?recruiter={recruiter.slug}" in page  # report this recruiter


@pytest.mark.parametrize("language", ["en-gb", "ro", "cs"])
def test_the_facts_name_its_countries_and_sectors_in_the_readers_order(client, db, language):
    """The countries it recruits from and places in, each in the order of their names in the
    reader's language (as the country lists offer them), and its sectors in the sectors' order;
    another recruiter's rows are not this one's."""
    recruiter = RecruiterFactory()
    recruiter.sectors.set([sector("construction"), sector("care"), sector("agriculture")])
    for code in ["UZ", "RO", "MD"]:
        recruiter.operations.create(country=country(code), kind="origin")
    for code in ["GB", "IE", "AT"]:
        recruiter.operations.create(country=country(code), kind="destination")
    other = RecruiterFactory()
    other.sectors.set([sector("hospitality")])
    other.operations.create(country=country("PL"), kind="origin")
    url = reverse("iris:recruiter", args=[recruiter.slug])
    page = client.get(url, headers={"accept-language": language}).content.decode()
    with translation.override(language):
        facts = {
            kind: ", ".join(sorted((str(country(code)) for code in codes), key=collation_key))
            for kind, codes in [("origin", ["UZ", "RO", "MD"]), ("destination", ["GB", "IE", "AT"])]
        }
        facts["sectors"] = ", ".join(
            str(each)
            for each in Sector.objects.filter(code__in=["construction", "care", "agriculture"])
        )
    for names in facts.values():
        assert f'<dd class="col-sm-8">{escape(names)}</dd>' in page
    assert not any(name in page for name in ["Poland", "Polonia", "Polsko"])


def test_a_recruiter_with_no_countries_or_sectors_shows_a_dash(client, db):
    page = page_of(client, RecruiterFactory()).content.decode()
    assert page.count('<dd class="col-sm-8">—</dd>') == 3


def test_an_accreditation_past_its_date_shows_as_expired(client, db):
    recruiter = RecruiterFactory(lapsed=True)
    page = page_of(client, recruiter).content.decode()
    assert "<strong>expired</strong>" in page
    assert "The recruiter is not accredited now." in page


def test_a_suspended_recruiter_is_marked_suspended(client, db):
    page = page_of(client, RecruiterFactory(state=AccreditationState.SUSPENDED)).content.decode()
    assert "<strong>suspended</strong>" in page


def test_a_withdrawn_recruiter_says_it_is_no_longer_accredited_here(client, db):
    recruiter = RecruiterFactory(state=AccreditationState.WITHDRAWN)
    page = page_of(client, recruiter).content.decode()
    assert "<strong>withdrawn</strong>" in page
    assert "It is no longer accredited through this service." in page


@pytest.mark.parametrize("slug", ["no-such-recruiter", "x" * 300])
def test_an_unknown_slug_is_a_plain_404(client, db, slug):
    response = client.get(f"/iris/recruiters/{slug}/")
    assert response.status_code == 404


def test_an_applicant_has_no_public_page(client, db):
    assert page_of(client, RecruiterFactory(applicant=True)).status_code == 404
    assert (
        page_of(client, RecruiterFactory(applicant=True), "iris:recruiter-proof").status_code == 404
    )


def test_the_proof_of_check_shows_the_date_and_time_in_london(client, db, monkeypatch):
    recruiter = RecruiterFactory(legal_name="Sofia Fair Labour OOD")
    # 12:30 UTC in July is 13:30 in London (British Summer Time).
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    )
    recruiter.valid_until = datetime(2026, 12, 31).date()
    recruiter.granted_on = datetime(2026, 1, 1).date()
    recruiter.save()
    page = page_of(client, recruiter, "iris:recruiter-proof").content.decode()
    assert "Checked on 1 July 2026, 13:30 (UK time)" in page
    assert "Sofia Fair Labour OOD" in page
    assert "/static/iris/iris." in page  # the print styles
    assert f"/iris/recruiters/{recruiter.slug}/" in page


def test_script_in_a_trading_name_is_shown_as_text(client, db):
    recruiter = RecruiterFactory(trading_names='<img src=x onerror="alert(1)">')
    page = page_of(client, recruiter).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page
