from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iomuk.accounts import ENROLMENT_LINK_HOURS, enrolment_link_issue
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
        self._set_up_links([username for username, _role in accounts])

    def _set_up_links(self, usernames: list[str]) -> None:
        # An authenticator is set up only through a one-time link sent by email. For local use
        # (DEBUG on) the links are printed here instead; elsewhere each account asks for its
        # own after signing in, or an administrator sends it from the admin.
        if not settings.DEBUG:
            self.stdout.write(
                "Each account sets up its authenticator app through a link sent to its email "
                "address: sign in, then ask for the link (or send it from the admin)."
            )
            return
        pending = User.objects.filter(username__in=usernames).exclude(totpdevice__confirmed=True)
        if pending:
            self.stdout.write(
                "Set-up links for the authenticator app (sign in first, then open the link; "
                f"each works once, for {ENROLMENT_LINK_HOURS} hours):"
            )
        for user in pending.order_by("pk"):
            self.stdout.write(f"  {user.username:<12} {enrolment_link_issue(user=user)}")
