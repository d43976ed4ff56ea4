"""Synthetic data at 1×, 10× and 100×, written in bulk on top of the demo world.

1× is a busy year: 100 training sessions (with bookings), 1,000 recruiters, 100 return cases and
100 complaints. 100× is therefore 100,000 recruiters, the roster of scenario 1.
"""

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
    return dict(_made)


def _model(app_label: str, name: str):
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError as exc:
        raise NotAvailable(f"{app_label} has no {name} model") from exc


def _user(username: str):
    from django.contrib.auth.models import User

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
# Training and IRIS: filled in once those apps are on main
# ---------------------------------------------------------------------------------------------
def make_sessions(count: int, *, start: int) -> None:
    _model("training", "Session")
    raise NotAvailable("no session generator for this training app yet")


def make_recruiters(count: int, *, start: int) -> None:
    _model("iris", "Recruiter")
    raise NotAvailable("no recruiter generator yet")


def make_complaints(count: int, *, start: int) -> None:
    _model("iris", "Complaint")
    raise NotAvailable("no complaint generator yet")


GENERATORS = {
    "sessions": make_sessions,
    "recruiters": make_recruiters,
    "cases": make_cases,
    "complaints": make_complaints,
}
