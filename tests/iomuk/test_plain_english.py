"""Plain English on the public pages: no sentence longer than 25 words."""

import re

import pytest

from tests.iomuk.test_meta_descriptions import TRAINING_URLS
from tests.iomuk.test_public_html import public_pages
from tests.iomuk.test_translations import get, visible
from tests.training.factories import SessionFactory

LONGEST = 25
# A sentence ends at a full stop, question or exclamation mark, or a colon before a list.
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z0-9“\"(])")


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


@pytest.fixture
def recruiter(db):
    from tests.iris.factories import RecruiterFactory

    return RecruiterFactory()


def long_sentences(html: str) -> list[str]:
    found = []
    for text in visible(html).texts:
        for sentence in SENTENCE_END.split(text):
            words = [w for w in sentence.split() if re.search(r"\w", w)]
            if len(words) > LONGEST:
                found.append(f"{len(words)}: {sentence}")
    return found


@pytest.mark.django_db
def test_no_public_sentence_is_longer_than_25_words(client, recruiter):
    session = SessionFactory()
    pages = list(public_pages(client, recruiter, "en-gb"))
    for path, _status in TRAINING_URLS:
        path = path.format(session=session.slug)
        pages.append((path, get(client, path, "en-gb").content.decode()))
    found = {name: long_sentences(html) for name, html in pages}
    assert {name: said for name, said in found.items() if said} == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "two_years", "one_year", "six_months"),
    [
        ("en-gb", "2 years", "1 year", "6 months"),
        ("cs", "2 roky", "1 rok", "6 měsíců"),
        ("ro", "2 ani", "1 an", "6 luni"),
    ],
)
def test_the_privacy_notice_says_how_long_in_years_and_months(
    client, language, two_years, one_year, six_months
):
    html = get(client, "/privacy/", language).content.decode()
    assert not re.search(r"\b(730|365|180)\b", html)
    for period in (two_years, one_year, six_months):
        assert f": {period} " in html
