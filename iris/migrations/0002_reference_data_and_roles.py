"""Reference data (countries, sectors, complaint categories) and the IRIS officers' permissions.

The names are stored in English and marked (gettext_noop) so the public pages show them
translated. Frozen here as they were written: this migration imports nothing of the portal's
own code."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.translation import gettext_noop

COUNTRIES = [
    ("AE", gettext_noop("United Arab Emirates")), ("AL", gettext_noop("Albania")), ("BD", gettext_noop("Bangladesh")), ("BE", gettext_noop("Belgium")),
    ("BG", gettext_noop("Bulgaria")), ("BR", gettext_noop("Brazil")), ("CZ", gettext_noop("Czech Republic")), ("DE", gettext_noop("Germany")),
    ("EE", gettext_noop("Estonia")), ("ES", gettext_noop("Spain")), ("FR", gettext_noop("France")), ("GB", gettext_noop("United Kingdom")),
    ("GH", gettext_noop("Ghana")), ("GR", gettext_noop("Greece")), ("HR", gettext_noop("Croatia")), ("HU", gettext_noop("Hungary")),
    ("ID", gettext_noop("Indonesia")), ("IE", gettext_noop("Ireland")), ("IN", gettext_noop("India")), ("IT", gettext_noop("Italy")),
    ("KE", gettext_noop("Kenya")), ("KG", gettext_noop("Kyrgyzstan")), ("LK", gettext_noop("Sri Lanka")), ("LT", gettext_noop("Lithuania")),
    ("LV", gettext_noop("Latvia")), ("MD", gettext_noop("Moldova")), ("NG", gettext_noop("Nigeria")), ("NL", gettext_noop("Netherlands")),
    ("NP", gettext_noop("Nepal")), ("PH", gettext_noop("Philippines")), ("PK", gettext_noop("Pakistan")), ("PL", gettext_noop("Poland")),
    ("PT", gettext_noop("Portugal")), ("QA", gettext_noop("Qatar")), ("RO", gettext_noop("Romania")), ("RS", gettext_noop("Serbia")),
    ("SA", gettext_noop("Saudi Arabia")), ("SK", gettext_noop("Slovakia")), ("TR", gettext_noop("Turkey")), ("UA", gettext_noop("Ukraine")),
    ("UZ", gettext_noop("Uzbekistan")), ("VN", gettext_noop("Vietnam")), ("ZW", gettext_noop("Zimbabwe")),
]
SECTORS = [
    ("agriculture", gettext_noop("Agriculture")), ("construction", gettext_noop("Construction")), ("care", gettext_noop("Care")),
    ("hospitality", gettext_noop("Hospitality")), ("domestic-work", gettext_noop("Domestic work")),
    ("manufacturing", gettext_noop("Manufacturing")), ("fishing", gettext_noop("Fishing")), ("logistics", gettext_noop("Logistics")),
    ("other", gettext_noop("Other")),
]
CATEGORIES = [
    ("fees", gettext_noop("Fees charged to the worker")),
    ("deception", gettext_noop("Deception about the job or pay")),
    ("documents", gettext_noop("Passport or documents kept")),
    ("debt", gettext_noop("Debt")),
    ("contract", gettext_noop("Contract changed")),
    ("threats", gettext_noop("Threats or violence")),
    ("other", gettext_noop("Other")),
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
    "iris.view_complaintaddition",
]


def _grant(apps, role: str, perms: list[str]) -> None:
    """Give `role` the permissions named "app_label.codename"."""
    from django.apps import apps as global_apps

    # Permissions are normally made after migrate; make them now so they can be granted.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def add_reference_data(apps, schema_editor):
    for model, rows in (("Country", COUNTRIES), ("Sector", SECTORS), ("ComplaintCategory", CATEGORIES)):
        Model = apps.get_model("iris", model)
        for position, (code, name) in enumerate(rows):
            defaults = {"name": name} if model == "Country" else {"name": name, "position": position}
            Model.objects.update_or_create(code=code, defaults=defaults)



def grant_officers(apps, schema_editor):
    _grant(apps, "IRIS officers", OFFICER_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("iris", "0001_initial"),
        ("iomuk", "0002_roles_and_access_log_guard"),
    ]

    operations = [
        migrations.RunPython(add_reference_data, migrations.RunPython.noop),
        migrations.RunPython(grant_officers, migrations.RunPython.noop),
    ]
