"""Reference data (countries, sectors, complaint categories), the trigram search index on
PostgreSQL, and the IRIS officers' permissions."""

from django.db import migrations

from iomuk.roles import IRIS_OFFICERS, grant

COUNTRIES = [
    ("AE", "United Arab Emirates"), ("AL", "Albania"), ("BD", "Bangladesh"), ("BE", "Belgium"),
    ("BG", "Bulgaria"), ("BR", "Brazil"), ("CZ", "Czech Republic"), ("DE", "Germany"),
    ("EE", "Estonia"), ("ES", "Spain"), ("FR", "France"), ("GB", "United Kingdom"),
    ("GH", "Ghana"), ("GR", "Greece"), ("HR", "Croatia"), ("HU", "Hungary"),
    ("ID", "Indonesia"), ("IE", "Ireland"), ("IN", "India"), ("IT", "Italy"),
    ("KE", "Kenya"), ("KG", "Kyrgyzstan"), ("LK", "Sri Lanka"), ("LT", "Lithuania"),
    ("LV", "Latvia"), ("MD", "Moldova"), ("NG", "Nigeria"), ("NL", "Netherlands"),
    ("NP", "Nepal"), ("PH", "Philippines"), ("PK", "Pakistan"), ("PL", "Poland"),
    ("PT", "Portugal"), ("QA", "Qatar"), ("RO", "Romania"), ("RS", "Serbia"),
    ("SA", "Saudi Arabia"), ("SK", "Slovakia"), ("TR", "Turkey"), ("UA", "Ukraine"),
    ("UZ", "Uzbekistan"), ("VN", "Vietnam"), ("ZW", "Zimbabwe"),
]
SECTORS = [
    ("agriculture", "Agriculture"), ("construction", "Construction"), ("care", "Care"),
    ("hospitality", "Hospitality"), ("domestic-work", "Domestic work"),
    ("manufacturing", "Manufacturing"), ("fishing", "Fishing"), ("logistics", "Logistics"),
    ("other", "Other"),
]
CATEGORIES = [
    ("fees", "Fees charged to the worker"),
    ("deception", "Deception about the job or pay"),
    ("documents", "Passport or documents kept"),
    ("debt", "Debt"),
    ("contract", "Contract changed"),
    ("threats", "Threats or violence"),
    ("other", "Other"),
]
OFFICER_PERMS = [
    "iris.view_recruiter", "iris.add_recruiter", "iris.change_recruiter",
    "iris.view_recruitercountry", "iris.add_recruitercountry",
    "iris.change_recruitercountry", "iris.delete_recruitercountry",
    "iris.view_application", "iris.change_application",
    "iris.view_complaint", "iris.change_complaint",
    "iris.view_complainttransition", "iris.view_referral", "iris.add_referral",
    "iris.view_complaintmessage", "iris.add_complaintmessage",
    "iris.view_complaintnote", "iris.add_complaintnote",
    "iris.view_complaintevidence", "iris.download_complaintevidence",
    "iris.view_country", "iris.view_sector", "iris.view_complaintcategory",
]


def add_reference_data(apps, schema_editor):
    for model, rows in (("Country", COUNTRIES), ("Sector", SECTORS), ("ComplaintCategory", CATEGORIES)):
        Model = apps.get_model("iris", model)
        for position, (code, name) in enumerate(rows):
            defaults = {"name": name} if model == "Country" else {"name": name, "position": position}
            Model.objects.update_or_create(code=code, defaults=defaults)


def add_trigram_index(apps, schema_editor):
    # Only PostgreSQL has pg_trgm; SQLite searches the same normalised text another way.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS iris_recruiter_search_trgm "
        "ON iris_recruiter USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS iris_recruiter_search_trgm")


def grant_officers(apps, schema_editor):
    grant(apps, schema_editor, IRIS_OFFICERS, OFFICER_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("iris", "0001_initial"),
        ("iomuk", "0004_access_log_append_only"),
    ]

    operations = [
        migrations.RunPython(add_reference_data, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
        migrations.RunPython(grant_officers, migrations.RunPython.noop),
    ]
