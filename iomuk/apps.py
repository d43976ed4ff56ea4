from django.apps import AppConfig


class IomukConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iomuk"
    verbose_name = "Portal"
