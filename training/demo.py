"""Demo data for the training app, used by the seed_demo command."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import AdaptedSessionRequest, Audience, Booking, Certificate, Course, Session
from .services import new_booking_codes, new_certificate_code

LONDON = ZoneInfo("Europe/London")

COURSES = [
    {
        "slug": "recognising-human-trafficking",
        "title": "Recognising human trafficking and modern slavery",
        "summary": (
            "A half-day introduction for anyone who may meet a victim in their daily work: "
            "what trafficking is, the signs that someone is being exploited, and the steps "
            "to take when something does not feel right."
        ),
        "cpd_hours": Decimal("3.0"),
        "topics": (
            "What human trafficking is\nHow trafficking differs from people smuggling\n"
            "Indicators of trafficking and exploitation\nWhat to do when you are concerned"
        ),
        "audiences": ["social_work", "police", "health", "housing", "local_authority", "other"],
    },
    {
        "slug": "trafficking-awareness-for-health-staff",
        "title": "Trafficking awareness for NHS and health staff",
        "summary": (
            "For clinicians, reception staff and health visitors: spotting the signs of "
            "exploitation during an appointment and making a safe referral."
        ),
        "cpd_hours": Decimal("2.5"),
        "topics": (
            "What human trafficking is\nIndicators seen in health settings\n"
            "Talking safely with a patient who may be exploited\nWhat to do when you are concerned"
        ),
        "audiences": ["health", "social_work"],
    },
    {
        "slug": "faith-leaders-and-modern-slavery",
        "title": "Faith leaders and modern slavery",
        "summary": (
            "Places of worship are often where people first ask for help. This session helps "
            "clergy and volunteers recognise exploitation and respond."
        ),
        "cpd_hours": Decimal("2.0"),
        "topics": (
            "What human trafficking is\nHow trafficking differs from people smuggling\n"
            "Indicators of trafficking\nWhat to do when you are concerned"
        ),
        "audiences": ["faith", "charity"],
    },
    {
        "slug": "housing-inspectors-and-labour-exploitation",
        "title": "Housing inspections and labour exploitation",
        "summary": (
            "For housing officers and inspectors: what overcrowded or controlled housing can "
            "tell you, and how to act on it with partners."
        ),
        "cpd_hours": Decimal("3.0"),
        "topics": (
            "What human trafficking is\nIndicators in housing and accommodation\n"
            "Working with the police and local authority\nWhat to do when you are concerned"
        ),
        "audiences": ["housing", "local_authority", "home_office"],
    },
]

# Every organisation and venue in the demo is invented, and says so: "Demo" in its name.
VENUES = {
    "london": ("Demo Conference Centre London", "1 Example Street, London"),
    "north_west": ("Demo Learning Hub Manchester", "2 Example Square, Manchester"),
    "west_midlands": ("Demo Civic Rooms Birmingham", "3 Example Road, Birmingham"),
    "yorkshire": ("Demo Training Rooms Leeds", "4 Example Lane, Leeds"),
    "wales": ("Demo Meeting House Cardiff", "5 Example Avenue, Cardiff"),
    "scotland": ("Demo Hall Glasgow", "6 Example Place, Glasgow"),
    "south_west": ("Demo Education Centre Bristol", "7 Example Green, Bristol"),
    "": ("", ""),
}

# slug, course, days from today, start hour, region ("" is online), capacity
SESSIONS = [
    ("london-intro-upcoming", 0, 9, 10, "london", 25),
    ("online-intro-upcoming", 0, 12, 14, "", 40),
    ("manchester-health-upcoming", 1, 15, 10, "north_west", 20),
    ("birmingham-intro-full", 0, 18, 10, "west_midlands", 4),
    ("online-faith-upcoming", 2, 22, 18, "", 30),
    ("leeds-housing-upcoming", 3, 26, 10, "yorkshire", 18),
    ("cardiff-intro-upcoming", 0, 33, 10, "wales", 20),
    ("glasgow-health-upcoming", 1, 40, 13, "scotland", 20),
    ("bristol-faith-upcoming", 2, 47, 18, "south_west", 15),
    ("online-housing-upcoming", 3, 55, 10, "", 35),
    ("london-intro-past", 0, -30, 10, "london", 20),
    ("online-health-past", 1, -14, 14, "", 30),
    ("leeds-housing-past", 3, -75, 10, "yorkshire", 18),
    ("online-faith-past", 2, -50, 18, "", 30),
    ("bristol-intro-past", 0, -4, 10, "south_west", 15),
]
# How many booked at each past session did not come (every n-th booking); 0: not marked yet.
ABSENT_EVERY = {
    "london-intro-past": 4,
    "online-health-past": 3,
    "leeds-housing-past": 5,
    "online-faith-past": 2,
    "bristol-intro-past": 0,
}

# reference, organisation, sector, people, format, answered
ADAPTED_REQUESTS = [
    ("AR-DEMO-01", "Demo County Fire and Rescue", "other", 25, "in_person", False),
    ("AR-DEMO-02", "Demo Teaching Hospitals Trust", "health", 40, "online", False),
    ("AR-DEMO-03", "Demo Diocese", "faith", 15, "in_person", False),
    ("AR-DEMO-04", "Demo County Council", "local_authority", 30, "online", True),
]

PEOPLE = [
    ("Aisha Khan", "Demo Borough Council", "social_work", "Social worker"),
    ("Tom Reid", "Demo City Police", "police", "Detective constable"),
    ("Grace Okafor", "Demo Health Trust", "health", "Practice nurse"),
    ("Dafydd Evans", "Demo District Council", "housing", "Housing inspector"),
    ("Revd Mary Lowe", "Demo Parish Church", "faith", "Vicar"),
    ("Sam Patel", "Demo Government Department", "home_office", "Caseworker"),
    ("Ioana Pop", "Demo Freedom Charity", "charity", "Support worker"),
    ("Liam Walsh", "Demo City Council", "local_authority", "Safeguarding lead"),
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    if day.weekday() >= 5:  # sessions run on weekdays
        day += timedelta(days=7 - day.weekday())
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def _booking(session: Session, n: int, state: str, attended=None) -> Booking:
    name, organisation, sector, job = PEOPLE[n % len(PEOPLE)]
    email = f"{name.split()[-1].lower()}.{n}@{session.slug[:12]}.example"
    reference, token = new_booking_codes()
    booking, _ = Booking.objects.get_or_create(
        session=session,
        email=email,
        defaults={
            "reference": reference,
            "token": token,
            "name": name,
            "organisation": organisation,
            "sector": sector,
            "job_title": job,
            "state": state,
            "attended": attended,
            # Booked about three weeks ahead, and never in the future.
            "created_at": min(
                session.starts_at - timedelta(days=20 - n * 0.5),
                timezone.now() - timedelta(hours=n + 1),
            ),
        },
    )
    return booking


def seed_training() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
    courses = []
    for data in COURSES:
        course, _ = Course.objects.get_or_create(
            slug=data["slug"],
            defaults={k: v for k, v in data.items() if k not in ("slug", "audiences")},
        )
        course.audiences.set(Audience.objects.filter(code__in=data["audiences"]))
        courses.append(course)
    for slug, course, days, hour, region, capacity in SESSIONS:
        starts = _at(days, hour)
        # A session lasts as long as the CPD hours its certificate gives.
        length = timedelta(hours=float(courses[course].cpd_hours))
        fmt = Session.Format.IN_PERSON if region else Session.Format.ONLINE
        venue, address = VENUES[region]
        session, made = Session.objects.get_or_create(
            slug=slug,
            defaults={
                "course": courses[course],
                "starts_at": starts,
                "ends_at": starts + length,
                "booking_deadline": starts - timedelta(days=2),
                "format": fmt,
                "venue": venue,
                "address": address,
                "region": region,
                "online_link": "https://meet.iom-uk.example/j/training-" + slug[:20]
                if fmt == "online"
                else "",
                "capacity": capacity,
            },
        )
        if not made:
            continue
        past = days < 0
        if slug == "birmingham-intro-full":
            for n in range(capacity):
                _booking(session, n, Booking.State.CONFIRMED)
            for n in range(capacity, capacity + 3):
                _booking(session, n, Booking.State.WAITING)
        elif past:
            absent_every = ABSENT_EVERY[slug]
            for n in range(8):
                attended = n % absent_every != absent_every - 1 if absent_every else None
                _booking(session, n, Booking.State.CONFIRMED, attended=attended)
            _booking(session, 8, Booking.State.CANCELLED)
            for booking in session.bookings.filter(attended=True):
                Certificate.objects.get_or_create(
                    booking=booking,
                    defaults={
                        "code": new_certificate_code(),
                        "issued_at": session.ends_at + timedelta(days=1),
                    },
                )
        else:
            for n in range(min(capacity // 3, 6)):
                _booking(session, n, Booking.State.CONFIRMED)
    _seed_adapted_requests()


def _seed_adapted_requests() -> None:
    for i, (reference, organisation, sector, people, fmt, answered) in enumerate(ADAPTED_REQUESTS):
        AdaptedSessionRequest.objects.get_or_create(
            reference=reference,
            defaults={
                "organisation": organisation,
                "contact_name": "Demo Contact",
                "email": f"training@{reference.lower()}.example",
                "sector": sector,
                "people": people,
                "preferred_dates": "Any weekday morning next month",
                "format": fmt,
                "needs": "A session for our front-line team, with local referral routes.",
                "state": "answered" if answered else "new",
                "answer_notes": "Offered two dates in the spring." if answered else "",
                "created_at": timezone.now() - timedelta(days=3 + 6 * i),
            },
        )
