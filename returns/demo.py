"""Demo data for the returns app, used by the seed_demo command. Every person is fictional."""

from datetime import date, timedelta

from django.utils import timezone

from iomuk.models import User

from .models import (
    CaseConsent,
    CaseNote,
    CaseTransition,
    ConsentMethod,
    ConsentPurpose,
    Country,
    FitToFly,
    NotEligibleReason,
    NrmStatus,
    PlanStatus,
    ReferrerType,
    ReturnCase,
    Risk,
    Service,
    Stage,
    TravelDocument,
)
from .selectors import cases_named
from .services import case_refer, follow_ups_schedule

MAIN_PATH = [
    Stage.REFERRED,
    Stage.ELIGIBILITY_CHECKED,
    Stage.APPROVED,
    Stage.TRAVEL_ARRANGED,
    Stage.DEPARTED,
    Stage.REINTEGRATION,
    Stage.CLOSED,
]
# How each demo case reached its stage.
PATHS = {stage: MAIN_PATH[: i + 1] for i, stage in enumerate(MAIN_PATH)}
PATHS[Stage.WITHDRAWN] = [Stage.REFERRED, Stage.ELIGIBILITY_CHECKED, Stage.WITHDRAWN]
PATHS[Stage.NOT_ELIGIBLE] = [Stage.REFERRED, Stage.NOT_ELIGIBLE]

REASONS = {
    Stage.ELIGIBILITY_CHECKED: "Nationality and consent confirmed with the person and referrer.",
    Stage.APPROVED: "Return approved: plan and risk assessment reviewed.",
    Stage.TRAVEL_ARRANGED: "Flight booked and onward transport confirmed with the partner.",
    Stage.DEPARTED: "Departed as planned, escorted to the gate.",
    Stage.REINTEGRATION: "Met on arrival by the partner organisation; shelter place taken up.",
    Stage.CLOSED: "Reintegration plan completed; the person is settled and in contact.",
    Stage.WITHDRAWN: "The person has decided to stay in the UK for now.",
}
# Why a case was not eligible, one per country; none may contradict the person's nationality
# (every demo person is a national of the country they return to).
NOT_ELIGIBLE_REASONS = [
    "No sign of trafficking or exploitation: the person lost their job and wants help with the "
    "fare. Pointed to the Home Office Voluntary Returns Service.",
    "The person wants to move on to Spain, not to go home; we can only arrange a return home.",
    "The person has already booked and paid for their own flight home next week.",
    "The referral was made without the person's agreement: they told us they do not want to "
    "return.",
]
# The category of each reason above, which the referrer is told (never the reason's text).
NOT_ELIGIBLE_CATEGORIES = [
    NotEligibleReason.CIRCUMSTANCES,
    NotEligibleReason.COUNTRY,
    NotEligibleReason.OTHER_ROUTE,
    NotEligibleReason.OTHER,
]
# The caseworker's notes: a first call, then one for each step the case took. Each names the
# person, their town and the partner, so no two cases share their notes.
FIRST_CALLS = [
    "First call with {first} through the interpreter. {first} is clear about going home to "
    "{town} and asked about work there.",
    "Spoke with {first} at the {partner} office. {first} wants to be home in {town} before "
    "winter and is worried about a debt the former employer claims.",
    "Called {first} on the safe number. {first} would like to stay with a sister in {town} at "
    "first.",
    "Met {first} with the keyworker from {partner}. {first} asked that the former employer never "
    "learn of the return; we agreed how to keep it quiet.",
]
STEP_NOTES = {
    Stage.ELIGIBILITY_CHECKED: "Checked {first}'s identity with the embassy; no concerns.",
    Stage.APPROVED: "The receiving partner in {town} has a shelter place ready for {first}.",
    Stage.TRAVEL_ARRANGED: "Gave {first} the flight details by phone only, as agreed.",
    Stage.DEPARTED: "{first} flew from {departure} as planned; the partner met them at {airport}.",
    Stage.REINTEGRATION: "The partner in {town} reports that {first} has started a course.",
    Stage.CLOSED: "Last call with {first}: settled in {town} and working. Thanked {partner}.",
    Stage.WITHDRAWN: "{first} will stay in the UK for now. Told {first} they can ask again.",
    Stage.NOT_ELIGIBLE: "Explained to {first} and {partner} why we cannot help, and who can.",
}

PEOPLE = {
    Country.BULGARIA: (
        "Bulgarian",
        "Bulgarian",
        "Sofia Airport",
        ["Pleven", "Sliven", "Vratsa", "Shumen", "Yambol", "Haskovo", "Montana", "Lovech", "Ruse"],
        [
            "Desislava Koleva",
            "Plamen Dimov",
            "Radostina Vasileva",
            "Todor Angelov",
            "Mariela Hristova",
            "Kiril Stoyanov",
            "Yoana Marinova",
            "Boyan Petkov",
            "Zlatka Ilieva",
        ],
    ),
    Country.CZECHIA: (
        "Czech",
        "Czech",
        "Václav Havel Airport Prague",
        ["Ostrava", "Most", "Karviná", "Teplice", "Kladno", "Jihlava", "Zlín", "Opava", "Děčín"],
        [
            "Lucie Kratochvílová",
            "Ondřej Šimek",
            "Markéta Holubová",
            "Radek Pokorný",
            "Veronika Sýkorová",
            "Tomáš Beneš",
            "Kateřina Urbanová",
            "Jiří Moravec",
            "Hana Doležalová",
        ],
    ),
    Country.HUNGARY: (
        "Hungarian",
        "Hungarian",
        "Budapest Ferenc Liszt International Airport",
        [
            "Miskolc",
            "Nyíregyháza",
            "Ózd",
            "Salgótarján",
            "Szolnok",
            "Eger",
            "Pécs",
            "Kaposvár",
            "Békéscsaba",
        ],
        [
            "Réka Balogh",
            "Attila Farkas",
            "Krisztina Oláh",
            "Gábor Lakatos",
            "Nikolett Takács",
            "Zoltán Mészáros",
            "Erzsébet Juhász",
            "Norbert Fekete",
            "Dóra Szűcs",
        ],
    ),
    Country.ROMANIA: (
        "Romanian",
        "Romanian",
        "Bucharest Henri Coandă Airport",
        [
            "Bacău",
            "Iași",
            "Galați",
            "Craiova",
            "Vaslui",
            "Botoșani",
            "Suceava",
            "Călărași",
            "Buzău",
        ],
        [
            "Andreea Dumitru",
            "Florin Munteanu",
            "Mădălina Stan",
            "Cosmin Ene",
            "Larisa Toma",
            "Sorin Radu",
            "Bianca Ursu",
            "Marius Lungu",
            "Roxana Ciobanu",
        ],
    ),
}
STAGES = [*MAIN_PATH, Stage.WITHDRAWN, Stage.NOT_ELIGIBLE]
# Typical days a case spends at each stage before moving on, for a believable timeline.
DAYS_AT = {
    Stage.REFERRED: 4,
    Stage.ELIGIBILITY_CHECKED: 9,
    Stage.APPROVED: 12,
    Stage.TRAVEL_ARRANGED: 10,
    Stage.DEPARTED: 2,
    Stage.REINTEGRATION: 45,
}
# Every partner organisation is invented, and says so: "Demo" in its name.
PARTNERS = [
    ("Demo Freedom Charity", ReferrerType.CHARITY),
    ("Demo City Police, Modern Slavery Unit", ReferrerType.POLICE),
    ("Demo Safe Haven Trust", ReferrerType.CHARITY),
    ("Demo City Council", ReferrerType.LOCAL_AUTHORITY),
]
CONSENT_WORDING = (
    "I understand that IOM UK will help me return home if I want to. I can change my mind at any "
    "time. I agree that IOM UK may share my details with the partners named to arrange my return."
)


def _plan_status(stage: str, service: str) -> str:
    reached = PATHS.get(stage, [])
    if stage in (Stage.WITHDRAWN, Stage.NOT_ELIGIBLE):
        return PlanStatus.NOT_NEEDED
    travel_done = Stage.TRAVEL_ARRANGED in reached
    if service in (Service.TRAVEL_DOCUMENT, Service.FLIGHT, Service.LAND_TRANSPORT):
        if travel_done:
            return PlanStatus.DONE
        return PlanStatus.IN_PROGRESS if Stage.APPROVED in reached else PlanStatus.TO_DO
    if stage == Stage.CLOSED:
        return PlanStatus.DONE
    return PlanStatus.IN_PROGRESS if Stage.DEPARTED in reached else PlanStatus.TO_DO


def _timeline(path: list[str], *, jitter: int) -> list:
    """When the case reached each stage of its path, the last some days ago."""
    now = timezone.now()
    at = now - timedelta(days=3 + (jitter * 5) % 25, hours=jitter)
    times = [at]
    for stage in reversed(path[:-1]):
        at -= timedelta(days=DAYS_AT[stage] + jitter % 4)
        times.append(at)
    return list(reversed(times))


def seed_returns() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
    caseworker = User.objects.get(username="caseworker")
    manager = User.objects.get(username="casemanager")
    referrer = User.objects.get(username="referrer")
    today = timezone.localdate()
    for c_index, (country, (nationality, language, airport, towns, names)) in enumerate(
        PEOPLE.items()
    ):
        for s_index, stage in enumerate(STAGES):
            full_name = names[s_index]
            born = date(1975 + (s_index * 3 + c_index) % 28, 1 + s_index, 3 + c_index * 5)
            # Name and date of birth are encrypted: found by the name's index, compared here.
            named = cases_named(ReturnCase.objects.all(), full_name).only("date_of_birth")
            if any(case.date_of_birth == born for case in named):
                continue
            partner, partner_type = PARTNERS[(s_index + c_index) % len(PARTNERS)]
            by_referrer = (s_index + c_index) % 3 != 0
            first, *_rest = full_name.split()
            case = case_refer(
                by=referrer if by_referrer else caseworker,
                data={
                    "referrer_type": partner_type,
                    "referrer_name": "Sam Whitfield" if by_referrer else "Priya Nair",
                    "referrer_organisation": partner if by_referrer else "IOM UK",
                    "referrer_contact": "020 7946 0" + f"{100 + s_index * 7 + c_index:03d}",
                    "full_name": full_name,
                    "preferred_name": first,
                    "date_of_birth": born,
                    "gender": "female" if s_index % 2 == 0 else "male",
                    "nationality": nationality,
                    "languages": f"{language}, some English",
                    "interpreter_needed": s_index % 2 == 0,
                    "safe_contact_details": (
                        f"Through the keyworker at {partner}: 07700 900{s_index}{c_index}{s_index}"
                    ),
                    "safe_times_to_call": "Weekdays 10:00 to 16:00",
                    "country": country,
                    "destination_town": towns[s_index],
                    "consent_to_return": True,
                    "consent_to_share": True,
                    "consent_partners": "IOM mission in the country of return; receiving shelter",
                    "consent_method": ConsentMethod.VERBAL_INTERPRETER
                    if s_index % 2 == 0
                    else ConsentMethod.WRITTEN,
                    "consent_given_on": today - timedelta(days=40 + s_index * 9),
                    "consent_wording": CONSENT_WORDING,
                    "nrm_status": [
                        NrmStatus.POSITIVE_CONCLUSIVE,
                        NrmStatus.POSITIVE_REASONABLE,
                        NrmStatus.AWAITING,
                        NrmStatus.UNKNOWN,
                    ][(s_index + c_index) % 4],
                    "risk": [Risk.LOW, Risk.MEDIUM, Risk.HIGH][(s_index + c_index) % 3],
                    "safeguarding_notes": "Former controller believed to be in the UK; "
                    "do not share the travel date with family.",
                    "dependants_travelling": 1 if (s_index + c_index) % 3 == 2 else 0,
                    "travel_document": [
                        TravelDocument.PASSPORT,
                        TravelDocument.ID_CARD,
                        TravelDocument.EXPIRED,
                        TravelDocument.NONE,
                    ][(s_index + c_index) % 4],
                    "departure_airport": "London Luton" if s_index % 2 else "London Stansted",
                    "earliest_travel_date": today + timedelta(days=14 + s_index),
                    "escort_needed": (s_index + c_index) % 4 == 0,
                    "fit_to_fly": FitToFly.FIT if s_index % 3 else FitToFly.NEEDS_ASSESSMENT,
                    "fitness_to_fly_notes": "" if s_index % 3 else "GP letter requested.",
                    "land_transport_needed": True,
                    "health_notes": "Registered with a GP; attends counselling weekly.",
                    "reintegration_notes": (
                        f"Arrives at {airport}; would like training near {towns[s_index]}."
                    ),
                },
                services=[Service.SHELTER, Service.PSYCHOSOCIAL]
                + ([Service.MEDICAL] if s_index % 2 else [Service.LABOUR_MARKET]),
            )
            path = PATHS[stage]
            for before, after in zip(path, path[1:], strict=False):
                CaseTransition.objects.create(
                    case=case,
                    from_stage=before,
                    to_stage=after,
                    by=manager if after == Stage.APPROVED else caseworker,
                    reason=NOT_ELIGIBLE_REASONS[c_index]
                    if after == Stage.NOT_ELIGIBLE
                    else REASONS[after],
                )
            # Unassigned cases sit in the intake queue; the others are shared out.
            if stage == Stage.REFERRED or (stage == Stage.NOT_ELIGIBLE and c_index % 2):
                assignee = None
            else:
                assignee = caseworker if (s_index + c_index) % 4 else manager
            times = _timeline(path, jitter=s_index + 2 * c_index)
            for transition, at in zip(case.transitions.order_by("pk"), times, strict=True):
                CaseTransition.objects.filter(pk=transition.pk).update(at=at)
            ReturnCase.objects.filter(pk=case.pk).update(
                stage=stage,
                assigned_caseworker=assignee,
                version=len(path),
                created_at=times[0],
                not_eligible_reason=NOT_ELIGIBLE_CATEGORIES[c_index]
                if stage == Stage.NOT_ELIGIBLE
                else "",
            )
            if Stage.DEPARTED in path:
                _after_return(case, caseworker, country)
            for n, item in enumerate(case.plan_items.exclude(status=PlanStatus.NOT_NEEDED)):
                item.status = _plan_status(stage, item.service)
                if item.status in (PlanStatus.TO_DO, PlanStatus.IN_PROGRESS):
                    # Some due dates have passed: the overdue items on the staff workspace.
                    item.due_date = today + timedelta(days=7 * ((s_index + c_index + n) % 5) - 10)
                item.save(update_fields=["status", "due_date"])
            facts = {
                "first": first,
                "town": towns[s_index],
                "partner": partner,
                "airport": airport,
                "departure": "London Luton" if s_index % 2 else "London Stansted",
            }
            notes = [FIRST_CALLS[(s_index + c_index) % len(FIRST_CALLS)]]
            notes += [STEP_NOTES[step] for step in path[1:]]
            # Each note written the day after the step it follows.
            for text, at in zip(notes, times, strict=True):
                note = CaseNote.objects.create(
                    case=case, author=caseworker, text=text.format(**facts)
                )
                CaseNote.objects.filter(pk=note.pk).update(at=at + timedelta(days=1))


def _after_return(case: ReturnCase, caseworker: User, country: str) -> None:
    """A case past departure: the person agreed to reintegration services and follow-up calls
    with the partner in the country of return, so its follow-ups are scheduled."""
    partner = f"Demo Reintegration Partner, {Country(country).label}"
    for purpose, wording in [
        (
            ConsentPurpose.REINTEGRATION,
            "I agree that the partner may help me with a place to stay, health care and work.",
        ),
        (
            ConsentPurpose.FOLLOW_UP,
            "I agree that IOM may call me 3, 6 and 12 months after I go home to ask how I am.",
        ),
    ]:
        CaseConsent.objects.create(
            case=case,
            purpose=purpose,
            partner=partner,
            wording=wording,
            given_on=case.consent_given_on,
            recorded_by=caseworker,
        )
    follow_ups_schedule(case=case)
