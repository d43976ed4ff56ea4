"""Training reads: sessions and bookings as the public and attendees see them, the staff
workspace's figures (counted by the database, returned as plain data), and what retention is
due to remove.

The figures run a fixed number of queries, however many sessions and bookings there are.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts

from .documents import LONDON
from .models import AdaptedSessionRequest, Booking, Certificate, Sector, Session

UPCOMING_SESSIONS_SHOWN = 10
PAST_SESSIONS_SHOWN = 8
MONTHS_SHOWN = 6


def upcoming_session_fill(*, now: datetime | None = None) -> list[dict]:
    """The next scheduled sessions with their seats booked, people waiting and seats left."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(state=Session.State.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "pk")
        .annotate(
            booked=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES)),
            waiting=Count("bookings", filter=Q(bookings__state=Booking.State.WAITING)),
        )
        .values("slug", "starts_at", "capacity", "booked", "waiting", "course__title")
    )[:UPCOMING_SESSIONS_SHOWN]
    return [
        {
            "slug": s["slug"],
            "starts_on": timezone.localtime(s["starts_at"]).date(),
            "course": s["course__title"],
            "capacity": s["capacity"],
            "booked": s["booked"],
            "waiting": s["waiting"],
            "seats_left": max(s["capacity"] - s["booked"], 0),
        }
        for s in sessions
    ]


def bookings_by_sector_by_month(*, today: date | None = None) -> dict:
    """Bookings made in each of the last months (this one included), counted per sector."""
    today = today or timezone.localdate()
    months = month_starts(today, MONTHS_SHOWN)
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    rows = (
        Booking.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(month, sector): 0 for month in months for sector in Sector.values}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        if (month, row["sector"]) in counts:  # a booking dated ahead is not this month's
            counts[(month, row["sector"])] += row["n"]
    return {
        "months": months,
        "sectors": [(value, label) for value, label in Sector.choices],
        "counts": counts,
    }


def past_session_attendance(*, now: datetime | None = None) -> list[dict]:
    """The latest sessions that have ended: confirmed attendees, who came, who did not, unmarked."""
    now = now or timezone.now()
    confirmed = Q(bookings__state=Booking.State.CONFIRMED)
    sessions = (
        Session.objects.filter(state=Session.State.SCHEDULED, ends_at__lt=now)
        .order_by("-starts_at", "-pk")
        .annotate(
            confirmed=Count("bookings", filter=confirmed),
            attended=Count("bookings", filter=confirmed & Q(bookings__attended=True)),
            absent=Count("bookings", filter=confirmed & Q(bookings__attended=False)),
        )
        .values("slug", "starts_at", "course__title", "confirmed", "attended", "absent")
    )[:PAST_SESSIONS_SHOWN]
    result = []
    for s in reversed(list(sessions)):
        marked = s["attended"] + s["absent"]
        result.append(
            {
                "slug": s["slug"],
                "starts_on": timezone.localtime(s["starts_at"]).date(),
                "course": s["course__title"],
                "confirmed": s["confirmed"],
                "attended": s["attended"],
                "absent": s["absent"],
                "unmarked": s["confirmed"] - marked,
                # The rate counts only bookings whose attendance has been marked.
                "rate": round(100 * s["attended"] / marked) if marked else None,
            }
        )
    return result


def adapted_requests_awaiting(*, now: datetime | None = None) -> dict:
    """Requests for an adapted session not yet answered: how many per sector, and the oldest."""
    now = now or timezone.now()
    waiting = AdaptedSessionRequest.objects.filter(state=AdaptedSessionRequest.State.NEW)
    by_sector = dict(
        waiting.values("sector").annotate(n=Count("pk")).order_by().values_list("sector", "n")
    )
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "total": sum(by_sector.values()),
        "by_sector": [
            (label, by_sector[value]) for value, label in Sector.choices if value in by_sector
        ],
        "oldest_days": (now - oldest).days if oldest else None,
    }


def certificate_find(*, code: str) -> Certificate | None:
    """The certificate with this code, with its session and course, in one query, or None."""
    return Certificate.objects.select_related("booking__session__course").filter(code=code).first()


# Sessions and bookings as the public and attendees see them
def sessions_with_course():
    return Session.objects.select_related("course")


def bookings_with_course():
    return Booking.objects.select_related("session__course")


def certificates_with_course():
    return Certificate.objects.select_related("booking__session__course")


def certificate_of(*, booking: Booking) -> Certificate | None:
    return Certificate.objects.filter(booking=booking).first()


def session_roll_call(*, session: Session):
    """The session's confirmed bookings, the people on its roll call."""
    return session.bookings.filter(state=Booking.State.CONFIRMED).select_related("certificate")


def bookings_for_export(*, sessions):
    """Every booking of `sessions`, in the attendee list's order."""
    return (
        Booking.objects.filter(session__in=sessions)
        .select_related("session")
        .order_by("session__starts_at", "state", "created_at")
    )


def session_seats_taken(*, session: Session) -> int:
    if hasattr(session, "seats_taken"):
        return session.seats_taken
    return session.bookings.filter(state__in=Booking.SEAT_STATES).count()


def session_status(*, session: Session, now=None) -> str:
    """One of "open", "full", "closed", "cancelled", "past" for what the public may do."""
    now = now or timezone.now()
    if session.state == Session.State.CANCELLED:
        return "cancelled"
    if session.starts_at <= now:
        return "past"
    if session.booking_deadline <= now:
        return "closed"
    if session_seats_taken(session=session) >= session.capacity:
        return "full"
    return "open"


def booking_waiting_position(*, booking: Booking) -> int | None:
    """Where a waiting booking stands in its session's line (1 is next), else None."""
    if booking.state != Booking.State.WAITING:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, state=Booking.State.WAITING
    ).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, id__lt=booking.id)
    )
    return ahead.count() + 1


def booking_status(*, booking: Booking, now=None) -> str:
    """What the attendee's own page says: the booking's state until the session starts, then
    "attended", "absent", "under_way" or "unmarked" (roll call not taken yet), or "missed"
    (never had a seat)."""
    now = now or timezone.now()
    session = booking.session
    if booking.state == Booking.State.CANCELLED or session.state == Session.State.CANCELLED:
        return Booking.State.CANCELLED
    if session.starts_at > now:
        return booking.state
    if booking.state != Booking.State.CONFIRMED:
        return "missed"
    if booking.attended is None:
        return "under_way" if session.ends_at > now else "unmarked"
    return "attended" if booking.attended else "absent"


def sessions_instead(*, booking: Booking, limit: int = 3) -> list[Session]:
    """A few sessions still open for booking, other than the booking's own: the same course
    first, then the soonest."""
    others = session_list_bookable(filters={}).exclude(pk=booking.session_id)
    shown = list(others.filter(course_id=booking.session.course_id)[:limit])
    if len(shown) < limit:
        shown += others.exclude(pk__in=[s.pk for s in shown])[: limit - len(shown)]
    return shown


def _seats_taken():
    """Seats taken of each session, as a subquery: counted for the rows shown, not grouped."""
    taken = (
        Booking.objects.filter(session=OuterRef("pk"), state__in=Booking.SEAT_STATES)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def session_list_bookable(*, filters: dict, now=None):
    """Upcoming scheduled sessions still taking bookings, with seats_taken annotated."""
    now = now or timezone.now()
    qs = (
        Session.objects.filter(
            state=Session.State.SCHEDULED, starts_at__gt=now, booking_deadline__gt=now
        )
        .select_related("course")
        .annotate(seats_taken=_seats_taken())
        .order_by("starts_at", "id")
    )
    if filters.get("format"):
        qs = qs.filter(format=filters["format"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("audience"):
        qs = qs.filter(course__audiences__code=filters["audience"])
    if filters.get("month"):
        year, month = filters["month"]
        start = timezone.datetime(year, month, 1, tzinfo=LONDON)
        end = timezone.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=LONDON)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    return qs


def session_with_seats(*, slug: str) -> Session:
    """The session with its seats taken and the length of its waiting list counted."""
    return (
        Session.objects.select_related("course")
        .annotate(
            seats_taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES)),
            waiting_count=Count("bookings", filter=Q(bookings__state=Booking.State.WAITING)),
        )
        .get(slug=slug)
    )


# Past retention
def bookings_due_for_anonymising(*, now=None):
    """Bookings of sessions that ended TRAINING_RETENTION_DAYS ago with no certificate still due."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRAINING_RETENTION_DAYS)
    return (
        Booking.objects.filter(session__ends_at__lt=cutoff, anonymised_at__isnull=True)
        .filter(
            Q(certificate__isnull=False) | ~Q(state=Booking.State.CONFIRMED) | ~Q(attended=True)
        )
        .order_by("pk")
    )


def adapted_requests_due_for_anonymising(*, now=None):
    """Answered requests made over TRAINING_REQUEST_RETENTION_DAYS ago (never one still new)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRAINING_REQUEST_RETENTION_DAYS)
    return AdaptedSessionRequest.objects.filter(
        state=AdaptedSessionRequest.State.ANSWERED,
        created_at__lt=cutoff,
        anonymised_at__isnull=True,
    ).order_by("pk")
