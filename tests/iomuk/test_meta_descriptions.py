"""Search engines show a page's description under its title: every public page has its own,
short, in the reader's language."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from iris.models import Recruiter
from tests.iomuk.test_public_html import LANGUAGES
from tests.iomuk.test_translations import PUBLIC_URLS, get
from tests.iris.factories import RecruiterFactory
from tests.training.factories import SessionFactory
from training.models import Session

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
# The public pages of the training service, which the shared list leaves out.
TRAINING_URLS = [
    ("/training/{session}/", 200),
    ("/training/certificates/", 200),
    ("/training/request/", 200),
]


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


def descriptions(client, language) -> dict[str, str]:
    """The description of each public page (the path without its query), in `language`."""
    recruiter = Recruiter.objects.filter(slug="kosice-praca").first() or RecruiterFactory(
        legal_name="Košice Práca s.r.o.", slug="kosice-praca"
    )
    session = Session.objects.filter(slug="leeds").first() or SessionFactory(slug="leeds")
    found = {}
    for path, status in PUBLIC_URLS + TRAINING_URLS:
        path = path.format(
            slug=recruiter.slug, number=recruiter.accreditation_number, session=session.slug
        )
        response = get(client, path, language)
        assert response.status_code == status, path
        said = DESCRIPTION.findall(response.content.decode())
        assert len(said) == 1, f"{path} has {len(said)} descriptions"
        found.setdefault(urlsplit(path).path, set()).add(unescape(said[0]))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_its_own_short_description(client, language):
    pages = descriptions(client, language)
    for path, said in pages.items():
        (description,) = said  # one page, whatever it was asked, describes itself one way
        assert 50 <= len(description) < 160, f"{path}: {len(description)} characters"
    by_description = {}
    for path, (description,) in pages.items():
        by_description.setdefault(description, []).append(path)
    assert [paths for paths in by_description.values() if len(paths) > 1] == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en-gb"])
def test_each_description_is_in_the_readers_language(client, language):
    english = descriptions(client, "en-gb")
    other = descriptions(client, language)
    # The training pages are in English only (their <main> says so): so are their descriptions.
    same = sorted(
        path
        for path in english
        if english[path] == other[path] and not path.startswith("/training/")
    )
    assert same == []
