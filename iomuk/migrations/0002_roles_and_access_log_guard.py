"""The staff roles, and the guards that keep the access log append-only.

Frozen here as they were written: this migration imports nothing of the portal's own code.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
    "Training coordinators",
    "Caseworkers",
    "Case managers",
    "Partner referrers",
    "IRIS officers",
]
# Roles whose members work inside IOM UK and use the staff workspace and admin.
STAFF = ["Training coordinators", "Caseworkers", "Case managers", "IRIS officers"]

# On PostgreSQL a trigger refuses to change or delete access-log rows.
POSTGRESQL_TRIGGER = """
CREATE OR REPLACE FUNCTION iomuk_accesslog_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER iomuk_accesslog_append_only BEFORE UPDATE OR DELETE ON iomuk_accesslog
  FOR EACH ROW EXECUTE FUNCTION iomuk_accesslog_append_only();
"""
POSTGRESQL_NO_TRIGGER = """
DROP TRIGGER IF EXISTS iomuk_accesslog_append_only ON iomuk_accesslog;
DROP FUNCTION IF EXISTS iomuk_accesslog_append_only();
"""
# SQLite has no roles: triggers refuse to change or delete access-log rows instead.
SQLITE_GUARD = [
    """CREATE TRIGGER iomuk_accesslog_no_update BEFORE UPDATE ON iomuk_accesslog
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER iomuk_accesslog_no_delete BEFORE DELETE ON iomuk_accesslog
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]
SQLITE_UNGUARD = [
    "DROP TRIGGER IF EXISTS iomuk_accesslog_no_update",
    "DROP TRIGGER IF EXISTS iomuk_accesslog_no_delete",
]
TABLES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCES = "USAGE, SELECT"


def create_roles(apps, schema_editor):
    from django.apps import apps as global_apps

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    workspace = Permission.objects.get(
        content_type__app_label="iomuk", codename="view_staff_workspace"
    )
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role in STAFF:
            group.permissions.add(workspace)


def _schema_and_role(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    return schema_editor.quote_name(schema), schema_editor.quote_name(settings.DATABASE_RUNTIME_ROLE)


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_GUARD:
            schema_editor.execute(statement)
        return
    if vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_TRIGGER)
    if settings.DATABASE_RUNTIME_ROLE:
        # Run by the tables' owner: the runtime role gets what the portal needs, and so no
        # ownership, which is what it would take to drop or disable the access log's trigger.
        schema, role = _schema_and_role(schema_editor)
        for statement in [
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT {TABLES} ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT {SEQUENCES} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            # Tables and sequences that later migrations make, as this same owner.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {TABLES} ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {SEQUENCES} ON SEQUENCES TO {role}",
            # The access log: read and append only.
            f"REVOKE UPDATE, DELETE, TRUNCATE ON iomuk_accesslog FROM {role}",
        ]:
            schema_editor.execute(statement)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_UNGUARD:
            schema_editor.execute(statement)
        return
    if vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_NO_TRIGGER)
    if settings.DATABASE_RUNTIME_ROLE:
        schema, role = _schema_and_role(schema_editor)
        for statement in [
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        ]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("iomuk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
