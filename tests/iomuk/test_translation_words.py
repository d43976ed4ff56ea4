"""The words readers of each language flagged, as they now read on the public pages."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.iomuk.test_translations import get

# Another word for "recruiter" on the home page and the IRIS pages would read as another thing.
OTHER_RECRUITER_WORDS = {
    "bg": ["агенция", "рекрутер"],
    "cs": ["agentura", "náborář"],
    "hu": ["toborzó", "ügynökség"],
    "ro": ["agenție", "agent de"],
}
RECRUITER_PAGES = ["/", "/iris/", "/iris/recruiters/", "/iris/complaints/new/", "/iris/verify/"]


def say(language: str, english: str, context: str | None = None) -> str:
    with translation.override(language):
        if context:
            return translation.pgettext(context, english)
        return translation.gettext(english)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("cs", "Máte podezření na moderní otroctví?"),
        ("hu", "Modern kori rabszolgaságra gyanakszik?"),
    ],
)
def test_the_help_banner_asks_about_a_suspicion_not_a_fear(client, language, banner):
    assert banner in get(client, "/", language).content.decode()


@pytest.mark.django_db
def test_romanian_readers_see_cursuri_de_formare_in_the_menu(client):
    assert "Cursuri de formare" in get(client, "/", "ro").content.decode()
    assert say("ro", "Done") == "Gata"


@pytest.mark.django_db
def test_bulgarian_readers_see_mom_for_iom(client):
    html = get(client, "/", "bg").content.decode()
    assert "(МОМ)" in html and "(IOM)" not in html


def test_the_bulgarian_words_mean_what_the_english_says():
    assert say("bg", "Domestic work") == "Домашен труд"
    assert say("bg", "Fees charged to the worker") == "Такси, взети от работника"
    assert say("bg", "Also trades as") == "Работи и под името"


@pytest.mark.parametrize(
    ("language", "states"),
    [
        ("bg", ["Валидна", "Спряна", "Отнета", "Изтекла"]),
        ("cs", ["Platná", "Pozastavená", "Odebraná", "Prošlá"]),
        ("ro", ["Valabilă", "Suspendată", "Retrasă", "Expirată"]),
    ],
)
def test_accreditation_states_agree_with_the_word_for_accreditation(language, states):
    assert [say(language, s) for s in ("Accredited", "Suspended", "Withdrawn", "Expired")] == states


def test_a_referral_is_an_esetatadas_in_hungarian():
    assert say("hu", "Make a referral") == "Esetátadás küldése"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bg", "cs", "hu", "ro"])
def test_one_word_for_recruiter_on_the_home_and_iris_pages(client, language):
    for path in RECRUITER_PAGES:
        html = get(client, path, language).content.decode().lower()
        for word in OTHER_RECRUITER_WORDS[language]:
            assert word not in html, (path, word)


@pytest.mark.parametrize("language", ["bg", "cs", "hu", "ro"])
def test_each_catalogue_says_which_word_it_chose_for_survivor(language):
    catalogue = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    head = catalogue.read_text().split('msgid ""')[0]
    assert '"survivor" is' in head and "legal term" in head
