from django.conf import settings
from django.core.management.base import BaseCommand

from returns.services import cases_purge_expired


class Command(BaseCommand):
    help = (
        "Delete finished return cases (closed, withdrawn, not eligible), with their notes and "
        "documents, RETURNS_RETENTION_DAYS after their last stage move. Prints the references."
    )

    def handle(self, *args, **options):
        purged = cases_purge_expired()
        for reference in purged:
            self.stdout.write(reference)
        self.stdout.write(
            f"{len(purged)} case(s) past {settings.RETURNS_RETENTION_DAYS} days deleted."
        )
