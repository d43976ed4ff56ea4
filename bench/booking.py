"""Scenario 3, booking rush: 500 people book the last 30 seats of a session at the same moment.

A session of 60 seats with 30 already confirmed; every person opens its page, then all send the
real booking form together (bench/rush.py). The database then must hold exactly 30 new confirmed
bookings and 470 on the waiting list, and every person must have been answered with the redirect
to their booking.
"""

from datetime import timedelta

from . import data
from .rush import rush

PEOPLE = 500
SEATS_LEFT = 30
CAPACITY = 60
SLUG = "bench-rush"


def _rush_session():
    """A fresh session with its last SEATS_LEFT seats free (made again on every run)."""
    from django.utils import timezone

    Session = data._model("training", "Session")  # noqa: N806
    Booking = data._model("training", "Booking")  # noqa: N806
    Course = data._model("training", "Course")  # noqa: N806
    course = Course.objects.order_by("pk").first()
    if course is None:
        raise RuntimeError("no training course to book (seed_demo makes them)")
    starts = timezone.now() + timedelta(days=30)
    session = Session.objects.create(
        course=course,
        slug=f"{SLUG}-{timezone.now():%H%M%S}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=2),
        format=Session.Format.ONLINE,
        online_link="https://meet.iom-uk.example/j/bench-rush",
        capacity=CAPACITY,
    )
    Booking.objects.bulk_create(
        Booking(
            session=session,
            reference=f"TR-R{session.pk:05d}{n:03d}",
            token=f"bench-rush-{session.pk}-{n}",
            name=f"Early Booker {n}",
            email=f"early{n}@bench.example",
            organisation="Bench Borough Council",
            sector="local_authority",
            job_title="Officer",
            state=Booking.State.CONFIRMED,
        )
        for n in range(CAPACITY - SEATS_LEFT)
    )
    return session


def _booking_form(forms):
    return next(
        (f for f in forms if f.method == "post" and any(x.name == "email" for x in f.fields)), None
    )


def run(ctx) -> list[dict]:

    Booking = data._model("training", "Booking")  # noqa: N806
    # People read the page a moment before they send it.
    wait_s = 0.5
    session = _rush_session()
    result = rush(
        ctx.base_url,
        f"/training/{session.slug}/",
        people=PEOPLE,
        pick_form=_booking_form,
        wait_s=wait_s,
    )
    rushed = Booking.objects.filter(session=session, email__endswith="@bench.example").exclude(
        email__startswith="early"
    )
    confirmed = rushed.filter(state=Booking.State.CONFIRMED).count()
    waiting = rushed.filter(state=Booking.State.WAITING).count()
    redirected = result["statuses"].get(302, 0)
    errors = result["error_count"] + sum(n for s, n in result["statuses"].items() if s != 302)
    ok = confirmed == SEATS_LEFT and waiting == PEOPLE - SEATS_LEFT and errors == 0
    note = (
        f"{PEOPLE} people, {SEATS_LEFT} seats left: {confirmed} confirmed, {waiting} waiting, "
        f"{redirected} answered with their booking, {errors} errors; all {result['opened']} "
        f"forms answered in {result['wall_s']:.1f} s ({result['per_s']:.0f} bookings/s)"
    )
    if result["errors"]:
        note += f"; first errors: {result['errors'][:2]}"
    other = {s: n for s, n in result["statuses"].items() if s != 302}
    if other:
        note += f"; other statuses: {other}"
    return [
        {
            "scenario": "3",
            "name": "booking rush /training/<session>/ (POST)",
            "target": f"{SEATS_LEFT} confirmed, {PEOPLE - SEATS_LEFT} waiting, 0 errors",
            "result": "PASS" if ok else "MISS",
            "note": note,
            "figures": {k: v for k, v in result.items() if k != "crowd"},
        }
    ]
