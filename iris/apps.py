from django.apps import AppConfig


class IrisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iris"

    def ready(self) -> None:
        from . import roster

        roster.connect()
