from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"

    def ready(self):
        # What training adds to the portal's shared parts (imported here: they need the models).
        from iomuk.dashboard import panel_register
        from iomuk.demo import DemoPart, demo_register
        from iomuk.retention import RetentionPolicy, retention_register
        from iomuk.subject_access import subject_access_register

        from . import dashboard, demo, services, subject_access

        panel_register(*dashboard.PANELS)
        retention_register(
            RetentionPolicy(
                "training bookings", "TRAINING_RETENTION_DAYS", services.bookings_anonymise_expired
            ),
            RetentionPolicy(
                "adapted-session requests",
                "TRAINING_REQUEST_RETENTION_DAYS",
                services.adapted_requests_anonymise_expired,
            ),
        )
        subject_access_register(*subject_access.SOURCES)
        demo_register(DemoPart("training", demo.seed_training))
