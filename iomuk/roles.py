"""The staff roles. Each is a Django group; its permissions are granted by each app's data
migration (`0002_*`), which names them as they were then."""

TRAINING_COORDINATORS = "Training coordinators"
CASEWORKERS = "Caseworkers"
CASE_MANAGERS = "Case managers"
PARTNER_REFERRERS = "Partner referrers"
IRIS_OFFICERS = "IRIS officers"

ALL = [TRAINING_COORDINATORS, CASEWORKERS, CASE_MANAGERS, PARTNER_REFERRERS, IRIS_OFFICERS]
# Roles whose members work inside IOM UK and use the staff workspace and admin.
STAFF = [TRAINING_COORDINATORS, CASEWORKERS, CASE_MANAGERS, IRIS_OFFICERS]


def user_has_role(user, role: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=role).exists()
