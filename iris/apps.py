from django.apps import AppConfig


class IrisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iris"
