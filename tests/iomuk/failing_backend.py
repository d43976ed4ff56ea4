import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"try again later")
