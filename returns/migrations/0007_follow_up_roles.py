"""Caseworkers and case managers record follow-ups, survey answers and consents.

Frozen here as they were written: this migration imports nothing of the portal's own code."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASEWORK = [
    "returns.view_followup",
    "returns.change_followup",
    "returns.view_surveyanswer",
    "returns.add_surveyanswer",
    "returns.view_caseconsent",
    "returns.change_caseconsent",
    "returns.view_followupsupport",
]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ("Caseworkers", "Case managers"):
        group, _ = Group.objects.get_or_create(name=role)
        for perm in CASEWORK:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("returns", "0006_survey_indicators")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
