"""One word for one thing in each language: a catalogue's glossary (in its header) names the
word chosen for each term and the variants rejected, and no translation uses a rejected one."""

import re

import pytest

from tests.iomuk.test_translations import LANGUAGES, LOCALE, _po_entries

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
