"""The demo accounts: one per role, all with the password from DEMO_PASSWORD."""

from django.contrib.auth.models import Group, User

from . import roles

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
