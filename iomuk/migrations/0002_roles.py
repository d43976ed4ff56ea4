from django.db import migrations

from iomuk import roles


def create_roles(apps, schema_editor):
    for role in roles.ALL:
        apps.get_model("auth", "Group").objects.get_or_create(name=role)
    for role in roles.STAFF:
        roles.grant(apps, schema_editor, role, ["iomuk.view_staff_workspace"])


class Migration(migrations.Migration):
    dependencies = [
        ("iomuk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
