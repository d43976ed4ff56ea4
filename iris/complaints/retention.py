"""Retention of complaints: what is removed from a finished complaint, and when."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from iomuk.anonymise import anonymise_each, anonymise_related

from .models import Complaint
from .services import FINISHED_STAGES

# Who complained and what they told us; reference, stage, recruiter, countries and
# categories stay for the figures and the recruiter's record.
COMPLAINT_PERSONAL_DATA = {
    "name": "",
    "email": "",
    "phone": "",
    "safe_contact": "",
    "description": "",
    "happened_when": "",
    "unlisted_contact": "",
}
# The complaint's rows that hold what people wrote: blanked, or deleted with their files.
COMPLAINT_RELATED_BLANKS = {
    "messages": {"body": ""},
    "notes": {"body": ""},
    "additions": {"body": ""},
}
COMPLAINT_RELATED_DELETED = ("evidence",)


def complaints_due_for_anonymising(*, now=None):
    """Finished complaints whose last stage move is older than IRIS_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IRIS_RETENTION_DAYS)
    return (
        Complaint.objects.filter(stage__in=FINISHED_STAGES, anonymised_at__isnull=True)
        .annotate(finished_at=Coalesce(Max("transitions__at"), "updated_at"))
        .filter(finished_at__lt=cutoff)
        .order_by("pk")
    )


def complaints_anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Anonymise finished complaints past retention; messages, notes, what the complainant added
    and evidence files go too."""
    return anonymise_each(
        complaints_due_for_anonymising(now=now),
        key="reference",
        blanks=COMPLAINT_PERSONAL_DATA,
        object_type="iris.complaint",
        detail=f"finished over {settings.IRIS_RETENTION_DAYS} days ago",
        dry_run=dry_run,
        now=now,
        related=complaint_related_clear,
    )


def complaint_related_clear(complaint: Complaint) -> str:
    anonymise_related(complaint, blanks=COMPLAINT_RELATED_BLANKS)
    names = [evidence.file.name for evidence in complaint.evidence.all()]
    for related in COMPLAINT_RELATED_DELETED:
        getattr(complaint, related).all().delete()
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return f"; {len(names)} file(s) deleted"
