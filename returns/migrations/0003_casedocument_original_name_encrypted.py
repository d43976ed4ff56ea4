"""A case document's original file name is encrypted: file names name people. The names already
stored are encrypted by the next migration."""

import iomuk.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0002_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casedocument",
            name="original_name",
            field=iomuk.fields.EncryptedCharField(max_length=200),
        ),
    ]
