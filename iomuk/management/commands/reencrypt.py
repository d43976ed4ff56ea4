from django.core.management.base import BaseCommand

from iomuk.fields import reencrypt_all


class Command(BaseCommand):
    help = (
        "Encrypt every encrypted field again (history tables too) under the first key of "
        "FIELD_ENCRYPTION_KEY. To rotate: put the new key first, keep the old one after it, run "
        "this, then remove the old key. Prints counts of rows per model, never values."
    )

    def handle(self, *args, **options):
        for label, count in reencrypt_all().items():
            self.stdout.write(f"{label}: {count}")
