"""Hostile input in every field of every public form: never a 500, never a half-made record.

Each form is read from its page as a browser would (field names, select options), then filled
with generated text: long, empty, unicode, control characters, HTML and script.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.iris.factories import RecruiterFactory
from tests.training.factories import BookingFactory, SessionFactory

HOSTILE_TEXT = st.one_of(
    st.text(max_size=50),
    st.text(min_size=1000, max_size=5000),
    st.just(""),
    st.just("<script>alert(1)</script>"),
    st.just("\x00\x01\x1f\u202e"),
    st.just("\x00"),
    st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=20),
    st.just("<b onmouseover=alert(1)>hi</b>"),
    st.just("' OR 1=1 --"),
    st.just("Wrocław Ñandú 東京 🙂"),
    st.from_regex(r"[a-z]{1,20}@[a-z]{1,10}\.[a-z]{2,3}", fullmatch=True),
    st.from_regex(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", fullmatch=True),
    st.integers(-(10**12), 10**12).map(str),
)


class FormReader(HTMLParser):
    """Collects the fields of the page's forms that post back to the page itself."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = a.get("method", "get").lower() == "post" and not a.get("action")
        if not self._in_form:
            return
        if tag in ("input", "textarea") and a.get("name") and a.get("type") != "submit":
            if a.get("name") != "csrfmiddlewaretoken":
                self.fields.setdefault(a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.fields.setdefault(self._select, [])
        elif tag == "option" and self._select and a.get("value"):
            self.fields[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def form_fields(client, path) -> dict[str, list[str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    reader = FormReader()
    reader.feed(response.content.decode())
    assert reader.fields, f"no form found on {path}"
    return reader.fields


def row_counts() -> dict[str, int]:
    labels = ("training", "returns", "iris", "iomuk")
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in labels and model._meta.managed
    }


def values_for(fields):
    """A strategy giving each text field hostile text and each select one of its options."""
    return st.fixed_dictionaries(
        {
            name: (st.sampled_from(options) | HOSTILE_TEXT) if options else HOSTILE_TEXT
            for name, options in fields.items()
            if name not in ("homepage", "form_started")  # the bot check has its own tests
        }
    )


# Every form a person can send without signing in.
PUBLIC_FORMS = [
    "/accounts/password_reset/",
    "/training/fuzz-open/",  # booking
    "/training/fuzz-full/",  # booking onto the waiting list
    "/training/request/",
    "/iris/join/",
    "/iris/complaints/new/",
    "/iris/complaints/track/",
    "/iris/verify/",
    "/iris/check/",
]


@pytest.fixture
def world(db, settings, private_cache):
    """Two sessions (one open, one full) and a recruiter; countries and categories come from
    the migrations. (seed_demo would do, but takes 20 seconds a test.)"""
    SessionFactory(slug="fuzz-open", capacity=30)
    full = SessionFactory(slug="fuzz-full", capacity=1)
    BookingFactory(session=full)
    RecruiterFactory()


@pytest.mark.parametrize("path", PUBLIC_FORMS)
def test_hostile_input_never_breaks_a_public_form(client, world, path):
    fields = form_fields(client, path)

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values_for(fields))
    def post(data):
        cache.clear()  # each example starts under the per-address limit
        before = row_counts()
        response = client.post(path, data, REMOTE_ADDR="198.51.100.77")
        assert response.status_code in (200, 302, 400), (response.status_code, data)
        after = row_counts()
        grown = {k: (before[k], after[k]) for k in after if after[k] != before.get(k)}
        form = response.context["form"] if response.status_code != 302 else None
        if form is not None and form.errors:
            # Refused: a plain message on the page, and nothing stored, not even in part.
            assert not grown, f"a refused submission stored rows: {grown}"
            body = response.content.decode()
            assert "There is a problem" in body, "no message tells the person what to fix"
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<b onmouseover" not in body

    post()
