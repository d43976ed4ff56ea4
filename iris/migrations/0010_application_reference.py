import iris.models
from django.db import migrations, models


def give_each_application_a_reference(apps, schema_editor):
    Application = apps.get_model("iris", "Application")
    taken = set()
    for application in Application.objects.filter(reference__isnull=True).only("pk"):
        reference = iris.models.new_application_reference()
        while reference in taken:
            reference = iris.models.new_application_reference()
        taken.add(reference)
        Application.objects.filter(pk=application.pk).update(reference=reference)


def copy_the_references_into_the_history(apps, schema_editor):
    Application = apps.get_model("iris", "Application")
    HistoricalApplication = apps.get_model("iris", "HistoricalApplication")
    for pk, reference in Application.objects.values_list("pk", "reference"):
        HistoricalApplication.objects.filter(id=pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("iris", "0009_language_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="reference",
            field=models.CharField(max_length=20, null=True, editable=False),
        ),
        migrations.RunPython(give_each_application_a_reference, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="reference",
            field=models.CharField(
                default=iris.models.new_application_reference,
                editable=False,
                max_length=20,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="reference",
            field=models.CharField(
                db_index=True,
                default=iris.models.new_application_reference,
                editable=False,
                max_length=20,
                verbose_name="reference",
            ),
        ),
        migrations.RunPython(copy_the_references_into_the_history, migrations.RunPython.noop),
    ]
