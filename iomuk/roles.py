"""The staff roles. Each is a Django group; its permissions are granted by data migrations."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

TRAINING_COORDINATORS = "Training coordinators"
CASEWORKERS = "Caseworkers"
CASE_MANAGERS = "Case managers"
PARTNER_REFERRERS = "Partner referrers"
IRIS_OFFICERS = "IRIS officers"

ALL = [TRAINING_COORDINATORS, CASEWORKERS, CASE_MANAGERS, PARTNER_REFERRERS, IRIS_OFFICERS]
# Roles whose members work inside IOM UK and use the staff workspace and admin.
STAFF = [TRAINING_COORDINATORS, CASEWORKERS, CASE_MANAGERS, IRIS_OFFICERS]


def grant(apps, schema_editor, role: str, perms: list[str]) -> None:
    """Give `role` the permissions named "app_label.codename" (for use in data migrations)."""
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


def user_has_role(user, role: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=role).exists()
