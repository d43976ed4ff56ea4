"""Email of our own: the outbox's message, and the backend that keeps bodies out of a log."""

import email.policy
import functools
import sys
from email.headerregistry import HeaderRegistry
from email.policy import Policy

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


class _HeaderClassesMadeOnce(HeaderRegistry):
    """The standard library's header registry, which makes a new class for each header of each
    message it builds (over a quarter of the time to write a reminder out). Here each class is
    made once per process and name; the classes, so the headers, are the same."""

    def __init__(self):
        super().__init__()
        self._made = {}

    def __getitem__(self, name):
        name = name.lower()
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = super().__getitem__(name)
        return made


@functools.cache
def _with_classes_made_once(policy: Policy) -> Policy:
    return policy.clone(header_factory=_HeaderClassesMadeOnce())


class OutboxEmail(EmailMultiAlternatives):
    """An outbox message as the mail server gets it: written out as Django writes it, byte for
    byte (tests/iomuk/test_outbox.py), with the header registry above."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_with_classes_made_once(policy))


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
