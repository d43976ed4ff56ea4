from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iomuk.demo import seed_accounts
from iris.demo import seed_iris
from returns.demo import seed_returns
from training.demo import seed_training


class Command(BaseCommand):
    help = (
        "Fill the database with the demo world: one account per role, training sessions, "
        "return cases and IRIS recruiters and complaints. Safe to run again. "
        "Refuses to run without DEMO_PASSWORD when DEBUG is off."
    )

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or (
            "demo-password-for-local-use" if settings.DEBUG else ""
        )
        if not password:
            raise CommandError("Set DEMO_PASSWORD: the demo accounts need a password.")
        with transaction.atomic():
            accounts = seed_accounts(password=password)
            seed_training()
            seed_returns()
            seed_iris()
        self.stdout.write("Demo accounts (password: the value of DEMO_PASSWORD):")
        if not settings.DEMO_PASSWORD:
            self.stdout.write(
                "  DEMO_PASSWORD is not set; with DEBUG on the password is "
                "demo-password-for-local-use"
            )
        for username, role in accounts:
            self.stdout.write(f"  {username:<12} {role}")
