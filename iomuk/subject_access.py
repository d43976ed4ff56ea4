"""A subject access request across the portal: for one person, everything each app holds about
them (found by the identifiers a case manager types in), as JSON and as a PDF in their language,
and erasure of what the law allows through the same anonymisers retention uses.

Each app registers a source for each kind of record its retention policies cover (same `kind`),
naming the retention code's own lists of personal fields: a new field is exported, and erased,
where the retention code already says it is personal."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from .audit import access_record
from .dates import long_date
from .fields import index_words
from .pdf import pdf_start, write

# Held by case managers (returns/migrations/0008 grants it): they answer these requests.
SUBJECT_ACCESS_PERMISSION = "returns.subject_access"


class SubjectAccessError(Exception):
    """The request cannot be answered as asked; the message is fit to show the case manager."""


@dataclass(frozen=True)
class Person:
    """The identifiers the case manager typed in; any may be empty."""

    name: str = ""
    email: str = ""
    date_of_birth: datetime.date | None = None
    phone: str = ""

    def has_email(self, email: str) -> bool:
        mine = self.email.strip().casefold()
        return bool(mine) and (email or "").strip().casefold() == mine

    def has_name(self, name: str) -> bool:
        # Every word, in any order, accents and case aside ("Ștefan Popa" is "stefan popa").
        words = set(index_words(self.name))
        return bool(words) and set(index_words(name or "")) == words

    def has_phone(self, phone: str) -> bool:
        # Digits only, so "+40 700 123 456" is "40700123456"; too few digits name no one.
        # An international "00" is the same as "+".
        mine = "".join(ch for ch in self.phone if ch.isdigit()).removeprefix("00")
        theirs = "".join(ch for ch in (phone or "") if ch.isdigit()).removeprefix("00")
        return len(mine) >= 6 and mine == theirs


@dataclass(frozen=True)
class SubjectAccessSource:
    """One kind of record the portal holds about people, as an app registers it.

    `kind` is the retention policy's kind; `personal_data`, `related_blanks` and
    `related_deleted` are that policy's own lists (what its anonymiser blanks or deletes).
    `find(person)` gives the person's records; `export(record, by)` their fields and related
    rows (rows under their accessor's name); `erasable(record)` is "" or why the law keeps it;
    `erase(record, by)` anonymises it through the retention code, and says whether it did (a
    record that changed meanwhile is left alone, or raises SubjectAccessError with the reason);
    `language(record)` the
    language the person chose there, if the record keeps one. In the PDF, `labels` name the
    fields, and `headings` the related rows (by accessor), whose models give no translated
    name of their own."""

    kind: str
    title: str
    rule: str
    object_type: str
    personal_data: dict
    find: Callable[[Person], list]
    export: Callable[..., dict]
    erasable: Callable[[models.Model], str]
    erase: Callable[..., bool]
    related_blanks: dict = field(default_factory=dict)
    related_deleted: tuple = ()
    key: str = "reference"
    language: Callable[[models.Model], str] | None = None
    labels: dict = field(default_factory=dict)
    headings: dict = field(default_factory=dict)

    def ref(self, record: models.Model) -> str:
        return str(getattr(record, self.key))


_SOURCES: dict[str, SubjectAccessSource] = {}


def subject_access_register(*sources: SubjectAccessSource) -> None:
    """Add an app's sources (registering a kind again replaces its source)."""
    for source in sources:
        _SOURCES[source.kind] = source


def subject_access_sources() -> list[SubjectAccessSource]:
    return list(_SOURCES.values())


@dataclass
class Found:
    source: SubjectAccessSource
    records: list

    def rows(self) -> list[tuple[str, str]]:
        """Each record's reference, and why the law keeps it ("" if it can be erased)."""
        return [(self.source.ref(record), self.source.erasable(record)) for record in self.records]


def record_fields(record: models.Model, *, leave_out=()) -> dict:
    """A row's own fields as JSON values (encrypted ones decrypted), foreign keys by id."""
    values = {}
    for model_field in record._meta.concrete_fields:
        if model_field.name in leave_out:
            continue
        value = getattr(record, model_field.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # a Decimal
            value = str(value)
        elif isinstance(value, bytes | memoryview):
            continue
        values[model_field.name] = value
    return values


def _check(person: Person, by) -> None:
    if not by.has_perm(SUBJECT_ACCESS_PERMISSION):
        raise SubjectAccessError(_("Only a case manager can answer a subject access request."))
    if not (person.email.strip() or person.name.strip()):
        raise SubjectAccessError(_("Enter the person's email address or full name."))


def _log(found: list[Found], *, by, action: str, detail: str) -> None:
    for area in found:
        for record in area.records:
            access_record(
                request=None,
                user=by,
                action=action,
                object_type=area.source.object_type,
                object_ref=area.source.ref(record),
                detail=detail,
            )


def subject_access_find(*, person: Person, by) -> list[Found]:
    """Each area's records that are the person's, by each source's rule; the look is logged."""
    _check(person, by)
    found = [Found(source, list(source.find(person))) for source in _SOURCES.values()]
    _log(found, by=by, action="view", detail="subject access request (search)")
    return found


def subject_access_language(found: list[Found]) -> str:
    """The language the person chose on their records (the first that keeps one), or English."""
    for area in found:
        if area.source.language is None:
            continue
        for record in area.records:
            if language := area.source.language(record):
                return language
    return settings.LANGUAGE_CODE


def subject_access_export(*, person: Person, by) -> dict:
    """Everything found for the person, area by area, every field as it is held (JSON values);
    each record exported is on the access log."""
    _check(person, by)
    found = [Found(source, list(source.find(person))) for source in _SOURCES.values()]
    _log(found, by=by, action="export", detail="subject access request (JSON)")
    return {
        "produced_at": timezone.now().isoformat(),
        "searched_for": {
            "name": person.name,
            "email": person.email,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "phone": person.phone,
        },
        "areas": {
            area.source.kind: [area.source.export(record, by) for record in area.records]
            for area in found
        },
    }


# -- The PDF -----------------------------------------------------------------------------------

# The row's number and its version counter mean nothing to the person; who on the staff did
# something is named by the staff's own pages, not by an account number here.
_NOT_SHOWN = ("id", "version")


def _words(value) -> str:
    if value is None or value == "":
        return ""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return long_date(datetime.date.fromisoformat(value))
            return long_date(datetime.datetime.fromisoformat(value), time=True)
        except ValueError:
            pass
    return str(value)


def _field(model: type[models.Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model: type[models.Model], name: str, labels: dict) -> str:
    found = _field(model, name)
    if name in labels:
        label = str(labels[name])
    elif found is not None and hasattr(found, "verbose_name"):
        label = str(found.verbose_name)
    elif found is not None:  # a related row's key, named by its accessor
        label = str(found.related_model._meta.verbose_name_plural)
    else:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _write_record(
    pdf: FPDF,
    model: type[models.Model],
    values: dict,
    source: SubjectAccessSource,
    *,
    depth: int = 0,
) -> None:
    width = pdf.epw - depth * 6
    labels = source.labels
    for name, value in values.items():
        found = _field(model, name)
        if depth == 0 and name == source.key:
            continue  # the record's heading names it
        if name in _NOT_SHOWN or (
            found is not None and found.is_relation and not isinstance(value, list)
        ):
            continue
        if isinstance(value, list):
            rows = [row for row in value if isinstance(row, dict)]
            if not value:
                continue
            pdf.set_x(pdf.l_margin + depth * 6)
            pdf.set_font(pdf.font_family, "B", 10)
            heading = _label(model, name, source.headings if name in source.headings else labels)
            if not rows:  # a list of codes, as a complaint's categories
                heading = f"{heading}: {', '.join(str(item) for item in value)}"
            write(pdf, heading, role="H4" if rows else "P", h=6, w=width)
            related = found.related_model if found is not None else model
            for row in rows:
                _write_record(pdf, related, row, source, depth=depth + 1)
                pdf.ln(2)
            continue
        if isinstance(value, dict):
            value = "; ".join(f"{key}: {_words(item)}" for key, item in value.items())
        elif found is not None and found.choices and value not in (None, ""):
            value = str(dict(found.flatchoices).get(value, value))
        text = _words(value)
        if not text:
            continue
        pdf.set_x(pdf.l_margin + depth * 6)
        pdf.set_font(pdf.font_family, "", 10)
        line = f"{_label(model, name, labels)}: {text}"
        write(pdf, line, h=5, w=width)


def subject_access_pdf(*, person: Person, by, language: str = "") -> tuple[bytes, str]:
    """The same content as the JSON export, in words, in the person's language (the one asked
    for, else the one on their records); returns the PDF and its language. On the access log."""
    _check(person, by)
    found = [Found(source, list(source.find(person))) for source in _SOURCES.values()]
    language = language or subject_access_language(found)
    _log(found, by=by, action="export", detail=f"subject access request (PDF, {language})")
    with translation.override(language):
        title = _("What IOM UK holds about you")
        pdf = pdf_start(title=title, language=language)
        pdf.set_font(pdf.font_family, "B", 18)
        write(pdf, title, role="H1", h=10)
        pdf.set_font(pdf.font_family, "", 11)
        for line in (
            _("Prepared for %(name)s") % {"name": person.name or person.email},
            _("Date: %(day)s") % {"day": long_date(timezone.now())},
        ):
            write(pdf, line, h=6)
        for area in found:
            pdf.ln(4)
            pdf.set_font(pdf.font_family, "B", 14)
            write(pdf, str(area.source.title), role="H2", h=8)
            if not area.records:
                pdf.set_font(pdf.font_family, "", 10)
                write(pdf, _("We hold nothing about you here."), h=6)
                pdf.ln(6)
                continue
            for record in area.records:
                pdf.set_font(pdf.font_family, "B", 11)
                reference = _("Reference: %(reference)s") % {"reference": area.source.ref(record)}
                write(pdf, reference, role="H3", h=7)
                _write_record(pdf, type(record), area.source.export(record, by), area.source)
                pdf.ln(3)
    return bytes(pdf.output()), language


# -- Erasure -----------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What an erasure did: each record erased (area, reference, when) and each kept, and why."""

    erased: list = field(default_factory=list)
    kept: list = field(default_factory=list)


def subject_access_erase(*, person: Person, by) -> Erasure:
    """Erase the person's data from every record of theirs the law lets go, each through its
    app's retention anonymiser (so each is on the access log, with when); the rest are kept,
    each with the reason."""
    _check(person, by)
    done = Erasure()
    for source in _SOURCES.values():
        for record in source.find(person):
            reason = source.erasable(record)
            if reason:
                done.kept.append((source.title, source.ref(record), reason))
                continue
            try:
                erased = source.erase(record, by)
            except SubjectAccessError as exc:
                done.kept.append((source.title, source.ref(record), str(exc)))
                continue
            if not erased:
                reason = _("It changed while it was being erased: look again.")
                done.kept.append((source.title, source.ref(record), reason))
                continue
            done.erased.append((source.title, source.ref(record), timezone.now()))
    return done
