"""Every public page reads fully in Bulgarian, Czech, Hungarian and Romanian; staff stay English.

Each page is rendered in English and in each language; any visible text (or label a screen reader
announces) that comes out the same as in English is an unmarked string or a missing translation,
unless it is on the short allow-list of things that do not translate (numbers, names, codes).
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

LANGUAGES = ("bg", "cs", "hu", "ro")
LOCALE = Path(settings.BASE_DIR) / "locale"

# Text that is the same in every language: names, numbers, codes, and each language's own name.
ALLOWED = {
    "IOM UK",
    "IOM",
    "IRIS",
    "999",
    "English",
    "Български",
    "Čeština",
    "Magyar",
    "Română",
    "Modern Slavery & Exploitation Helpline",
    settings.HELPLINE_NUMBER,
    settings.IOM_UK_PHONE,
}
# Words that are spelt the same in one language as in English.
SAME_AS_ENGLISH = {"ro": {"Bulgaria", "Contact"}, "bg": set(), "cs": set(), "hu": set()}
# Entries only staff pages (which stay English) use; they may stay untranslated in the .po files.
STAFF_ONLY_SOURCES = (
    "templates/registration/",
    "templates/iomuk/staff_dashboard.html",
    "templates/emails/account-",
    "iomuk/forms.py:1",
    "iomuk/forms.py:2",
    "iomuk/views.py",
    "iomuk/models.py",
    "templates/training/",
    "training/",
)

# Public pages reached by URL: (path, status).
PUBLIC_URLS = [
    ("/", 200),
    ("/training/", 200),
    ("/returns/", 200),
    ("/iris/", 200),
    ("/no-such-page/", 404),
]
# Pages that only show on an error: rendered from their templates.
ERROR_TEMPLATES = ["400.html", "403.html", "429.html", "500.html"]
# Pages whose content may stay English (staff-facing training), but whose layout must translate.
ENGLISH_CONTENT_ALLOWED = {"/training/"}


class _VisibleText(HTMLParser):
    """Collects text and spoken labels in the top bar, header, help banner, <main> and footer."""

    REGIONS = ("header", "main", "footer")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.depth_in_region = 0
        self.skip = 0
        self.texts = []
        self.title = ""
        self.in_title = False
        self.html_lang = None

    def _is_region(self, tag, attrs):
        classes = (attrs.get("class") or "").split()
        return tag in self.REGIONS or "help-banner" in classes or "top-bar" in classes

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "title":
            self.in_title = True
        if tag in self.VOID:
            if self.depth_in_region:
                self._labels(attrs)
            return
        entering = self._is_region(tag, attrs) and not self.depth_in_region
        self.stack.append((tag, entering))
        if entering or self.depth_in_region:
            self.depth_in_region += 1
            self._labels(attrs)
        if tag in ("script", "style"):
            self.skip += 1

    def _labels(self, attrs):
        for name in ("aria-label", "placeholder", "alt", "title"):
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if self.depth_in_region:
                self.depth_in_region -= 1
            if open_tag in ("script", "style"):
                self.skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.depth_in_region and not self.skip:
            text = " ".join(data.split())
            if text:
                self.texts.append(text)


def visible(html: str) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(html)
    return parser


def needs_translation(text: str) -> bool:
    """False for text that is the same in every language: numbers, punctuation, allowed names."""
    if text in ALLOWED:
        return False
    words = re.sub(r"[\d\s\W_]+", " ", text).strip()
    return bool(words) and words not in ALLOWED


def untranslated(english_html: str, other_html: str, language: str) -> list[str]:
    english = visible(english_html)
    other = visible(other_html)
    same = [
        text
        for text in other.texts
        if text in set(english.texts)
        and needs_translation(text)
        and text not in SAME_AS_ENGLISH[language]
    ]
    title = " ".join(other.title.split())
    if title == " ".join(english.title.split()):
        same.append(f"<title>{title}")
    return same


def _without_main(html: str) -> str:
    return re.sub(r"<main.*</main>", "", html, flags=re.S)


def get(client, path: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "status"), PUBLIC_URLS)
def test_each_public_page_is_fully_translated(client, path, status, language):
    english = get(client, path, "en-gb")
    response = get(client, path, language)
    assert response.status_code == status
    html = response.content.decode()
    assert visible(html).html_lang == language
    english_html = english.content.decode()
    if path in ENGLISH_CONTENT_ALLOWED:
        english_html, html = _without_main(english_html), _without_main(html)
    leftovers = untranslated(english_html, html, language)
    assert leftovers == [], f"{path} in {language} still shows English: {leftovers}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", ERROR_TEMPLATES)
def test_each_error_page_is_fully_translated(template, language):
    request = RequestFactory().get("/")
    request.user = User()
    with translation.override("en-gb"):
        english = render_to_string(template, request=request)
    with translation.override(language):
        html = render_to_string(template, request=request)
    assert visible(html).html_lang == language
    assert untranslated(english, html, language) == []


@pytest.mark.django_db
def test_the_language_switcher_is_remembered_for_the_visit(client):
    response = client.post("/i18n/setlang/", {"language": "hu", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="hu">' in html
    assert "Együtt az emberkereskedelem" in html
    assert '<html lang="hu">' in client.get("/").content.decode()
    for name in ("Български", "Čeština", "Magyar", "Română", "English"):
        assert name in html
    back = client.post("/i18n/setlang/", {"language": "en-gb", "next": "/iris/"}, follow=True)
    assert '<html lang="en-gb">' in back.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_staff_pages_stay_english_whatever_language_was_chosen(client, path):
    response = get(client, path, "ro")
    html = response.content.decode()
    assert response.status_code == 200
    assert visible(html).html_lang in ("en-gb", "en")
    assert "Deconectare" not in html
    assert "Autentificare personal" not in html


@pytest.mark.django_db
def test_the_staff_workspace_stays_english_for_a_staff_member_who_chose_romanian(client):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("coord", password="a-long-password-1")
    user.groups.add(Group.objects.get(name="Training coordinators"))
    client.force_login(user)
    html = get(client, "/staff/", "ro").content.decode()
    assert '<html lang="en-gb">' in html
    assert "Sign out" in html
    # ...and the public portal still follows their choice.
    assert '<html lang="ro">' in get(client, "/", "ro").content.decode()


def _po_entries(path: Path):
    """(references, msgid, msgstrs, fuzzy) for each entry of a .po file."""
    entries, refs, flags, fields, key = [], [], [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#:"):
            if "msgid" in fields:
                entries.append((refs, fields, flags))
                refs, flags, fields = [], [], {}
            refs += line[2:].split()
        elif line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",")]
        elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
            if match.group(1) == "msgid" and "msgid" in fields and "msgstr" in str(fields):
                entries.append((refs, fields, flags))
                refs, flags, fields = [], [], {}
            key = match.group(1)
            fields[key] = match.group(2)
        elif line.startswith('"') and key:
            fields[key] += line[1:-1]
        elif not line.strip() and fields:
            entries.append((refs, fields, flags))
            refs, flags, fields, key = [], [], {}, None
    return [
        (refs, f["msgid"], [v for k, v in f.items() if k.startswith("msgstr")], "fuzzy" in flags)
        for refs, f, flags in entries
        if f.get("msgid")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_message_is_missing_or_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po)
    assert len(entries) > 50
    fuzzy = [msgid for _, msgid, _, is_fuzzy in entries if is_fuzzy]
    missing = [
        msgid
        for refs, msgid, msgstrs, _ in entries
        if not all(msgstrs) and not all(ref.startswith(STAFF_ONLY_SOURCES) for ref in refs)
    ]
    assert fuzzy == []
    assert missing == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs gettext's msgfmt")
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_file_compiles_cleanly_and_keeps_its_placeholders(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/staff/", "en-gb"),
        ("/admin/", "en-gb"),
        ("/accounts/login/", "en-gb"),
        ("/returns/cases/", "en-gb"),
        ("/returns/cases/RT-ABC123/", "en-gb"),
        ("/returns/referrals/new/", "en-gb"),
        ("/training/first-aid-for-trafficking/attendance/", "en-gb"),
        ("/returns/", "ro"),
        ("/iris/", "ro"),
        ("/iris/complaints/new/", "ro"),
        ("/training/", "ro"),
    ],
)
def test_only_staff_paths_are_forced_into_english(path, expected):
    from iomuk.middleware import StaffPagesInEnglishMiddleware

    seen = {}

    def view(request):
        seen["language"] = translation.get_language()
        return None

    with translation.override("ro"):
        StaffPagesInEnglishMiddleware(view)(RequestFactory().get(path))
    assert seen["language"] == expected
