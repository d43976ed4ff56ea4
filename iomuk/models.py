from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from iomuk.choice_labels import ChoiceLabels

from .fields import EncryptedBinaryField, EncryptedTextField


class User(AbstractUser):
    """A staff or partner account: Django's own, in the project's hands so it can grow with a
    plain migration (AUTH_USER_MODEL)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class OutboxMessage(ChoiceLabels, models.Model):
    """One email, written in the same transaction as the change that causes it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # The address and body name people and carry links and codes: encrypted at rest. The subject
    # is fixed text per template.
    to = EncryptedTextField()
    subject = models.CharField(max_length=200)
    body_text = EncryptedTextField()
    body_html = EncryptedTextField(blank=True)
    template = models.CharField(max_length=100, help_text=_("Which email this is."))
    # Extra headers, such as List-Unsubscribe on an alert (a link with a random token).
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A worker takes a batch by writing its own claim on each pending row in one statement; a
    # claim older than OUTBOX_LEASE is a worker that died, and the requeue puts it back.
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sending", "sent", "failed"]),
                name="outbox_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk} ({self.state})"


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=100)
    mimetype = models.CharField(max_length=100)
    content = EncryptedBinaryField()

    def __str__(self) -> str:
        return self.filename


class StaffWorkspace(models.Model):
    """No table: holds the permission to open the staff pages."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_staff_workspace", "Can open the staff workspace")]

    def __str__(self) -> str:
        return "Staff workspace"


class AccessLog(models.Model):
    """Append-only record of who saw or changed a protected record, when, and from where."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30)
    object_type = models.CharField(max_length=50)
    # A reference such as RR-2026-0042: never a name or other personal data.
    object_ref = models.CharField(max_length=50, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_ref", "at"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.object_ref}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")


class DemoWorld(models.Model):
    """One row while the demo world is loaded: seed_demo writes it, and then every page says its
    data is made up. A real deployment never runs seed_demo, so never shows the banner."""

    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="demo_world_one_row"),
        ]

    def __str__(self) -> str:
        return f"Demo world loaded {self.loaded_at:%Y-%m-%d %H:%M}"
