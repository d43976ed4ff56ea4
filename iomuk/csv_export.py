"""Every CSV the portal serves, written one way.

A spreadsheet runs a cell that starts with = + - @, a tab or a carriage return as a formula, and
much of what the portal exports was typed by the public (names, organisations, email addresses).
Such a cell gets a leading apostrophe, which shows it as plain text."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv"
CSV_CONTENT_TYPE = f"{CSV_MEDIA_TYPE}; charset=utf-8"


def csv_cell(value):
    """`value` as a spreadsheet should show it. Numbers and dates stay as they are; text (lazy
    translations too) that starts like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if not isinstance(value, str | Promise):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download named `filename` (made by the portal, never typed by anyone), every cell
    of `header` and `rows` through csv_cell."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _write(response, header, rows)
    return response


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A CSV file's contents (UTF-8), every cell through csv_cell: for a file kept to serve."""
    text = io.StringIO()
    _write(text, header, rows)
    return text.getvalue().encode()


def _write(out, header: Iterable, rows: Iterable[Iterable]) -> None:
    writer = csv.writer(out)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
