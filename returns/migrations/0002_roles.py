"""The caseworkers', case managers' and partner referrers' permissions.

Frozen here as they were written: this migration imports nothing of the portal's own code."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASEWORK = [
    "returns.view_returncase",
    "returns.change_returncase",
    "returns.submit_referral",
    "returns.view_casetransition",
    "returns.view_returnplanitem",
    "returns.change_returnplanitem",
    "returns.view_casenote",
    "returns.add_casenote",
    "returns.view_casedocument",
    "returns.add_casedocument",
]
MANAGEMENT = [
    "returns.view_all_cases",
    "returns.assign_case",
    "returns.approve_case",
    "returns.view_case_access_log",
]


def _grant(apps, role: str, perms: list[str]) -> None:
    """Give `role` the permissions named "app_label.codename"."""
    from django.apps import apps as global_apps

    # Permissions are normally made after migrate; make them now so they can be granted.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def grant_roles(apps, schema_editor):
    _grant(apps, "Caseworkers", CASEWORK)
    _grant(apps, "Case managers", CASEWORK + MANAGEMENT)
    # Partner referrers submit referrals and see the stage of their own: nothing else.
    _grant(apps, "Partner referrers", ["returns.submit_referral"])


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("iomuk", "0002_roles_and_access_log_guard"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
