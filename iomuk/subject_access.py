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
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from .audit import access_record
from .dates import long_date
from .fields import index_words
from .pdf import pdf_start

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
        return bool(self.email.strip()) and email.strip().casefold() == self.email.strip().casefold()

    def has_name(self, name: str) -> bool:
        # Every word, in any order, accents and case aside ("Ștefan Popa" is "stefan popa").
        words = set(index_words(self.name))
        return bool(words) and set(index_words(name or "")) == words

    def has_phone(self, phone: str) -> bool:
        # Digits only, so "+40 700 123 456" is "40700123456"; too few digits name no one.
        mine = "".join(ch for ch in self.phone if ch.isdigit())
        theirs = "".join(ch for ch in (phone or "") if ch.isdigit())
        return len(mine) >= 6 and mine == theirs


@dataclass(frozen=True)
class SubjectAccessSource:
    """One kind of record the portal holds about people, as an app registers it.

    `kind` is the retention policy's kind; `personal_data`, `related_blanks` and
    `related_deleted` are that policy's own lists (what its anonymiser blanks or deletes).
    `find(person)` gives the person's records; `export(record)` their fields and related rows
    (rows under their accessor's name); `erasable(record)` is "" or why the law keeps it;
    `erase(record, by)` anonymises it through the retention code; `language(record)` the
    language the person chose there, if the record keeps one."""

    kind: str
    title: str
    rule: str
    object_type: str
    personal_data: dict
    find: Callable[[Person], list]
    export: Callable[[models.Model], dict]
    erasable: Callable[[models.Model], str]
    erase: Callable[..., None]
    related_blanks: dict = field(default_factory=dict)
    related_deleted: tuple = ()
    key: str = "reference"
    language: Callable[[models.Model], str] | None = None

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
            area.source.kind: [area.source.export(record) for record in area.records]
            for area in found
        },
    }


# -- The PDF -----------------------------------------------------------------------------------

_NOT_SHOWN = ("id",)


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


def _label(model: type[models.Model], name: str) -> str:
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a related row's key, named by its accessor
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _write_record(pdf: FPDF, model: type[models.Model], values: dict, *, depth: int = 0) -> None:
    width = pdf.epw - depth * 6
    for name, value in values.items():
        if name in _NOT_SHOWN:
            continue
        if isinstance(value, list):
            if not value:
                continue
            pdf.set_x(pdf.l_margin + depth * 6)
            pdf.set_font(pdf.font_family, "B", 10)
            pdf.multi_cell(width, 6, _label(model, name), new_x="LMARGIN", new_y="NEXT")
            related = getattr(model, name, None)
            related_model = getattr(getattr(related, "rel", None), "related_model", model)
            for row in value:
                if isinstance(row, dict):
                    _write_record(pdf, related_model, row, depth=depth + 1)
                    pdf.ln(2)
            continue
        if isinstance(value, dict):
            value = "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
        text = _words(value)
        if not text:
            continue
        pdf.set_x(pdf.l_margin + depth * 6)
        pdf.set_font(pdf.font_family, "", 10)
        pdf.multi_cell(
            width, 5, f"{_label(model, name)}: {text}", new_x="LMARGIN", new_y="NEXT"
        )


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
        pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.font_family, "", 11)
        pdf.multi_cell(
            0,
            6,
            _("For %(name)s, as held on %(day)s.")
            % {"name": person.name or person.email, "day": long_date(timezone.now())},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for area in found:
            pdf.ln(4)
            pdf.set_font(pdf.font_family, "B", 14)
            pdf.multi_cell(0, 8, str(area.source.title), new_x="LMARGIN", new_y="NEXT")
            if not area.records:
                pdf.set_font(pdf.font_family, "", 10)
                pdf.multi_cell(0, 6, _("We hold nothing about you here."))
                pdf.ln(6)
                continue
            for record in area.records:
                pdf.set_font(pdf.font_family, "B", 11)
                pdf.multi_cell(
                    0,
                    7,
                    _("Reference: %(reference)s") % {"reference": area.source.ref(record)},
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
                _write_record(pdf, type(record), area.source.export(record))
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
            source.erase(record, by)
            done.erased.append((source.title, source.ref(record), timezone.now()))
    return done
