"""The country and sector lists the public forms offer, drawn once per language and kept.

Every visitor of the roster, the complaint form and the join form is offered the same lists;
only the chosen value differs. Each process keeps the lists it has read (outside a
transaction), per language, under a version held in the shared cache. A change to a country
or a sector drops that version once it commits: the process that made the change forgets its
lists at once, the others when they next look at the version (at most `CHECK_EVERY` seconds
later). The cache failing never fails a page: the lists are then read afresh.
"""

import logging
import secrets
import time
import unicodedata

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.translation import get_language

from .models import Country, Sector

logger = logging.getLogger(__name__)

VERSION_KEY = "iris-choices-version"
CHECK_EVERY = 1.0  # seconds: one cache read a second per process, not one per list drawn

_kept: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (table, language) → options
# (table, language, empty label) → the <option>s with none chosen, as one string
_kept_html: dict[tuple[str, str, str | None], str] = {}
_version = {"value": None, "checked": float("-inf")}


def collation_key(name: str) -> str:
    """Accents set aside, so "Țările de Jos" sorts among the Ts and "Észtország" among the Es."""
    letters = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in letters if not unicodedata.combining(ch)).casefold()


def _read(model) -> list[tuple[str, str]]:
    choices = [(str(row.pk), str(row)) for row in model.objects.all()]
    if model is Country:  # in the order of their names in the reader's language
        choices.sort(key=lambda choice: collation_key(choice[1]))
    return [(value, escape(name)) for value, name in choices]  # sectors keep their position


def _check_version() -> None:
    now = time.monotonic()
    if now - _version["checked"] < CHECK_EVERY:
        return
    try:
        version = cache.get_or_set(VERSION_KEY, lambda: secrets.token_hex(4), None)
    except Exception:  # noqa: BLE001 - the cache is a help, never a reason to fail a form
        logger.warning("choices cache unavailable: country and sector lists read afresh")
        version = None  # keep nothing until the cache answers again
    if version is None or version != _version["value"]:
        _kept.clear()
        _kept_html.clear()
    _version.update(value=version, checked=now)


def kept_version() -> str | None:
    """The version of the kept lists, for what is drawn from them and kept elsewhere (a form's
    fields); None where nothing may be kept (the shared cache not answering, or inside a
    transaction, which may hold a change that is then rolled back)."""
    _check_version()
    return None if connection.in_atomic_block else _version["value"]


def reference_options(model) -> list[tuple[str, str]]:
    """Every row of a reference table as (value, escaped name in the reader's language)."""
    _check_version()
    key = (model._meta.label_lower, get_language())
    options = _kept.get(key)
    if options is None:
        options = _read(model)
        # A list read inside a transaction may hold a change that is then rolled back.
        if _version["value"] is not None and not connection.in_atomic_block:
            _kept[key] = options
    return options


def reference_names(model, values: set[str]) -> dict[str, str]:
    """The escaped names of these rows of a reference table in the reader's language, in the
    table's order (countries by name, sectors by position): from the kept list, and any row
    added since this process read it from the table."""
    names = {value: name for value, name in reference_options(model) if value in values}
    if missing := values - names.keys():
        for row in model.objects.filter(pk__in=missing):
            names[str(row.pk)] = escape(str(row))
    return names


def reference_options_html(model, *, empty_label: str | None, chosen: set[str]) -> str:
    """A reference table's <option>s, `chosen` selected: the string with none chosen is drawn
    once per language and kept; a visitor's choice only marks its option."""
    key = (model._meta.label_lower, get_language(), empty_label)
    options = reference_options(model)  # checks the version, so a change drops the string too
    html = _kept_html.get(key)
    if html is None:
        first = [("", escape(empty_label))] if empty_label is not None else []
        html = "".join(
            f'<option value="{escape(v)}">{name}</option>' for v, name in first + options
        )
        if _version["value"] is not None and not connection.in_atomic_block:
            _kept_html[key] = html
    for value in chosen:  # values are unique, and the closing quote keeps "1" from "10"
        option = f'<option value="{escape(value)}">'
        html = html.replace(option, f"{option[:-1]} selected>", 1)
    return html


def forget_here() -> None:
    """Forget this process's lists; the next one drawn looks at the shared version first."""
    _kept.clear()
    _kept_html.clear()
    _version.update(value=None, checked=float("-inf"))


def _forget_everywhere() -> None:
    forget_here()
    try:
        cache.delete(VERSION_KEY)  # the other processes draw theirs afresh
    except Exception:  # noqa: BLE001 - they then keep the old lists until the cache answers
        logger.warning("choices cache unavailable: other processes keep the old lists")


def _changed(sender, **kwargs) -> None:
    transaction.on_commit(_forget_everywhere)


def connect() -> None:
    """Forget the kept lists when a country or a sector changes (called from `ready()`)."""
    for model in (Country, Sector):
        post_save.connect(_changed, sender=model, dispatch_uid=f"choices-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"choices-{model.__name__}")
