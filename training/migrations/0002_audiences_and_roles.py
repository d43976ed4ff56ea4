from django.db import migrations

from iomuk.roles import TRAINING_COORDINATORS, grant

AUDIENCES = [
    "social_work", "police", "health", "housing", "faith", "home_office",
    "local_authority", "charity", "other",
]


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
    grant(apps, schema_editor, TRAINING_COORDINATORS, perms)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("iomuk", "0004_access_log_append_only"),
    ]

    operations = [
        migrations.RunPython(add_audiences, migrations.RunPython.noop),
        migrations.RunPython(grant_coordinators, migrations.RunPython.noop),
    ]
