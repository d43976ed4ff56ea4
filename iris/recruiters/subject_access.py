"""The IRIS roster's part in a subject access request across the portal
(iomuk/subject_access.py): the applications a person made as an organisation's contact, and the
recruiters they watch, found by their email address."""

from django.utils.translation import gettext_lazy as _

from iomuk.anonymise import anonymise_each, delete_each
from iomuk.subject_access import Person, SubjectAccessSource, record_fields

from . import services, watch
from .models import Application, RecruiterWatch

DECIDED = [Application.State.ACCEPTED, Application.State.REJECTED]


# Names, in the PDF, for what the models leave unnamed.
LABELS = {
    "reference": _("reference"),
    "state": _("state"),
    "contact_name": _("contact name"),
    "contact_email": _("contact email"),
    "contact_phone": _("contact phone"),
    "website": _("website"),
    "language": _("language"),
    "created_at": _("created at"),
    "decided_at": _("decided at"),
    "anonymised_at": _("erased at"),
    "email": _("email"),
    "confirmed_at": _("confirmed at"),
}


def applications_of(person: Person) -> list[Application]:
    """Applications whose contact email address is the person's."""
    if not person.email.strip():
        return []
    return list(Application.objects.filter(contact_email__iexact=person.email.strip()))


def application_erasable(application: Application) -> str:
    if application.anonymised_at is not None:
        return str(_("Already erased."))
    if application.state not in DECIDED:
        return str(_("The application is waiting for a decision: decide it first."))
    return ""


def application_erase(application: Application, by) -> bool:
    return bool(
        anonymise_each(
            Application.objects.filter(
                pk=application.pk, state__in=DECIDED, anonymised_at__isnull=True
            ),
            key="reference",
            blanks=services.APPLICATION_PERSONAL_DATA,
            object_type="iris.application",
            detail=f"erased at the person's request, by {by.get_username()}",
            dry_run=False,
            related=services.application_copies_cleared,
        )
    )


def watches_of(person: Person) -> list[RecruiterWatch]:
    """Watches of any recruiter from the person's email address."""
    if not person.email.strip():
        return []
    return list(RecruiterWatch.objects.filter(email__iexact=person.email.strip()).order_by("pk"))


def watch_erase(record: RecruiterWatch, by) -> bool:
    # A watch holds nothing but the address: it goes whole, as an unconfirmed one does.
    deleted = delete_each(
        RecruiterWatch.objects.filter(pk=record.pk),
        key="pk",
        object_type="iris.watch",
        detail=f"erased at the person's request, by {by.get_username()}",
        dry_run=False,
    )
    return bool(deleted)


SOURCES = (
    SubjectAccessSource(
        kind="IRIS applications",
        title=_("Applications to join the IRIS list"),
        rule=_("An application is theirs when its contact email address is theirs."),
        object_type="iris.application",
        personal_data=services.APPLICATION_PERSONAL_DATA,
        find=applications_of,
        export=lambda application, by: record_fields(application),
        erasable=application_erasable,
        erase=application_erase,
        language=lambda application: application.language,
        labels=LABELS,
    ),
    SubjectAccessSource(
        kind="IRIS unconfirmed watches",
        title=_("Emails about a recruiter's accreditation"),
        rule=_("A watch is theirs when it is kept for their email address."),
        object_type="iris.watch",
        personal_data=watch.WATCH_PERSONAL_DATA,
        key="pk",
        find=watches_of,
        # The token opens the watch's own pages: a secret, not something held about the person.
        export=lambda record, by: record_fields(record, leave_out=("token", "last_notice")),
        erasable=lambda record: "",
        erase=watch_erase,
        language=lambda record: record.language,
        labels=LABELS,
    ),
)
