"""The contacts a recruiter has authorised, and the warning list of contacts that pretend to be
one. Fields, constraints and properties only: iris.recruiters.contact_services writes them.

Each row keeps the contact as written (`value`) and as compared (`key`, see contact_keys.py).
A contact is never deleted: removing it sets `removed_at`, and every change is in its history,
so officers can say which contacts a recruiter had on any day.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .contact_keys import KINDS


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    WEB = "web", _("Website or email domain")
    EMAIL = "email", _("Email address")
    SOCIAL = "social", _("Social media page")
    AGENT = "agent", _("Named agent")


assert tuple(ContactKind.values) == KINDS


class _Listed(models.Model):
    """What both lists keep of a contact: as written (`value`), as compared (`key`), and who
    added and removed it."""

    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind)
    value = models.CharField(_("contact"), max_length=200)
    key = models.CharField(max_length=220, editable=False)
    note = models.CharField(_("note for officers"), max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.value


class RecruiterContact(_Listed):
    """A phone number, web address, email domain, social page or agent a recruiter has told
    IRIS is its own."""

    recruiter = models.ForeignKey(
        "iris.Recruiter", on_delete=models.CASCADE, related_name="contacts"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("authorised contact")
        indexes = [
            # The check: one look-up of a key among the contacts in force.
            models.Index(
                fields=["key"],
                condition=Q(removed_at__isnull=True),
                name="iris_contact_key_current",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recruiter", "key"],
                condition=Q(removed_at__isnull=True),
                name="iris_contact_once_per_recruiter",
            ),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="iris_contact_kind_valid"),
            models.CheckConstraint(condition=~Q(key=""), name="iris_contact_has_key"),
        ]


class ImpostorContact(_Listed):
    """A contact that claims to be a listed recruiter and is not: the public warning list.

    It names what was reported and whom it imitates, never who reported it."""

    class Source(models.TextChoices):
        OFFICER = "officer", _("Found by an officer")
        COMPLAINT = "complaint", _("Named in a complaint")

    imitates = models.ForeignKey(
        "iris.Recruiter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="impostors",
        verbose_name=_("pretends to be"),
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    source = models.CharField(max_length=10, choices=Source, default=Source.OFFICER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("known impostor")
        constraints = [
            # Also the check's index: one look-up of a key among the impostors listed.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(removed_at__isnull=True),
                name="iris_impostor_listed_once",
            ),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="iris_impostor_kind_valid"),
            models.CheckConstraint(condition=~Q(key=""), name="iris_impostor_has_key"),
            models.CheckConstraint(
                condition=Q(source__in=["officer", "complaint"]), name="iris_impostor_source_valid"
            ),
        ]
