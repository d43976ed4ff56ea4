from django.db import migrations

from iomuk import roles

CASEWORK = [
    "returns.view_returncase",
    "returns.change_returncase",
    "returns.submit_referral",
    "returns.view_casetransition",
    "returns.view_returnplanitem",
    "returns.change_returnplanitem",
    "returns.view_casenote",
    "returns.add_casenote",
    "returns.view_casedocument",
    "returns.add_casedocument",
]
MANAGEMENT = [
    "returns.view_all_cases",
    "returns.assign_case",
    "returns.approve_case",
    "returns.view_case_access_log",
]


def grant_roles(apps, schema_editor):
    roles.grant(apps, schema_editor, roles.CASEWORKERS, CASEWORK)
    roles.grant(apps, schema_editor, roles.CASE_MANAGERS, CASEWORK + MANAGEMENT)
    # Partner referrers submit referrals and see the stage of their own: nothing else.
    roles.grant(apps, schema_editor, roles.PARTNER_REFERRERS, ["returns.submit_referral"])


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("iomuk", "0004_access_log_append_only"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
