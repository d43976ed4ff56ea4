"""Synthetic data at 1×, 10× and 100×, written in bulk on top of the demo world.

1× is a busy year: 100 training sessions (with bookings), 1,000 recruiters, 100 return cases and
100 complaints. 100× is therefore 100,000 recruiters, the roster of scenario 1.
"""

import io
import random
from datetime import date, timedelta

from .main import NotAvailable

UNITS = {"sessions": 100, "recruiters": 1_000, "cases": 100, "complaints": 100}
_made: dict[str, int] = {kind: 0 for kind in UNITS}
_unavailable: dict[str, str] = {}
rng = random.Random(20261125)


def available(kind: str) -> bool:
    return kind not in _unavailable


def why_not(kind: str) -> str:
    return _unavailable.get(kind, "")


def grow_to(level: int) -> dict[str, int]:
    """Add rows until each kind has `level` × its unit of bench-made rows."""
    for kind, unit in UNITS.items():
        if not available(kind):
            continue
        wanted = unit * level - _made[kind]
        if wanted <= 0:
            continue
        try:
            GENERATORS[kind](wanted, start=_made[kind])
        except NotAvailable as exc:
            _unavailable[kind] = str(exc)
            continue
        _made[kind] += wanted
    settle()
    return dict(_made)


def settle() -> None:
    """After a bulk load, what autovacuum soon does in production: fresh planner statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _model(app_label: str, name: str):
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError as exc:
        raise NotAvailable(f"{app_label} has no {name} model") from exc


def _user(username: str):
    from iomuk.models import User

    return User.objects.get(username=username)


# ---------------------------------------------------------------------------------------------
# Returns
# ---------------------------------------------------------------------------------------------
FIRST = [
    "Maria",
    "Ioana",
    "Elena",
    "Andrei",
    "Mihai",
    "Petra",
    "Jana",
    "Tomas",
    "Eszter",
    "Gabor",
    "Zsofia",
    "Desislava",
    "Plamen",
    "Todor",
    "Radostina",
    "Lucie",
    "Ondrej",
]
LAST = [
    "Popescu",
    "Ionescu",
    "Dumitru",
    "Novak",
    "Svoboda",
    "Dvorak",
    "Nagy",
    "Kovacs",
    "Toth",
    "Szabo",
    "Koleva",
    "Dimov",
    "Angelov",
    "Vasileva",
    "Horvath",
    "Marin",
]
TOWNS = {
    "BG": ("Bulgarian", "Pleven"),
    "CZ": ("Czech", "Ostrava"),
    "HU": ("Hungarian", "Miskolc"),
    "RO": ("Romanian", "Iasi"),
}


def make_cases(count: int, *, start: int) -> None:
    ReturnCase = _model("returns", "ReturnCase")  # noqa: N806
    referrer = _user("referrer")
    caseworker = _user("caseworker")
    stages = [c for c, _ in ReturnCase._meta.get_field("stage").choices]
    cases = []
    for n in range(start, start + count):
        country = ("BG", "CZ", "HU", "RO")[n % 4]
        nationality, town = TOWNS[country]
        cases.append(
            ReturnCase(
                reference=f"RR-2019-{n + 1:06d}",
                stage=stages[n % len(stages)],
                referred_by=referrer,
                assigned_caseworker=caseworker if n % 3 else None,
                referrer_type="charity",
                referrer_name="Sam Keyworker",
                referrer_organisation="Hope Charity",
                referrer_contact="020 7946 0000",
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                date_of_birth=date(1970, 1, 1) + timedelta(days=rng.randrange(12_000)),
                gender=("female", "male", "other", "not_said")[n % 4],
                nationality=nationality,
                languages=nationality,
                safe_contact_details="Via keyworker, 07700 900123",
                country=country,
                destination_town=town,
                consent_to_return=True,
                consent_to_share=True,
                consent_method="written",
                consent_given_on=date(2026, 1, 1) + timedelta(days=n % 300),
                consent_wording="I agree to return and to my data going to the named partners.",
                risk=("low", "medium", "high")[n % 3],
                travel_document="passport",
            )
        )
    ReturnCase.objects.bulk_create(cases, batch_size=1000)


# ---------------------------------------------------------------------------------------------
# Training and IRIS
# ---------------------------------------------------------------------------------------------
BOOKINGS_PER_SESSION = 5


def make_sessions(count: int, *, start: int) -> None:
    """Upcoming sessions of the demo courses, each with a few confirmed bookings."""
    from django.utils import timezone

    Session = _model("training", "Session")  # noqa: N806
    Booking = _model("training", "Booking")  # noqa: N806
    Course = _model("training", "Course")  # noqa: N806
    courses = list(Course.objects.order_by("pk"))
    if not courses:
        raise NotAvailable("no training courses (seed_demo makes them)")
    now = timezone.now()
    sessions = []
    for n in range(start, start + count):
        starts = now + timedelta(days=10 + n % 300, hours=n % 7)
        online = n % 3 == 0
        sessions.append(
            Session(
                course=courses[n % len(courses)],
                slug=f"bench-session-{n + 1:06d}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                booking_deadline=starts - timedelta(days=2),
                format=Session.Format.ONLINE if online else Session.Format.IN_PERSON,
                venue="" if online else "Bench Community Centre",
                region="" if online else "london",
                online_link="https://meet.iom-uk.example/j/bench" if online else "",
                capacity=20,
            )
        )
    made = Session.objects.bulk_create(sessions, batch_size=1000)
    bookings = [
        Booking(
            session=session,
            reference=f"TB-{session.pk:06d}{b}",
            token=f"bench-{session.pk}-{b}-{rng.getrandbits(64):x}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            email=f"s{session.pk}-{b}@bench.example",
            organisation="Bench Borough Council",
            sector="local_authority",
            job_title="Officer",
            state=Booking.State.CONFIRMED,
        )
        for session in made
        for b in range(BOOKINGS_PER_SESSION)
    ]
    Booking.objects.bulk_create(bookings, batch_size=2000)


def make_recruiters(count: int, *, start: int) -> None:
    """Through the IRIS app's own generator (`generate_recruiters`)."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _model("iris", "Recruiter")
    try:
        call_command("generate_recruiters", count, seed=start + 1, stdout=io.StringIO())
    except CommandError as exc:
        raise NotAvailable(f"generate_recruiters: {exc}") from exc


def make_complaints(count: int, *, start: int) -> None:
    """Complaints in every stage, about listed recruiters, each with one category."""
    Complaint = _model("iris", "Complaint")  # noqa: N806
    Recruiter = _model("iris", "Recruiter")  # noqa: N806
    Category = _model("iris", "ComplaintCategory")  # noqa: N806
    recruiters = list(Recruiter.objects.order_by("pk").values_list("pk", flat=True)[:500])
    categories = list(Category.objects.values_list("pk", flat=True))
    stages = list(Complaint.Stage.values)
    complaints = [
        Complaint(
            reference=f"IRIS-B-{n + 1:06d}",
            tracking_code_hash=f"{n:064x}",
            stage=stages[n % len(stages)],
            recruiter_id=recruiters[n % len(recruiters)] if recruiters and n % 4 else None,
            unlisted_name="" if recruiters and n % 4 else "Unlisted Agency",
            description="They kept my passport and charged a fee for the job.",
            anonymous=True,
            in_danger=n % 10 == 0,
        )
        for n in range(start, start + count)
    ]
    made = Complaint.objects.bulk_create(complaints, batch_size=1000)
    if categories:
        Through = Complaint.categories.through  # noqa: N806
        Through.objects.bulk_create(
            [
                Through(complaint_id=c.pk, complaintcategory_id=categories[i % len(categories)])
                for i, c in enumerate(made)
            ],
            batch_size=2000,
        )


GENERATORS = {
    "sessions": make_sessions,
    "recruiters": make_recruiters,
    "cases": make_cases,
    "complaints": make_complaints,
}
