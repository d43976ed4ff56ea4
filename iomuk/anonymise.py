"""Anonymising one record past its retention period, the same way in every app."""

from django.db import models

from .audit import access_record


def anonymise(
    record: models.Model, *, blanks: dict, now, object_type: str, object_ref: str, detail: str
) -> None:
    """Blank `blanks` on `record` (locked by the caller's transaction) and in every past version
    of it, mark it anonymised and write that to the access log, by reference."""
    for name, value in blanks.items():
        setattr(record, name, value)
    record.anonymised_at = now
    record._change_reason = "retention"
    record.save()
    type(record).history.filter(id=record.pk).update(**blanks)
    access_record(
        request=None,
        action="anonymise",
        object_type=object_type,
        object_ref=object_ref,
        detail=f"retention: {detail}",
    )
