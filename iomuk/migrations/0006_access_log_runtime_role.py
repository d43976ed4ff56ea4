from django.conf import settings
from django.db import migrations

from iomuk.db import SQLITE_GUARD, SQLITE_UNGUARD

TABLES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCES = "USAGE, SELECT"


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
    elif vendor == "postgresql" and settings.DATABASE_RUNTIME_ROLE:
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
    elif vendor == "postgresql" and settings.DATABASE_RUNTIME_ROLE:
        schema, role = _schema_and_role(schema_editor)
        for statement in [
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        ]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("iomuk", "0005_outbox_encrypted")]
    operations = [migrations.RunPython(guard, unguard)]
