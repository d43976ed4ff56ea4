from django.apps import AppConfig

from . import checks  # noqa: F401 - registers the portal's deployment checks


class IomukConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iomuk"
    verbose_name = "Portal"
