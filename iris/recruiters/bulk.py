"""The roster's daily bulk file: every public record (any standing but applicant) as the API
shows it, in JSON and CSV, with its licence and the time it was made. A partner loads it once,
then follows the API's `updated_since` from its `made_at`.

The files are written by a beat task (iris.tasks.export_roster) under unique names holding the
time and a hash of their content, so the API serves the newest with an ETag without reading it,
and a file is never seen half-written (the storage links a finished file into place)."""

import hashlib
import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from iomuk.csv_export import CSV_CONTENT_TYPE, csv_bytes

from .models import AccreditationState, Recruiter

EXPORT_DIR = "roster-exports"
FORMATS = {"json": "application/json", "csv": CSV_CONTENT_TYPE}
# The files of the previous days kept beside the newest (a download under way finishes).
KEEP = 2
CSV_COLUMNS = [
    "number",
    "name",
    "trading_names",
    "standing",
    "granted_on",
    "valid_until",
    "registration_number",
    "headquarters",
    "recruits_from",
    "places_in",
    "sectors",
    "website",
    "page",
    "updated_at",
]


def _records() -> list[dict]:
    from .api import RecruiterSerializer  # the API's record, field for field

    recruiters = (
        Recruiter.objects.exclude(state=AccreditationState.APPLICANT)
        .select_related("hq_country")
        .prefetch_related("operations__country", "sectors")
        .order_by("id")
    )
    # Names of countries, sectors and standings in the register's own language, English.
    with translation.override("en-gb"):
        return RecruiterSerializer(recruiters.iterator(chunk_size=2000), many=True).data


def _csv_row(record: dict) -> list:
    codes = {"headquarters", "recruits_from", "places_in", "sectors"}
    row = []
    for column in CSV_COLUMNS:
        value = record[column]
        if column in codes:
            value = (
                " ".join(item["code"] for item in value)
                if isinstance(value, list)
                else value["code"]
            )
        elif column == "trading_names":
            value = "; ".join(value)
        row.append(value)
    return row


def _as_csv(records: list[dict]) -> bytes:
    return csv_bytes(CSV_COLUMNS, (_csv_row(record) for record in records))


def roster_export_write(*, now: datetime | None = None) -> dict[str, str]:
    """Write the bulk file of the public roster as it is `now`, in each format, and drop all
    but the newest KEEP + 1 of each; returns the names written by format."""
    now = now or timezone.now()
    records = _records()
    licence = {"name": settings.ROSTER_LICENCE_NAME, "url": settings.ROSTER_LICENCE_URL}
    contents = {
        "json": json.dumps(
            {
                "made_at": now.isoformat().replace("+00:00", "Z"),
                "licence": licence,
                "count": len(records),
                "recruiters": records,
            },
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        ).encode(),
        "csv": _as_csv(records),
    }
    written = {}
    for extension, content in contents.items():
        digest = hashlib.sha256(content).hexdigest()[:16]
        name = f"{EXPORT_DIR}/roster-{now:%Y%m%dT%H%M%S%f}Z-{digest}.{extension}"
        written[extension] = default_storage.save(name, ContentFile(content))
        for old in _exports(extension)[KEEP + 1 :]:
            default_storage.delete(f"{EXPORT_DIR}/{old}")
    return written


def _exports(extension: str) -> list[str]:
    """The bulk files in one format, newest first (their names start with the time made)."""
    if not default_storage.exists(EXPORT_DIR):
        return []
    _dirs, files = default_storage.listdir(EXPORT_DIR)
    return sorted((f for f in files if f.endswith(f".{extension}")), reverse=True)


def roster_export_latest(*, extension: str) -> tuple[str, str, datetime] | None:
    """The newest bulk file in `extension`: its storage name, ETag and the time it was made;
    None before the first is written."""
    exports = _exports(extension)
    if not exports:
        return None
    newest = exports[0]
    stamp, digest = newest.removeprefix("roster-").rsplit(".", 1)[0].split("-")
    made_at = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    return f"{EXPORT_DIR}/{newest}", f'"{digest}"', made_at
