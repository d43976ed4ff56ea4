"""The audiences a session is for, and the training coordinators' permissions.

Frozen here as they were written: this migration imports nothing of the portal's own code."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUDIENCES = [
    "social_work", "police", "health", "housing", "faith", "home_office",
    "local_authority", "charity", "other",
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


def add_audiences(apps, schema_editor):
    Audience = apps.get_model("training", "Audience")
    for code in AUDIENCES:
        Audience.objects.get_or_create(code=code)


def grant_coordinators(apps, schema_editor):
    perms = []
    for model in ["course", "session", "booking", "certificate", "adaptedsessionrequest"]:
        for action in ["view", "add", "change"]:
            perms.append(f"training.{action}_{model}")
    perms.append("training.view_audience")
    _grant(apps, "Training coordinators", perms)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("iomuk", "0002_roles_and_access_log_guard"),
    ]

    operations = [
        migrations.RunPython(add_audiences, migrations.RunPython.noop),
        migrations.RunPython(grant_coordinators, migrations.RunPython.noop),
    ]
