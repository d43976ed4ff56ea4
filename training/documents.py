"""The documents training hands out: the session as a calendar file, and the CPD certificate.

The certificate uses the portal's PDF font set-up (iomuk/pdf.py): it covers every name the
portal takes, "Ștefan" and "Петров" alike, on any machine."""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from iomuk.dates import long_date
from iomuk.outbox import Attachment
from iomuk.pdf import FONT, pdf_start, write

from .models import Booking, Certificate, Session

LONDON = ZoneInfo("Europe/London")


def booking_calendar_uid(booking: Booking) -> str:
    """One event per booking: every file sent for it carries this UID, so each one updates or
    removes the event the confirmation put in the person's calendar."""
    return f"{booking.reference}@training.iom-uk.example"


def booking_calendar_sequence(booking: Booking) -> int:
    """The event's revision. The session's version moves on with every change of time or place
    (each sent as a new revision); a cancellation, which changes no version, is one above it,
    so a calendar takes it over every file sent before."""
    session = booking.session
    cancelled = session.state == Session.State.CANCELLED or booking.state == Booking.State.CANCELLED
    return session.version + 1 if cancelled else session.version


def booking_calendar(*, booking: Booking, method: str = "PUBLISH") -> bytes:
    """The session as an iCalendar file, in Europe/London time; the link only once confirmed.

    A file downloaded from the booking page is published (`PUBLISH`); one emailed to the person
    is an invitation (`REQUEST`) or its cancellation (`CANCEL`), which calendars apply to the
    event of the same UID when its SEQUENCE is higher than the one they hold."""
    session = booking.session
    cal = Calendar()
    cal.add("prodid", "-//IOM UK//Training//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", booking_calendar_uid(booking))
    event.add("sequence", booking_calendar_sequence(booking))
    event.add("dtstamp", timezone.now())
    if method != "PUBLISH":
        # An invitation and its cancellation name who sends them and whom they are for.
        organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
        organizer.params["cn"] = "IOM UK training"
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{booking.email}")
        attendee.params["rsvp"] = "FALSE"
        event.add("attendee", attendee)
    event.add("dtstart", session.starts_at.astimezone(LONDON))
    event.add("dtend", session.ends_at.astimezone(LONDON))
    event.add("summary", session.course.title)
    url = f"{settings.SITE_URL}/training/bookings/{booking.token}/"
    description = [session.course.summary, "", f"{_('Booking reference')}: {booking.reference}"]
    if session.format == Session.Format.ONLINE:
        if booking.state == Booking.State.CONFIRMED and session.online_link:
            event.add("location", session.online_link)
            description.append(f"{_('Joining link')}: {session.online_link}")
    else:
        event.add("location", ", ".join(p for p in [session.venue, session.address] if p))
    description.append(f"{_('Your booking')}: {url}")
    event.add("description", "\n".join(description))
    event.add("url", url)
    if session.state == Session.State.CANCELLED or booking.state == Booking.State.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar_attachment(booking: Booking) -> Attachment:
    """The invitation emailed with a confirmation, a reminder or a change of time or place."""
    return Attachment(
        "training-session.ics",
        "text/calendar",
        booking_calendar(booking=booking, method="REQUEST"),
    )


def calendar_cancellation(booking: Booking) -> Attachment:
    """The cancellation emailed when a booking or its session is cancelled: it removes the
    event the confirmation added."""
    return Attachment(
        "training-session-cancelled.ics",
        "text/calendar",
        booking_calendar(booking=booking, method="CANCEL"),
    )


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """A one-page CPD certificate: holder, course, date, hours and the code to check it with."""
    booking = certificate.booking
    session = booking.session
    pdf = pdf_start(
        title=_("Certificate of attendance"),
        language=get_language() or settings.LANGUAGE_CODE,
        orientation="landscape",
    )

    day = long_date(timezone.localtime(session.starts_at, LONDON))
    hours = session.course.cpd_hours.normalize()
    check = f"{settings.SITE_URL}/training/certificates/{certificate.code}/"
    pdf.ln(20)
    for role, style, size, height, text in (
        ("H1", "B", 28, 16, _("Certificate of attendance")),
        ("P", "", 14, 10, _("This is to certify that")),
        ("P", "B", 22, 14, booking.name),
        ("P", "", 14, 10, _("attended the CPD accredited session")),
        ("P", "B", 16, 12, session.course.title),
        ("P", "", 13, 10, _("on %(day)s") % {"day": day}),
        ("P", "", 13, 10, _("CPD hours: %(hours)s") % {"hours": hours}),
    ):
        pdf.set_font(FONT, style, size)
        write(pdf, text, role=role, h=height, align="C")
    pdf.ln(16)
    pdf.set_font(FONT, "", 11)
    for text in (
        _("Verification code: %(code)s") % {"code": certificate.code},
        _("Check it at %(url)s") % {"url": check},
        _("International Organization for Migration (IOM) UK"),
    ):
        write(pdf, text, h=8, align="C")
    return bytes(pdf.output())
