from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change that causes it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    template = models.CharField(max_length=100, help_text=_("Which email this is."))
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sent", "failed"]),
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
    content = models.BinaryField()

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
