"""IRIS complaints' part in a subject access request across the portal (iomuk/subject_access.py):
a person's complaints, found by the email address they gave, or by their name and phone."""

from django.utils.translation import gettext_lazy as _

from iomuk.anonymise import anonymise_each
from iomuk.subject_access import Person, SubjectAccessSource, record_fields

from . import retention
from .models import Complaint
from .services import FINISHED_STAGES

# Secrets that open the complaint to whoever holds them, and the portal's own bookkeeping.
NOT_EXPORTED = ("tracking_code_hash", "submission_token", "news_email")


# Names, in the PDF, for what the models leave unnamed.
LABELS = {
    "reference": _("reference"),
    "stage": _("stage"),
    "name": _("name"),
    "email": _("email"),
    "phone": _("phone"),
    "anonymous": _("anonymous"),
    "preferred_language": _("preferred language"),
    "consent_to_referral": _("consent to referral"),
    "created_at": _("created at"),
    "updated_at": _("updated at"),
    "anonymised_at": _("erased at"),
    "news_emailed_at": _("emailed about news at"),
    "news_pending_since": _("news waiting since"),
    "categories": _("categories"),
    "from_stage": _("from stage"),
    "to_stage": _("to stage"),
    "at": _("at"),
    "body": _("text"),
    "shared_with_complainant": _("shared with the complainant"),
    "language": _("language"),
    "content_type": _("type of file"),
    "size": _("size in bytes"),
    "uploaded_at": _("uploaded at"),
}


def complaints_of(person: Person) -> list[Complaint]:
    """Complaints that gave the person's email address; one that gave no email is theirs only
    when both its name and its phone number are the person's. (The contact details are
    encrypted, so each is read and compared here rather than in SQL.)"""
    found = []
    for complaint in Complaint.objects.filter(anonymous=False).order_by("created_at"):
        if complaint.email:
            if person.has_email(complaint.email):
                found.append(complaint)
        elif person.has_name(complaint.name) and person.has_phone(complaint.phone):
            found.append(complaint)
    return found


def complaint_export(complaint: Complaint, by) -> dict:
    return {
        **record_fields(complaint, leave_out=NOT_EXPORTED),
        "categories": [category.code for category in complaint.categories.all()],
        "transitions": [
            record_fields(move, leave_out=("complaint",)) for move in complaint.transitions.all()
        ],
        **{
            accessor: [
                record_fields(row, leave_out=("complaint", "submission_token"))
                for row in getattr(complaint, accessor).all()
            ]
            for accessor in retention.COMPLAINT_RELATED_BLANKS
        },
        # Described; the files themselves are sent separately.
        "evidence": [
            record_fields(row, leave_out=("complaint", "file")) for row in complaint.evidence.all()
        ],
    }


def complaint_erasable(complaint: Complaint) -> str:
    if complaint.anonymised_at is not None:
        return str(_("Already erased."))
    if complaint.stage not in FINISHED_STAGES:
        return str(_("The complaint is still being looked into: close it first."))
    return ""


def complaint_erase(complaint: Complaint, by) -> bool:
    return bool(
        anonymise_each(
            Complaint.objects.filter(
                pk=complaint.pk, stage__in=FINISHED_STAGES, anonymised_at__isnull=True
            ),
            key="reference",
            blanks=retention.COMPLAINT_PERSONAL_DATA,
            object_type="iris.complaint",
            detail=f"erased at the person's request, by {by.get_username()}",
            dry_run=False,
            related=retention.complaint_related_clear,
        )
    )


SOURCES = (
    SubjectAccessSource(
        kind="IRIS complaints",
        title=_("Complaints to IRIS"),
        rule=_(
            "A complaint is theirs when it gave their email address; one that gave no email "
            "address is theirs only when both the name and the phone number match."
        ),
        object_type="iris.complaint",
        personal_data=retention.COMPLAINT_PERSONAL_DATA,
        related_blanks=retention.COMPLAINT_RELATED_BLANKS,
        related_deleted=retention.COMPLAINT_RELATED_DELETED,
        find=complaints_of,
        export=complaint_export,
        erasable=complaint_erasable,
        erase=complaint_erase,
        language=lambda complaint: complaint.preferred_language,
        labels=LABELS,
        headings={
            "transitions": _("stages of the complaint"),
            "messages": _("messages"),
            "notes": _("notes"),
            "additions": _("what the complainant added"),
            "evidence": _("evidence"),
        },
    ),
)
