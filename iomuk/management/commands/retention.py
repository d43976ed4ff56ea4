from django.conf import settings
from django.core.management.base import BaseCommand

from iomuk.retention import retention_apply, retention_policies


class Command(BaseCommand):
    help = (
        "Anonymise what is past its retention period: bookings TRAINING_RETENTION_DAYS after "
        "their session (once certificates are issued), answered adapted-session requests "
        "TRAINING_REQUEST_RETENTION_DAYS after they were made, finished return cases "
        "RETURNS_RETENTION_DAYS and finished complaints IRIS_RETENTION_DAYS after their last "
        "stage move, deleting their files, and decided IRIS applications IRIS_RETENTION_DAYS "
        "after the decision. Prints counts and references (an application's id), never names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be done; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        done = retention_apply(dry_run=dry_run)
        days = {p.kind: getattr(settings, p.period_setting) for p in retention_policies()}
        verb = "would be anonymised" if dry_run else "anonymised"
        for kind, references in done.items():
            self.stdout.write(f"{kind} {verb} (period {days[kind]} days): {len(references)}")
            for reference in references:
                self.stdout.write(f"  {reference}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
