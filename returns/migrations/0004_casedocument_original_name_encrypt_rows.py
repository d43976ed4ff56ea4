"""Encrypt the file names stored in plain text before 0003.

Imports nothing of the portal's own code: the names are read raw and written back through the
model's own field (the one 0003 names), which encrypts them as the portal will read them."""

from django.db import migrations

SELECT = "SELECT id, original_name FROM returns_casedocument WHERE original_name <> ''"
UPDATE = "UPDATE returns_casedocument SET original_name = %s WHERE id = %s"


def encrypt_stored_names(apps, schema_editor):
    CaseDocument = apps.get_model("returns", "CaseDocument")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SELECT)
        rows = cursor.fetchall()
    for pk, name in rows:
        CaseDocument.objects.filter(pk=pk).update(original_name=name)


def decrypt_stored_names(apps, schema_editor):
    CaseDocument = apps.get_model("returns", "CaseDocument")
    rows = list(CaseDocument.objects.exclude(original_name="").values_list("pk", "original_name"))
    with schema_editor.connection.cursor() as cursor:
        for pk, name in rows:
            cursor.execute(UPDATE, [name, pk])


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0003_casedocument_original_name_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_stored_names, decrypt_stored_names),
    ]
