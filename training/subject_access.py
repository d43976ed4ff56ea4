"""Training's part in a subject access request across the portal (iomuk/subject_access.py): the
bookings and adapted-session requests made with a person's email address."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomuk.anonymise import anonymise_each
from iomuk.subject_access import Person, SubjectAccessSource, record_fields

from . import services
from .models import AdaptedSessionRequest, Booking

# Names, in the PDF, for what the models leave unnamed.
LABELS = {
    "reference": _("reference"),
    "state": _("state"),
    "created_at": _("created at"),
    "offered_at": _("offered a seat at"),
    "offer_expires_at": _("offer expires at"),
    "cancelled_at": _("cancelled at"),
    "reminder_sent_at": _("reminder sent at"),
    "anonymised_at": _("erased at"),
    "course": _("course"),
    "session_starts_at": _("session starts at"),
    "contact_name": _("contact name"),
    "email": _("email"),
    "phone": _("phone"),
}

# The booking's token opens its page: a secret, not something held about the person.
BOOKING_NOT_EXPORTED = ("token",)


def bookings_of(person: Person) -> list[Booking]:
    """Bookings made with the person's email address, and only those: a name is shared by many
    people, an address is one person's."""
    if not person.email.strip():
        return []
    return list(
        Booking.objects.filter(email__iexact=person.email.strip())
        .select_related("session__course")
        .order_by("created_at")
    )


def booking_export(booking: Booking, by) -> dict:
    return {
        **record_fields(booking, leave_out=BOOKING_NOT_EXPORTED),
        "course": booking.session.course.title,
        "session_starts_at": booking.session.starts_at.isoformat(),
    }


# A booking can go once cancelled, or once its session is over and no certificate is owed.
def _erasable_bookings():
    now = timezone.now()
    return Booking.objects.filter(anonymised_at__isnull=True).filter(
        Q(state=Booking.State.CANCELLED)
        | (
            Q(session__ends_at__lt=now)
            & (Q(certificate__isnull=False) | ~Q(state=Booking.State.CONFIRMED) | ~Q(attended=True))
        )
    )


def booking_erasable(booking: Booking) -> str:
    if booking.anonymised_at is not None:
        return str(_("Already erased."))
    if not _erasable_bookings().filter(pk=booking.pk).exists():
        return str(
            _(
                "The booking is still in use: cancel it, or wait until the session is over "
                "and its certificate is issued."
            )
        )
    return ""


def booking_erase(booking: Booking, by) -> bool:
    return bool(
        anonymise_each(
            _erasable_bookings().filter(pk=booking.pk),
            key="reference",
            blanks=services.booking_blanks,
            object_type="training.booking",
            detail=f"erased at the person's request, by {by.get_username()}",
            dry_run=False,
        )
    )


def requests_of(person: Person) -> list[AdaptedSessionRequest]:
    """Adapted-session requests made with the person's email address."""
    if not person.email.strip():
        return []
    return list(
        AdaptedSessionRequest.objects.filter(email__iexact=person.email.strip()).order_by(
            "created_at"
        )
    )


def request_erasable(request: AdaptedSessionRequest) -> str:
    if request.anonymised_at is not None:
        return str(_("Already erased."))
    if request.state != AdaptedSessionRequest.State.ANSWERED:
        return str(_("The request is waiting for an answer: answer it first."))
    return ""


def request_erase(request: AdaptedSessionRequest, by) -> bool:
    return bool(
        anonymise_each(
            AdaptedSessionRequest.objects.filter(
                pk=request.pk,
                state=AdaptedSessionRequest.State.ANSWERED,
                anonymised_at__isnull=True,
            ),
            key="reference",
            blanks=services.ADAPTED_REQUEST_PERSONAL_DATA,
            object_type="training.adaptedsessionrequest",
            detail=f"erased at the person's request, by {by.get_username()}",
            dry_run=False,
        )
    )


SOURCES = (
    SubjectAccessSource(
        kind="training bookings",
        title=_("Training bookings"),
        rule=_(
            "A training booking is theirs when it was made with their email address; "
            "the name on it is not enough, as two people can share a name."
        ),
        object_type="training.booking",
        # The email is replaced by an address that can never receive mail (see the service).
        personal_data={**services.BOOKING_PERSONAL_DATA, "email": ""},
        find=bookings_of,
        export=booking_export,
        erasable=booking_erasable,
        erase=booking_erase,
        labels=LABELS,
    ),
    SubjectAccessSource(
        kind="adapted-session requests",
        title=_("Requests for an adapted training session"),
        rule=_("A request is theirs when it was made with their email address."),
        object_type="training.adaptedsessionrequest",
        personal_data=services.ADAPTED_REQUEST_PERSONAL_DATA,
        find=requests_of,
        export=lambda request, by: record_fields(request),
        erasable=request_erasable,
        erase=request_erase,
        labels=LABELS,
    ),
)
