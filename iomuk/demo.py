"""The demo world: one account per role (all with the password from DEMO_PASSWORD), and what
each app registers from its AppConfig.ready() to fill itself in (`demo_register`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import connection

from . import roles
from .models import DemoWorld, User

DEMO_ACCOUNTS = [
    # username, role (None for the administrator), is_staff (may open the admin)
    ("coordinator", roles.TRAINING_COORDINATORS, True),
    ("caseworker", roles.CASEWORKERS, True),
    ("casemanager", roles.CASE_MANAGERS, True),
    ("referrer", roles.PARTNER_REFERRERS, False),
    ("irisofficer", roles.IRIS_OFFICERS, True),
    ("admin", None, True),
]


def seed_accounts(*, password: str) -> list[tuple[str, str]]:
    """Create (or reset) the demo accounts; returns (username, role) pairs."""
    made = []
    for username, role, is_staff in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@iom-uk.example"}
        )
        user.is_staff = is_staff
        user.is_superuser = role is None
        user.set_password(password)
        user.save()
        if role:
            user.groups.set([Group.objects.get(name=role)])
        made.append((username, role or "Administrator"))
    return made


def demo_world_mark() -> None:
    """Record that the demo world is loaded, so every page shows the demo data banner."""
    DemoWorld.objects.update_or_create(pk=1)


def demo_world_loaded() -> bool:
    """Whether seed_demo has filled this database with the demo world.

    Every page asks, so the question is written in SQL: the ORM took longer to build
    `DemoWorld.objects.filter(pk=1).exists()` than the database took to answer it."""
    table = connection.ops.quote_name(DemoWorld._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = 1")  # noqa: S608 - the model's own name
        return cursor.fetchone() is not None


@dataclass(frozen=True)
class DemoPart:
    """An app's share of the demo world: `seed()` makes it (safe to run again); `notes()`, if
    given, returns lines for the summary printed at the end, such as something to try."""

    app: str
    seed: Callable[[], None]
    notes: Callable[[], list[str]] | None = None


_PARTS: dict[str, DemoPart] = {}


def demo_register(part: DemoPart) -> None:
    """Add an app's share of the demo world (registering an app again replaces its part)."""
    _PARTS[part.app] = part


def demo_parts() -> list[DemoPart]:
    return list(_PARTS.values())
