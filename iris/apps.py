from django.apps import AppConfig


class IrisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iris"

    def ready(self):
        # What IRIS adds to the portal's shared parts (imported here: they need the models).
        from iomuk.dashboard import panel_register
        from iomuk.demo import DemoPart, demo_register
        from iomuk.retention import RetentionPolicy, retention_register
        from iomuk.subject_access import subject_access_register

        from . import dashboard, demo
        from .complaints import retention as complaints_retention
        from .complaints import subject_access as complaints_subject_access
        from .recruiters import choices, roster, services, watch
        from .recruiters import subject_access as recruiters_subject_access

        panel_register(*dashboard.PANELS)
        retention_register(
            RetentionPolicy(
                "IRIS complaints",
                "IRIS_RETENTION_DAYS",
                complaints_retention.complaints_anonymise_expired,
            ),
            RetentionPolicy(
                "IRIS applications", "IRIS_RETENTION_DAYS", services.applications_anonymise_expired
            ),
            RetentionPolicy(
                "IRIS unconfirmed watches",
                "IRIS_WATCH_UNCONFIRMED_DAYS",
                watch.watches_delete_unconfirmed,
            ),
        )
        subject_access_register(
            *complaints_subject_access.SOURCES, *recruiters_subject_access.SOURCES
        )
        demo_register(DemoPart("iris", demo.seed_iris, notes=demo.demo_notes))
        roster.connect()  # the search index follows every change to a recruiter
        choices.connect()  # the kept country and sector lists follow every change to them
