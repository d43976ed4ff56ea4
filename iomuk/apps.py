from django.apps import AppConfig

from . import checks  # noqa: F401 - registers the portal's deployment checks
from .catalogues import drop_empty_catalogues


class IomukConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iomuk"
    verbose_name = "Portal"

    def ready(self):
        drop_empty_catalogues()
