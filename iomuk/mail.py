"""Email backends of our own: only the one that keeps bodies out of a production log."""

import sys

from django.core.mail.backends.base import BaseEmailBackend


class RedactedConsoleBackend(BaseEmailBackend):
    """With no mail server set in production, say that a message would go, never what it says.

    Bodies hold tracking codes, reset links and booking tokens, and addresses name people:
    neither may reach a log. Only the (fixed, per-template) subject and a count are printed.
    """

    def send_messages(self, email_messages):
        for message in email_messages:
            count = len(message.recipients())
            sys.stderr.write(
                f"Email not sent (no EMAIL_URL set): '{message.subject}' to {count} recipient(s)\n"
            )
        return len(email_messages)
