"""Each language's catalogue chain holds no empty link, and gives every answer the whole chain
gives (iomuk/catalogues.py; issue 30)."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def chain(translation) -> list:
    links = []
    while translation is not None:
        links.append(translation)
        translation = translation._fallback
    return links


def portal_messages() -> tuple[set[str], set[str]]:
    """Every message the portal translates, and those with a plural."""
    singular, plural = set(), set()
    for mo in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.mo"):
        with mo.open("rb") as file:
            for key in gettext.GNUTranslations(file)._catalog:
                if isinstance(key, tuple):
                    plural.add(key[0])
                elif key:
                    singular.add(key)
    return singular, plural


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_in_the_chain_is_empty(language):
    links = chain(trans_real.translation(language))
    empty = [
        link
        for link in links
        if type(link) is gettext.GNUTranslations and set(link._catalog) <= {""}  # a header only
    ]
    assert empty == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_answer_is_the_one_the_whole_chain_gives(language):
    kept = trans_real.translation(language)
    whole = trans_real.DjangoTranslation(language)  # built afresh, with every link
    singular, plural = portal_messages()
    django_own = ["Log out", "This field is required.", "Enter a valid email address."]
    asked = sorted(singular) + django_own + ["A sentence no catalogue holds"]
    assert len(asked) > 500
    assert [kept.gettext(m) for m in asked] == [whole.gettext(m) for m in asked]
    for message in sorted(plural) + ["%(count)s thing no catalogue holds"]:
        for n in (0, 1, 2, 5, 21):
            assert kept.ngettext(message, message + "s", n) == whole.ngettext(
                message, message + "s", n
            )
