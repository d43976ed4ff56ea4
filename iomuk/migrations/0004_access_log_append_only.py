from django.db import migrations

# On PostgreSQL the database itself refuses to change or delete access-log rows.
FORBID = """
CREATE OR REPLACE FUNCTION iomuk_accesslog_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER iomuk_accesslog_append_only BEFORE UPDATE OR DELETE ON iomuk_accesslog
  FOR EACH ROW EXECUTE FUNCTION iomuk_accesslog_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS iomuk_accesslog_append_only ON iomuk_accesslog;
DROP FUNCTION IF EXISTS iomuk_accesslog_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("iomuk", "0003_access_log")]
    operations = [migrations.RunPython(forbid, allow)]
