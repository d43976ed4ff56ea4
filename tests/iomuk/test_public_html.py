"""Every public page, in each of the five languages, as a browser and a phone receive it.

- Each `tel:` link dials: `+` and digits only (E.164), or one of the short emergency numbers.
- `<html lang>` names the language the visitor chose.
- The markup parses cleanly: every element closed in order, no id used twice, no attribute twice.
  (This is a parser check, not the Nu Html Checker; `test_nu_html_checker_*` below runs that
  checker when its `vnu.jar` is installed and `VNU_JAR` points at it, as `.ci/run` does.)
"""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests.iomuk.test_translations import ERROR_TEMPLATES, PUBLIC_URLS, get

LANGUAGES = ("en-gb", "bg", "cs", "hu", "ro")
E164 = re.compile(r"^tel:\+[1-9][0-9]{6,14}$")
EMERGENCY = {"tel:999", "tel:112"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements whose end tag HTML lets a page leave out.
OPTIONAL_END = {"li", "p", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody"}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.tel: list[str] = []
        self.html_lang: str | None = None
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute: {names}")
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and (values.get("href") or "").startswith("tel:"):
            self.tel.append(values["href"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close the open <{(self.stack or ['-'])[-1]}>")
            return
        self.stack.pop()


def markup(html: str) -> _Markup:
    parsed = _Markup()
    parsed.feed(html)
    parsed.close()
    return parsed


def public_pages(client, recruiter, language):
    """(name, html) of every public page in `language`, error pages included."""
    for path, status in PUBLIC_URLS:
        path = path.format(slug=recruiter.slug, number=recruiter.accreditation_number)
        response = get(client, path, language)
        assert response.status_code == status, path
        yield path, response.content.decode()
    request = RequestFactory().get("/")
    with translation.override(language):
        for template in ERROR_TEMPLATES:
            yield template, render_to_string(template, request=request)


@pytest.fixture
def recruiter(db):
    from tests.iris.factories import RecruiterFactory

    return RecruiterFactory()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_tel_link_on_a_public_page_dials(client, recruiter, language):
    bad = {}
    for name, html in public_pages(client, recruiter, language):
        links = markup(html).tel
        # Every page carries the helpline, bar the error templates drawn alone and the verify
        # widget, which sits inside a partner's own page and links back to ours.
        framed = name.startswith("/iris/widget/")
        assert name.endswith(".html") or framed or links, f"{name} shows no phone number"
        wrong = [href for href in links if not (E164.match(href) or href in EMERGENCY)]
        if wrong:
            bad[name] = wrong
    assert bad == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_names_the_language_it_is_in(client, recruiter, language):
    for name, html in public_pages(client, recruiter, language):
        assert markup(html).html_lang == language, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_parses_cleanly_with_unique_ids(client, recruiter, language):
    for name, html in public_pages(client, recruiter, language):
        parsed = markup(html)
        duplicates = sorted({i for i in parsed.ids if parsed.ids.count(i) > 1})
        assert duplicates == [], f"{name}: ids used twice: {duplicates}"
        assert parsed.problems == [], f"{name}: {parsed.problems}"
        assert [t for t in parsed.stack if t not in OPTIONAL_END] == [], f"{name}: left open"


def _vnu_jar() -> str | None:
    jar = os.environ.get("VNU_JAR")
    return jar if jar and os.path.exists(jar) and shutil.which("java") else None


@pytest.mark.skipif(
    _vnu_jar() is None, reason="the Nu Html Checker is not installed: set VNU_JAR to its vnu.jar"
)
def test_nu_html_checker_finds_no_errors_on_the_public_pages(client, recruiter, tmp_path):
    for language in LANGUAGES:
        for name, html in public_pages(client, recruiter, language):
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"
            (tmp_path / f"{language}-{slug}.html").write_text(html)
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    result = subprocess.run(
        ["java", "-jar", _vnu_jar(), "--errors-only", "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
