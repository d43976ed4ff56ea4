"""Django's admin finds an app's admin here: IRIS registers each half's own."""

from iris.complaints import admin as complaints_admin  # noqa: F401
from iris.recruiters import admin as recruiters_admin  # noqa: F401
