"""One word for one thing in each language: a catalogue's glossary (in its header) names the
word chosen for each term and the variants rejected, and no translation uses a rejected one."""

import re

import pytest

from tests.iomuk.test_translations import (
    LANGUAGES,
    LOCALE,
    PUBLIC_SOURCES,
    _po_entries,
    get,
    visible,
)
from tests.iris.factories import RecruiterFactory

# English has no catalogue of its own, so its glossary is here: the words the source strings
# chose and the variants they must not use. Joining the IRIS alliance (a promise to keep the code
# of conduct; any organisation may join) and being accredited (IRIS has checked a recruiter
# keeps it: the standing on the list) are two ideas, each with its own word.
ENGLISH_GLOSSARY = {
    "accredited (the standing on the list)": [
        "certified",
        "certifies",
        "certify",
        "certification",
    ],
    "member of the alliance (joined IRIS)": ["IRIS member", "IRIS members"],
}
# Pages where the standing and the alliance are spoken of, in every language.
IRIS_PAGES = [
    "/",
    "/iris/",
    "/iris/join/",
    "/iris/recruiters/",
    "/iris/recruiters/?q=nothing-matches-this",
    "/iris/recruiters/{slug}/",
    "/iris/verify/?number=IRIS-A-999999",
    "/iris/complaints/new/",
]

GLOSSARY_LINE = re.compile(r"^# glossary: (?P<term>.+?) = (?P<chosen>.+?) \| (?P<rejected>.+)$")


def glossary(language: str) -> dict[str, list[str]]:
    """Each term's rejected variants, from the catalogue's header."""
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    terms = {}
    for line in po.split('msgid ""', 1)[0].splitlines():
        if match := GLOSSARY_LINE.match(line):
            terms[match["term"]] = [v.strip() for v in match["rejected"].split(";")]
    return terms


def uses(text: str, variant: str) -> bool:
    """`variant` as words of their own (so "singur" is not found in "o singură dată")."""
    return re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_has_a_glossary(language):
    assert len(glossary(language)) >= 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_uses_a_rejected_variant(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    found = [
        (term, variant, msgid[:60])
        for term, variants in glossary(language).items()
        for _refs, msgid, msgstrs, _fuzzy in _po_entries(po)
        for variant in variants
        if any(uses(msgstr, variant) for msgstr in msgstrs)
    ]
    assert found == []


def test_no_english_public_string_uses_a_rejected_variant():
    po = LOCALE / "ro" / "LC_MESSAGES" / "django.po"
    found = [
        (term, variant, msgid[:60])
        for term, variants in ENGLISH_GLOSSARY.items()
        for refs, msgid, _msgstrs, _fuzzy in _po_entries(po)
        if any(PUBLIC_SOURCES.match(ref) for ref in refs)
        for variant in variants
        if uses(msgid, variant)
    ]
    assert found == []


@pytest.mark.parametrize("language", ["en-gb", *LANGUAGES])
def test_the_iris_pages_use_one_word_for_the_standing_and_one_for_the_alliance(
    client, db, language
):
    recruiter = RecruiterFactory()
    rejected = (
        [v for variants in ENGLISH_GLOSSARY.values() for v in variants]
        if language == "en-gb"
        else [v for variants in glossary(language).values() for v in variants]
    )
    for path in IRIS_PAGES:
        text = " ".join(
            visible(get(client, path.format(slug=recruiter.slug), language).content.decode()).texts
        )
        assert [v for v in rejected if uses(text, v)] == [], path
