"""Every country (ISO 3166, from django-countries) for where a person was recruited and sent,
and where a recruiter works: the 44 rows stored before keep their codes, so every complaint,
application and recruiter that names one stays as it was."""

from django.db import migrations
from django.utils import translation


def every_country(apps, schema_editor):
    from django_countries import countries

    Country = apps.get_model("iris", "Country")
    held = set(Country.objects.values_list("code", flat=True))
    with translation.override("en"):  # names are stored in English, shown in the reader's
        Country.objects.bulk_create(
            Country(code=code, name=str(name)) for code, name in countries if code not in held
        )


class Migration(migrations.Migration):
    dependencies = [("iris", "0006_complaint_news_trailing_email")]

    operations = [migrations.RunPython(every_country, migrations.RunPython.noop)]
