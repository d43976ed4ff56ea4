import contextlib
import io
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from iomuk.accounts import ENROLMENT_LINK_HOURS, enrolment_link_issue
from iomuk.demo import demo_parts, demo_world_mark, seed_accounts
from iomuk.models import OutboxMessage, User


class Command(BaseCommand):
    help = (
        "Fill the database with the demo world: one account per role, training sessions, "
        "return cases and IRIS recruiters and complaints. Safe to run again. "
        "Refuses to run without DEMO_PASSWORD when DEBUG is off. Ends with what a newcomer "
        "needs: the address, the accounts, and a complaint to follow."
    )

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or (
            "demo-password-for-local-use" if settings.DEBUG else ""
        )
        if not password:
            raise CommandError("Set DEMO_PASSWORD: the demo accounts need a password.")
        # The demo world sends its emails as it is made: the console mail backend (the default
        # with DEBUG on) would print each one here, and Celery a line per delivery. They stay
        # readable in the outbox instead; warnings still show.
        logging.disable(logging.INFO)
        try:
            with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
                demo_world_mark()
                accounts = seed_accounts(password=password)
                for part in demo_parts():
                    part.seed()
                notes = [line for part in demo_parts() if part.notes for line in part.notes()]
        finally:
            logging.disable(logging.NOTSET)
        self._summary(accounts=accounts, notes=notes)

    def _summary(self, *, accounts, notes: list[str]) -> None:
        site, write = settings.SITE_URL, self.stdout.write
        write(f"The demo portal: {site}/")
        write("")
        write(f"Demo accounts (sign in at {site}{reverse('login')}):")
        for username, role in accounts:
            write(f"  {username:<12} {role}")
        if settings.DEMO_PASSWORD:
            write("  Password: the value of DEMO_PASSWORD.")
        else:
            write("  Password: demo-password-for-local-use (DEMO_PASSWORD is not set).")
        self._set_up_links([username for username, _role in accounts])
        for line in notes:
            write(line)
        write("")
        emails = OutboxMessage.objects.count()
        outbox = reverse("admin:iomuk_outboxmessage_changelist")
        write(f"The portal's emails ({emails} so far) are in the outbox: {site}{outbox}")

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
