"""Dates as the reader's language writes them: one function for pages, emails, the API and PDFs.

The formats live in iomuk/formats/<language>/formats.py (FORMAT_MODULE_PATH); month and weekday
names come from the catalogues. Times are UK time, as every page says.
"""

import datetime

from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language


def _format(name: str) -> str:
    for module in formats.get_format_modules(get_language() or "en-gb"):
        if hasattr(module, name):
            return getattr(module, name)
    return formats.get_format(name.removeprefix("WEEKDAY_"))


def long_date(value, *, weekday: bool = False, time: bool = False) -> str:
    """`value` as a long date ("15 December 2026"), with its weekday or UK time when asked."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    elif time:
        time = False  # a date has no time of day
    name = ("WEEKDAY_" if weekday else "") + ("DATETIME_FORMAT" if time else "DATE_FORMAT")
    return date_format(value, _format(name))
