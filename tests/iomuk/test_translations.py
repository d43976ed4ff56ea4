"""Every public page reads fully in Bulgarian, Czech, Hungarian and Romanian; staff stay English.

Each page is rendered in English and in each language; any visible text (or label a screen reader
announces) that comes out the same as in English is an unmarked string or a missing translation,
unless it is on the short allow-list of things that do not translate (numbers, names, codes).
"""

import functools
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from iomuk.models import User

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
    settings.CONTACT_EMAIL,
    # The cookies page names each cookie as the browser shows it.
    settings.LANGUAGE_COOKIE_NAME,
    settings.CSRF_COOKIE_NAME,
    settings.SESSION_COOKIE_NAME,
    "messages",
}
# Words that are spelt the same in one language as in English.
SAME_AS_ENGLISH = {"ro": {"Bulgaria", "Contact"}, "bg": set(), "cs": set(), "hu": set()}


def _countries_named_as_in_english(language: str) -> set[str]:
    """Country names (django-countries, ISO 3166) spelt in `language` as in English: Angola."""
    from django_countries import countries

    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    with translation.override(language):
        return {english[code] for code, name in countries if str(name) == english[code]}


for _language, _same in SAME_AS_ENGLISH.items():
    _same |= _countries_named_as_in_english(_language)
# Catalogue entries the public pages, and a complainant's or applicant's emails, use: each must be
# translated. (Staff pages stay English; training content may stay English but is still marked.)
PUBLIC_SOURCES = re.compile(
    r"^(templates/(base\.html|includes/|iomuk/home\.html|returns/index\.html|\d{3}\.html)"
    r"|templates/iris/(?!admin_)"
    r"|templates/emails/iris-(?!urgent)"
    r"|iris/(forms|models|views|services|selectors|officer_messages)\.py"
    r"|iris/migrations/0002_"
    r"|iomuk/(settings|context_processors)\.py"
    r"|iomuk/forms\.py:(8|9)\d)"
)

# Public pages reached by URL: (path, status). "{slug}" is a recruiter made for the test.
PUBLIC_URLS = [
    ("/", 200),
    ("/training/", 200),
    ("/returns/", 200),
    ("/iris/", 200),
    ("/iris/recruiters/", 200),
    ("/iris/recruiters/?q=nothing-matches-this", 200),
    ("/iris/recruiters/{slug}/", 200),
    ("/iris/recruiters/{slug}/proof/", 200),
    ("/iris/watch/confirm/unknown-token/", 200),
    ("/iris/watch/stop/unknown-token/", 200),
    ("/iris/watch/manage/unknown-token/", 404),
    ("/iris/verify/", 200),
    ("/iris/verify/?number={number}", 200),
    ("/iris/verify/?number=IRIS-A-999999", 200),
    ("/iris/widget/verify/?number={number}", 200),
    ("/iris/widget/verify/?number=IRIS-A-999999", 200),
    ("/iris/check/", 200),
    ("/iris/widget/check/?contact=%2B40799999999", 200),
    ("/iris/widget/check/?contact=Vasile+Impostorescu", 200),
    ("/iris/join/", 200),
    ("/iris/complaints/new/", 200),
    ("/iris/complaints/submitted/", 200),
    ("/iris/complaints/track/", 200),
    ("/privacy/", 200),
    ("/accessibility/", 200),
    ("/cookies/", 200),
    ("/cover-your-tracks/", 200),
    ("/no-such-page/", 404),
]
# Pages that only show on an error: rendered from their templates.
ERROR_TEMPLATES = ["400.html", "403.html", "429.html", "500.html", "503.html"]
# Pages whose content may stay English (staff-facing training), but whose layout must translate.
ENGLISH_CONTENT_ALLOWED = {"/training/"}


class _VisibleText(HTMLParser):
    """Collects text and spoken labels in the quick exit, top bar, header, help banner, <main>
    and footer."""

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
        regions = ("help-banner", "top-bar", "quick-exit")
        return tag in self.REGIONS or any(region in classes for region in regions)

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
    """False for text that is the same in every language: numbers, punctuation, allowed names,
    and a letter on its own (the index letters of the join form's country lists)."""
    if text in ALLOWED:
        return False
    words = re.sub(r"[\d\s\W_]+", " ", text).strip()
    return len(words) > 1 and words not in ALLOWED


def untranslated(
    english_html: str,
    other_html: str,
    language: str,
    *,
    title: bool = True,
    names: frozenset[str] = frozenset(),
) -> list[str]:
    """Text the page shows in English although a translation was asked for.

    `names` are things of the test's own making (a recruiter's name, a number) that never change.
    """
    english = visible(english_html)
    other = visible(other_html)
    same = [
        text
        for text in other.texts
        if text in set(english.texts)
        and needs_translation(text)
        and text not in SAME_AS_ENGLISH[language]
        and text not in _spelt_as_in_english(language)
        and text not in names
    ]
    other_title = " ".join(other.title.split())
    same_title = other_title == " ".join(english.title.split())
    if title and same_title and other_title.removesuffix(" – IOM UK") not in names:
        same.append(f"<title>{other_title}")
    return same


def catalogue_english(html: str, language: str) -> list[str]:
    """Visible text that is a catalogue msgid whose translation differs: a string left unmarked
    in one place, or rendered outside the language asked for."""
    translated = _translated_msgids(language)
    return [text for text in visible(html).texts if text in translated]


@functools.cache
def _spelt_as_in_english(language: str) -> frozenset[str]:
    """Catalogue entries a translator wrote the same as English on purpose ("Nepal", "Kenya")."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    return frozenset(msgid for _, msgid, msgstrs, _ in _po_entries(po) if msgstrs == [msgid])


@functools.cache
def _translations(language: str) -> frozenset[str]:
    """Every translated text in a catalogue that differs from its English."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    return frozenset(
        msgstr
        for _, msgid, msgstrs, _ in _po_entries(po)
        for msgstr in msgstrs
        if msgstr and msgstr != msgid and needs_translation(msgstr)
    )


@functools.cache
def _translated_msgids(language: str) -> set[str]:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    return {
        msgid.replace('\\"', '"')
        for _, msgid, msgstrs, _ in _po_entries(po)
        if all(msgstrs)
        and msgid not in msgstrs
        and needs_translation(msgid)
        and msgid not in SAME_AS_ENGLISH[language]
    }


def _without_main(html: str) -> str:
    return re.sub(r"<main.*</main>", "", html, flags=re.S)


def get(client, path: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path)


@pytest.fixture
def recruiter(db):
    from tests.iris.factories import RecruiterFactory, country, sector

    made = RecruiterFactory(
        legal_name="Munkaerő Partner Kft.",
        slug="munkaero-partner",
        hq_country=country("HU"),
        sectors=[sector("agriculture"), sector("care")],
    )
    made.operations.create(country=country("RO"), kind="origin")
    made.operations.create(country=country("GB"), kind="destination")
    return made


@pytest.fixture(autouse=True)
def _own_throttle_counts(private_cache):
    """Per-address counters of this test's own."""


def _names(recruiter) -> frozenset[str]:
    return frozenset({recruiter.legal_name, recruiter.accreditation_number})


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "status"), PUBLIC_URLS)
def test_each_public_page_is_fully_translated(client, recruiter, path, status, language):
    path = path.format(slug=recruiter.slug, number=recruiter.accreditation_number)
    english = get(client, path, "en-gb")
    response = get(client, path, language)
    assert response.status_code == status
    html = response.content.decode()
    assert visible(html).html_lang == language
    english_html = english.content.decode()
    english_content = path in ENGLISH_CONTENT_ALLOWED
    if english_content:
        english_html, html = _without_main(english_html), _without_main(html)
    leftovers = untranslated(
        english_html, html, language, title=not english_content, names=_names(recruiter)
    )
    assert leftovers == [], f"{path} in {language} still shows English: {leftovers}"
    assert catalogue_english(html, language) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", ["suspended", "withdrawn", "lapsed"])
def test_a_recruiter_in_trouble_is_explained_in_each_language(client, language, state):
    from tests.iris.factories import RecruiterFactory

    made = RecruiterFactory(lapsed=True) if state == "lapsed" else RecruiterFactory(state=state)
    for path in (
        f"/iris/verify/?number={made.accreditation_number}",
        f"/iris/recruiters/{made.slug}/",
    ):
        english = get(client, path, "en-gb").content.decode()
        response = get(client, path, language)
        if response.status_code == 404:  # withdrawn: no public page, but the number is checked
            continue
        leftovers = untranslated(english, response.content.decode(), language, names=_names(made))
        assert leftovers == [], f"{path} in {language} still shows English: {leftovers}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_following_a_report_shows_its_progress_in_each_language(client, language):
    from tests.iris.factories import ComplaintFactory

    complaint = ComplaintFactory()
    data = {"reference": complaint.reference, "code": "ABCD-EFGH-JKMN"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = client.post("/iris/complaints/track/", data).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post("/iris/complaints/track/", data).content.decode()
    assert complaint.reference in html
    names = frozenset({complaint.reference})
    assert untranslated(english, html, language, names=names) == []
    assert catalogue_english(html, language) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_with_mistakes_explains_them_in_each_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = client.post("/iris/complaints/new/", {}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post("/iris/complaints/new/", {}).content.decode()
    assert untranslated(english, html, language) == []
    assert catalogue_english(html, language) == []


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
    response = client.get("/i18n/setlang/", {"language": "hu", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="hu">' in html
    assert "Együtt az emberkereskedelem" in html
    assert '<html lang="hu">' in client.get("/").content.decode()
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # forgotten when the browser closes
    back = client.get("/i18n/setlang/", {"language": "en-gb", "next": "/iris/"}, follow=True)
    assert back.redirect_chain == [("/iris/", 302)]
    assert '<html lang="en-gb">' in back.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_is_plain_links_named_in_their_own_language(client):
    html = get(client, "/iris/recruiters/", "ro").content.decode()
    others = [("bg", "Български"), ("cs", "Čeština"), ("hu", "Magyar"), ("en-gb", "English")]
    for code, name in others:
        assert (
            f'href="/i18n/setlang/?language={code}&amp;next=/iris/recruiters/" '
            f'lang="{code}" hreflang="{code}">{name}</a>'
        ) in html
    assert '<span class="fw-bold" lang="ro" aria-current="true">Română</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/returns/", "/iris/", "/iris/recruiters/"])
def test_a_public_page_sets_no_csrf_cookie_so_it_can_be_cached(client, path):
    response = get(client, path, "bg")
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "iris"],
)
def test_the_language_switcher_goes_home_rather_than_off_the_site(client, next_url):
    response = client.get("/i18n/setlang/", {"language": "ro", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_language_switcher_ignores_an_unknown_language_and_refuses_post(client):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "/iris/"})
    assert response["Location"] == "/iris/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.post("/i18n/setlang/", {"language": "ro", "next": "/"}).status_code == 405


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
    assert len(entries) > 300
    fuzzy = [msgid for _, msgid, _, is_fuzzy in entries if is_fuzzy]
    missing = [
        msgid
        for refs, msgid, msgstrs, _ in entries
        if not all(msgstrs) and any(PUBLIC_SOURCES.match(ref) for ref in refs)
    ]
    assert fuzzy == []
    assert missing == []


def test_the_public_pages_and_their_emails_are_in_the_catalogue():
    """A template nobody ran makemessages for would pass the test above with nothing in it."""
    po = LOCALE / "ro" / "LC_MESSAGES" / "django.po"
    sources = {ref.rsplit(":", 1)[0] for refs, *_ in _po_entries(po) for ref in refs}
    public_templates = {
        str(path.relative_to(settings.BASE_DIR))
        for pattern in ("iris/*.html", "emails/iris-*", "iomuk/home.html", "returns/index.html")
        for path in (Path(settings.BASE_DIR) / "templates").glob(pattern)
        if "{% translate" in path.read_text() or "{% blocktranslate" in path.read_text()
    }
    assert len(public_templates) > 30
    assert public_templates - sources == set()


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


@pytest.fixture
def staff_member(db):
    from django.contrib.auth.models import Group

    from iomuk import roles

    user = User.objects.create_user(
        "all-roles", password="a-long-password-1", is_staff=True, is_superuser=True
    )
    user.groups.add(*Group.objects.filter(name__in=roles.STAFF))
    return user


@pytest.mark.django_db
def test_every_staff_page_stays_english_for_staff_who_chose_another_language(client, staff_member):
    from datetime import timedelta

    from django.utils import timezone

    from tests.iris.factories import ComplaintFactory
    from tests.returns.factories import ReturnCaseFactory
    from tests.training.factories import SessionFactory

    case = ReturnCaseFactory(referred_by=staff_member)
    starts = timezone.now() - timedelta(days=1)
    session = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    complaint = ComplaintFactory()
    client.force_login(staff_member)
    pages = [
        "/staff/",
        "/admin/",
        f"/admin/iris/complaint/{complaint.pk}/change/",
        "/staff/iris/complaints/",
        f"/staff/iris/complaints/{complaint.reference}/",
        "/returns/cases/",
        f"/returns/cases/{case.reference}/",
        "/returns/referrals/new/",
        "/returns/referrals/",
        f"/training/{session.slug}/attendance/",
    ]
    for path in pages:
        response = get(client, path, "ro")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert visible(html).html_lang == "en-gb", path
        romanian = set(visible(html).texts) & _translations("ro")
        assert romanian == set(), path
        assert "Sign out" in html or "Log out" in html, path  # ours, or the admin's
    # The attendance list a coordinator downloads has English headings too.
    csv = get(client, f"/training/{session.slug}/attendees.csv", "ro")
    assert csv.content == get(client, f"/training/{session.slug}/attendees.csv", "en-gb").content


def _complain(client, language_of_page: str, preferred_language: str, **overrides):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language_of_page
    page = client.get("/iris/complaints/new/").content.decode()
    data = {
        "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
        "about": "unlisted",
        "unlisted_name": "Munca Rapida SRL",
        "unlisted_country": "RO",
        "categories": ["fees"],
        "recruitment_country": "RO",
        "destination_country": "GB",
        "description": "Mi-au cerut 900 de euro pentru un loc de muncă.",
        "email": "plangere@example.org",
        "preferred_language": preferred_language,
        "consent_to_referral": "on",
        **overrides,
    }
    return client.post("/iris/complaints/new/", data, follow=True)


@pytest.mark.django_db
def test_a_complaint_filed_in_romanian_is_acknowledged_in_romanian(
    client, django_capture_on_commit_callbacks
):
    from iomuk.models import OutboxMessage
    from iris.models import Complaint

    with django_capture_on_commit_callbacks(execute=True):
        response = _complain(client, "ro", "ro", in_danger="on", email_code="on")
    assert '<html lang="ro">' in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.preferred_language == "ro"
    acknowledgement = OutboxMessage.objects.get(template="iris-complaint-received")
    # Whoever sees the inbox reads only a neutral subject, in her language.
    assert acknowledgement.subject == "Un mesaj de la IOM UK"
    assert "Vă mulțumim pentru sesizare." in acknowledgement.body_text
    assert f"Număr de referință: {complaint.reference}" in acknowledgement.body_text
    assert "Cod de urmărire:" in acknowledgement.body_html
    assert "Thank you" not in acknowledgement.body_text + acknowledgement.body_html
    # ...and the alert to IRIS officers stays in English.
    alert = OutboxMessage.objects.get(template="iris-urgent")
    assert alert.subject.startswith("URGENT:")


@pytest.mark.django_db
def test_a_complainant_can_choose_the_language_of_their_emails(
    client, django_capture_on_commit_callbacks
):
    from iomuk.models import OutboxMessage
    from iris.complaints.services import complaint_advance
    from iris.models import Complaint

    with django_capture_on_commit_callbacks(execute=True):
        _complain(client, "en-gb", "hu")
    acknowledgement = OutboxMessage.objects.get()
    assert acknowledgement.subject == "Üzenet az IOM UK-tól"
    assert acknowledgement.body_text.startswith("Köszönjük bejelentését.")
    # A later update, sent from an officer's English session, keeps the complainant's language.
    complaint = Complaint.objects.get()
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        complaint_advance(complaint=complaint, to_stage=Complaint.Stage.UNDER_REVIEW, by=None)
    update = OutboxMessage.objects.get(template="iris-complaint-update")
    assert update.subject == "Üzenet az IOM UK-tól"
    assert "Az Ön biztonsága érdekében" in update.body_text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_application_to_join_is_confirmed_in_the_language_it_was_made_in(
    client, language, django_capture_on_commit_callbacks
):
    from iomuk.models import OutboxMessage

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = {
        "organisation_name": "Agenția Muncă Cinstită",
        "organisation_type": "recruiter",
        "hq_country": "RO",
        "contact_name": "Ana Pop",
        "contact_email": "ana@example.org",
        "commits_to_code": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/iris/join/", data)
    assert response.status_code == 200
    message = OutboxMessage.objects.get()
    with translation.override(language):
        expected = translation.gettext("A message from IOM UK")
        welcome = translation.gettext("Thank you for applying to join the IRIS alliance.")
    assert message.subject == expected != "A message from IOM UK"
    assert message.body_text.startswith(welcome)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", *LANGUAGES])
def test_the_language_for_emails_is_offered_in_each_languages_own_words(client, language):
    html = get(client, "/iris/complaints/new/", language).content.decode()
    for code, name in [
        ("en-gb", "English"),
        ("bg", "Български"),
        ("cs", "Čeština"),
        ("hu", "Magyar"),
        ("ro", "Română"),
    ]:
        assert re.search(rf'<option value="{code}"[^>]*>{name}</option>', html), name
    assert re.search(rf'<option value="{language}"[^>]*selected', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "in_order"),
    [
        ("en-gb", ["Greece", "Hungary", "India"]),
        ("ro", ["Turcia", "Ucraina", "Ungaria", "Uzbekistan"]),
        ("hu", ["Egyesült Királyság", "Észtország", "Franciaország"]),
    ],
)
def test_countries_are_listed_in_the_order_of_their_names_in_the_readers_language(
    client, language, in_order
):
    html = get(client, "/iris/complaints/new/", language).content.decode()
    select = re.search(r'<select name="recruitment_country".*?</select>', html, re.S).group(0)
    names = re.findall(r"<option value=\"[A-Z]{2}\"[^>]*>([^<]+)</option>", select)
    positions = [names.index(name) for name in in_order]
    assert positions == sorted(positions)
    # Every country is offered (ISO 3166), the whole list in the reader's alphabetical order.
    from iris.recruiters.choices import collation_key

    assert len(names) >= 249 and names == sorted(names, key=collation_key)


def _main(html: str) -> str:
    return re.search(r"<main.*</main>", html, flags=re.S).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_only_in_english_does_not_claim_the_visitors_language(client, language):
    """The training pages are in English: their content says so, even inside a translated frame."""
    from tests.training.factories import SessionFactory

    session = SessionFactory()
    pages = [
        get(client, "/training/", language),
        get(client, f"/training/{session.slug}/", language),
        get(client, "/training/request/", language),
        client.post("/training/request/", {}),  # with its error summary
    ]
    for response in pages:
        html = response.content.decode()
        assert visible(html).html_lang == language  # the frame: header, help lines, footer
        main = _main(html)
        assert re.match(r'<main [^>]*lang="en-gb"', main), main[:120]
        assert set(visible(main).texts) & _translations(language) == set()
    # A translated page has its content in the visitor's language.
    html = get(client, "/iris/", language).content.decode()
    assert "lang=" not in re.match(r"<main[^>]*>", _main(html)).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", *LANGUAGES])
def test_the_language_switcher_says_which_pages_are_in_english_only(client, language):
    html = get(client, "/iris/", language).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, flags=re.S).group(0)
    with translation.override(language):
        note = translation.gettext("Training and staff pages are in English only.")
    assert note in switcher
    assert language == "en-gb" or note != "Training and staff pages are in English only."
