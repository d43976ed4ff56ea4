"""Retention across the portal: each app registers what it keeps, for how long, and the service
that anonymises what is past its period; the command and the daily task run every policy."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionPolicy:
    """`kind` names the records in reports ("training bookings"); `period_setting` is the
    setting holding their period in days; `anonymise_expired(dry_run=)` returns references."""

    kind: str
    period_setting: str
    anonymise_expired: Callable[..., list[str]]


_POLICIES: dict[str, RetentionPolicy] = {}


def retention_register(*policies: RetentionPolicy) -> None:
    """Add an app's retention policies (registering a kind again replaces its policy)."""
    for policy in policies:
        _POLICIES[policy.kind] = policy


def retention_policies() -> list[RetentionPolicy]:
    return list(_POLICIES.values())


def retention_apply(*, dry_run: bool = False) -> dict[str, list[str]]:
    """Anonymise (or, with dry_run, only list) every record past its retention period, by kind."""
    return {policy.kind: policy.anonymise_expired(dry_run=dry_run) for policy in _POLICIES.values()}
