from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "returns"

    def ready(self):
        # What returns adds to the portal's shared parts (imported here: they need the models).
        from iomuk.dashboard import panel_register
        from iomuk.demo import DemoPart, demo_register
        from iomuk.retention import RetentionPolicy, retention_register
        from iomuk.subject_access import subject_access_register

        from . import dashboard, demo, services, subject_access

        panel_register(*dashboard.PANELS)
        retention_register(
            RetentionPolicy(
                "return cases", "RETURNS_RETENTION_DAYS", services.cases_anonymise_expired
            ),
        )
        subject_access_register(*subject_access.SOURCES)
        demo_register(DemoPart("returns", demo.seed_returns))
