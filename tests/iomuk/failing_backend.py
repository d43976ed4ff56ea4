import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"try again later")


class RefusingRecipientBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, naming the address in its error."""

    def send_messages(self, email_messages):
        refused = {to: (550, b"no such mailbox") for m in email_messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)
