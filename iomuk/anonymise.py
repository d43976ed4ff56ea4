"""Anonymising one record past its retention period, the same way in every app."""

from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone

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
    history = type(record).history
    # A field left out of the history (a blind index) has nothing there to blank.
    kept = {field.attname for field in history.model._meta.concrete_fields}
    history.filter(id=record.pk).update(**{k: v for k, v in blanks.items() if k in kept})
    access_record(
        request=None,
        action="anonymise",
        object_type=object_type,
        object_ref=object_ref,
        detail=f"retention: {detail}",
    )


def anonymise_related(record: models.Model, *, blanks: dict[str, dict]) -> None:
    """Blank fields of `record`'s related rows, named by accessor, and in their history if kept."""
    for accessor, fields in blanks.items():
        rows = getattr(record, accessor)
        rows.update(**fields)
        history = getattr(rows.model, "history", None)
        if history is not None:
            history.filter(**{f"{rows.field.attname}": record.pk}).update(**fields)


def anonymise_each(
    due: models.QuerySet,
    *,
    key: str,
    blanks: dict | Callable[[models.Model], dict],
    object_type: str,
    detail: str,
    dry_run: bool,
    now=None,
    related: Callable[[models.Model], str] | None = None,
) -> list[str]:
    """Anonymise every record `due` (or, with dry_run, only list them), each in a transaction of
    its own with its row locked; returns their `key`s, as the access log names them.

    `blanks` is a dict, or a function of the locked record that gives one. `related`, if given,
    is called first with the locked record to blank or delete its related rows; what it returns
    is added to the access log's detail."""
    refs = [str(ref) for ref in due.values_list(key, flat=True)]
    if dry_run:
        return refs
    for ref in refs:
        with transaction.atomic():
            record = due.model.objects.select_for_update().get(**{key: ref})
            extra = related(record) if related else ""
            anonymise(
                record,
                blanks=blanks(record) if callable(blanks) else blanks,
                now=now or timezone.now(),
                object_type=object_type,
                object_ref=ref,
                detail=detail + extra,
            )
    return refs


def delete_each(
    due: models.QuerySet, *, key: str, object_type: str, detail: str, dry_run: bool
) -> list[str]:
    """Delete every record `due` whole (or, with dry_run, only list them), each in a transaction
    of its own with the access-log entry `anonymise` writes; returns their `key`s. A record
    that stopped being due meanwhile (a watch confirmed) is left alone."""
    refs = [str(ref) for ref in due.values_list(key, flat=True)]
    if dry_run:
        return refs
    deleted = []
    for ref in refs:
        with transaction.atomic():
            record = due.select_for_update().filter(**{key: ref}).first()
            if record is None:
                continue
            record.delete()
            access_record(
                request=None,
                action="anonymise",
                object_type=object_type,
                object_ref=ref,
                detail=f"retention: {detail}; deleted",
            )
            deleted.append(ref)
    return deleted
