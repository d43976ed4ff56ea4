"""Retention across the portal: each app's service anonymises what is past its period."""

from iris.services import applications_anonymise_expired, complaints_anonymise_expired
from returns.services import cases_anonymise_expired
from training.services import adapted_requests_anonymise_expired, bookings_anonymise_expired


def retention_apply(*, dry_run: bool = False) -> dict[str, list[str]]:
    """Anonymise (or, with dry_run, only list) every record past its retention period, by kind."""
    return {
        "training bookings": bookings_anonymise_expired(dry_run=dry_run),
        "adapted-session requests": adapted_requests_anonymise_expired(dry_run=dry_run),
        "return cases": cases_anonymise_expired(dry_run=dry_run),
        "IRIS complaints": complaints_anonymise_expired(dry_run=dry_run),
        "IRIS applications": applications_anonymise_expired(dry_run=dry_run),
    }
