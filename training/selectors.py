"""Training reads for the staff workspace: figures counted by the database, returned as plain data.

Each function runs a fixed number of queries, however many sessions and bookings there are.
"""

from datetime import date, datetime, time

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from iomuk.periods import month_starts

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
