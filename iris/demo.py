"""Demo data for the iris app, used by the seed_demo command.

Over 400 lines on purpose: the demo world's recruiters, applications and complaints are one
story (each complaint names a recruiter made above it), told through the services, and read in
one place."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from iomuk.models import User

from .complaints.services import (
    _new_code,
    complaint_advance,
    complaint_message_add,
    complaint_note_add,
    complaint_refer,
    complaint_submit,
    tracking_code_hash,
)
from .models import (  # both halves' models
    AccreditationState,
    Application,
    Complaint,
    ComplaintCategory,
    Country,
    Recruiter,
    RecruiterCountry,
    Sector,
)
from .recruiters.contact_services import contact_add, impostor_add
from .recruiters.contacts import ImpostorContact
from .recruiters.models import normalise_name
from .recruiters.roster import roster_index
from .recruiters.services import recruiter_accredit, recruiter_suspend, recruiter_withdraw

S = AccreditationState
# Every organisation in the demo is invented, and says so: "Demo" in its name, trading names too.
# legal name, trading names, HQ, origins, destinations, sectors, state
RECRUITERS = [
    (
        "Demo Praca Wrocław Sp. z o.o.",
        "Demo Wroclaw Jobs",
        "PL",
        "PL",
        "GB DE",
        "agriculture manufacturing",
        S.ACCREDITED,
    ),
    (
        "Demo Munkaerő Kft.",
        "Demo Munkaero Recruitment",
        "HU",
        "HU",
        "GB AT",
        "manufacturing logistics",
        S.ACCREDITED,
    ),
    (
        "Demo Recrutare Brașov SRL",
        "Demo Brasov Staffing",
        "RO",
        "RO MD",
        "GB IT",
        "care hospitality",
        S.ACCREDITED,
    ),
    ("Demo Fair Labour Sofia OOD", "", "BG", "BG", "GB", "agriculture", S.ACCREDITED),
    (
        "Demo Personální Praha s.r.o.",
        "Demo Praha Staff",
        "CZ",
        "CZ SK",
        "GB DE",
        "logistics",
        S.ACCREDITED,
    ),
    (
        "Demo Overseas Employment Kathmandu Pvt Ltd",
        "Demo KOE",
        "NP",
        "NP",
        "QA GB",
        "construction hospitality",
        S.ACCREDITED,
    ),
    ("Demo Care Placements Manila Inc.", "Demo MCP Nurses", "PH", "PH", "GB", "care", S.ACCREDITED),
    (
        "Demo Skills Bridge Dhaka Ltd",
        "",
        "BD",
        "BD",
        "AE GB",
        "construction manufacturing",
        S.ACCREDITED,
    ),
    ("Demo Seafarers Manning Hanoi JSC", "", "VN", "VN ID", "GB IE", "fishing", S.ACCREDITED),
    (
        "Demo Darbo Partneriai UAB",
        "Demo LDP",
        "LT",
        "LT LV",
        "GB NL",
        "logistics agriculture",
        S.ACCREDITED,
    ),
    (
        "Demo Harvest Fields Labour Ltd",
        "Demo Harvest Fields",
        "GB",
        "UZ KG",
        "GB",
        "agriculture",
        S.ACCREDITED,
    ),
    ("Demo Hospitality Talent Kenya Ltd", "", "KE", "KE", "GB SA", "hospitality", S.ACCREDITED),
    ("Demo Care Partners Accra", "", "GH", "GH NG", "GB", "care domestic-work", S.ACCREDITED),
    ("Demo Health Workforce Kerala Pvt Ltd", "Demo KHW", "IN", "IN", "GB IE", "care", S.ACCREDITED),
    (
        "Demo Maritime Crew Zagreb d.o.o.",
        "",
        "HR",
        "HR RS",
        "GB GR",
        "fishing logistics",
        S.ACCREDITED,
    ),
    ("Demo Work Abroad Chişinău SRL", "", "MD", "MD", "RO GB", "construction", S.SUSPENDED),
    ("Demo Építő Munkaerő Zrt.", "Demo BEM", "HU", "HU", "GB", "construction", S.SUSPENDED),
    ("Demo Domestic Placements Colombo", "", "LK", "LK", "SA QA", "domestic-work", S.SUSPENDED),
    ("Demo Agro Staff Plovdiv EOOD", "", "BG", "BG", "GB ES", "agriculture", S.EXPIRED),
    ("Demo Industrial Staffing Košice s.r.o.", "", "SK", "SK", "DE GB", "manufacturing", S.EXPIRED),
    ("Demo Global Careers Lagos", "", "NG", "NG", "GB", "care", S.EXPIRED),
    ("Demo Seasonal Work Tirana Sh.p.k.", "", "AL", "AL", "GB IT", "hospitality", S.WITHDRAWN),
    ("Demo Construction Crews Kyiv LLC", "", "UA", "UA", "PL GB", "construction", S.WITHDRAWN),
    ("Demo Personal Agricol Iași SRL", "", "RO", "RO", "GB", "agriculture", S.WITHDRAWN),
    ("Demo Harvest Partners Tashkent LLC", "", "UZ", "UZ", "GB", "agriculture", S.APPLICANT),
    ("Demo Ocean Crew Jakarta PT", "", "ID", "ID", "GB", "fishing", S.APPLICANT),
    ("Demo Textile Workforce Karachi", "", "PK", "PK", "GB", "manufacturing", S.APPLICANT),
    ("Demo Hospitalidade Porto Lda", "", "PT", "PT BR", "GB", "hospitality", S.ACCREDITED),
    ("Demo Warehouse Jobs Riga SIA", "", "LV", "LV EE", "GB", "logistics", S.ACCREDITED),
    (
        "Demo Tekstil İşgücü Ankara A.Ş.",
        "",
        "TR",
        "TR",
        "GB DE",
        "manufacturing other",
        S.ACCREDITED,
    ),
]

APPLICATIONS = [
    ("Demo Care Agency Bucharest SRL", "recruiter", "RO", "pending"),
    ("Demo Growers Ltd", "employer", "GB", "pending"),
    ("Demo Ministry of Labour", "government", "MD", "accepted"),
    ("Demo Migrant Workers' Network", "civil_society", "GB", "accepted"),
    ("Demo Quick Visa Jobs", "recruiter", "NP", "rejected"),
]

# Each complaint tells its own story. The recruiter is an index in RECRUITERS, or the name of
# one not on the list; then where the recruiting happened, where the work was, and when.
# recruiter, from, to, when, categories, stage, anonymous, in danger, days ago, what happened
COMPLAINTS = [
    (
        15,
        "MD",
        "RO",
        "January 2026",
        "fees documents",
        "under_review",
        False,
        False,
        12,
        "They charged me 800 euros for a work permit in Romania. On the building site the "
        "supervisor kept my passport and said I would get it back when the fee was paid off.",
    ),
    (
        16,
        "HU",
        "GB",
        "Autumn 2025",
        "deception contract",
        "referred",
        False,
        False,
        48,
        "The contract I signed in Hungary said 40 hours a week. On the building site in Kent we "
        "worked 70 hours and were paid for 40, in cash.",
    ),
    (
        17,
        "LK",
        "SA",
        "Since March 2026",
        "documents threats",
        "received",
        True,
        True,
        9,
        "I work in a house in Riyadh. My employer has my passport and says the agency will "
        "report me to the police if I leave. I can only use the phone at night.",
    ),
    (
        0,
        "PL",
        "DE",
        "Summer 2025",
        "contract",
        "resolved",
        False,
        False,
        95,
        "The agency moved me from the farm named in my contract to a meat plant in Germany, on "
        "lower pay. They would not give me a copy of the new contract.",
    ),
    (
        "Demo Fast Jobs Abroad",
        "RO",
        "GB",
        "February 2026",
        "fees debt",
        "received",
        True,
        False,
        2,
        "A man on social media promised care work in Manchester for a fee of 1,200 pounds. I "
        "borrowed the money. Now he does not answer and there is no job.",
    ),
    (
        20,
        "NG",
        "GB",
        "2025",
        "deception",
        "closed",
        False,
        False,
        150,
        "I was offered a nursing job. When I arrived I was told it was cleaning at a care home, "
        "for less than the wage I was promised.",
    ),
    (
        "Demo Sunrise Overseas Manpower",
        "NP",
        "QA",
        "December 2025",
        "fees deception",
        "withdrawn",
        False,
        False,
        70,
        "The office took a recruitment fee and a 'medical fee' for a hotel job in Doha. The visa "
        "they got me was for a construction company.",
    ),
    (
        10,
        "UZ",
        "GB",
        "September 2025",
        "fees",
        "received",
        False,
        False,
        16,
        "We picked strawberries in Herefordshire. The agency took 150 pounds a week each for a "
        "caravan shared by six people. This was not in our contract.",
    ),
    (
        11,
        "KE",
        "SA",
        "Since January 2026",
        "contract",
        "under_review",
        True,
        False,
        30,
        "My hotel contract ended early. The agency says I must pay back my flight before they "
        "return my documents.",
    ),
    (
        "Demo Quick Visa Jobs Abroad",
        "NP",
        "GB",
        "Spring 2025",
        "fees deception",
        "referred",
        False,
        False,
        120,
        "They sold me a 'sponsorship certificate' for a care job in Birmingham. When I arrived, "
        "the care home had never heard of me.",
    ),
    (
        28,
        "LV",
        "GB",
        "October 2025",
        "contract debt",
        "resolved",
        False,
        False,
        60,
        "At the warehouse near Northampton they took 'training costs' from every payslip for "
        "three months. The contract did not mention them.",
    ),
    (
        "Demo Northern Star Placements",
        "BG",
        "GB",
        "Last month",
        "threats documents",
        "received",
        True,
        False,
        1,
        "The driver who took us to the factory keeps our identity cards 'for safety'. He says our "
        "families will hear about it if we complain.",
    ),
]
# The complaints referred to an authority (index in COMPLAINTS: authority, its reference).
REFERRALS = {
    1: ("Gangmasters and Labour Abuse Authority", "GLAA-2026-0193"),
    9: ("Home Office, UK Visas and Immigration", "UKVI-SP-25-48817"),
}
# What the officer tells the complainant at the stage the complaint has reached.
MESSAGES = {
    "under_review": "Thank you for your report. An officer is reading it and may contact you.",
    "referred": "With your agreement, we have passed your report to the {authority}.",
    "resolved": "We looked into your report. The recruiter has agreed to put things right.",
    "closed": "We have closed your report. Thank you for telling us.",
}
# The language a complainant from each country reads the portal in (English otherwise).
LANGUAGES = {"RO": "ro", "MD": "ro", "HU": "hu", "BG": "bg", "CZ": "cs"}
# Accredited recruiters whose accreditation ends soon (index in RECRUITERS: days left).
EXPIRING_SOON = {3: 9, 7: 27, 12: 50}


def _slug(name: str) -> str:
    return slugify(normalise_name(name))


def _demo_granted_on(i: int, state: str, today):
    if state == S.EXPIRED:
        # Granted long ago and stored as accredited: the page must show it expired without
        # anyone acting.
        return today - timedelta(days=400)
    if i in EXPIRING_SOON:
        return today - timedelta(days=365 - EXPIRING_SOON[i])
    return today - timedelta(days=30 * (i % 10) + 10)


def _standing_decided(recruiter: Recruiter, state: str, *, granted) -> None:
    """The demo recruiter's standing, reached by the decisions an officer would take, so its
    history (public) and their reasons (officers only) are there to see."""
    if state == S.APPLICANT:
        return
    recruiter_accredit(recruiter=recruiter, granted_on=granted, note="Demo: audit passed.")
    if state == S.SUSPENDED:
        recruiter_suspend(
            recruiter=recruiter, reason="Demo: workers report fees charged for the job."
        )
    elif state == S.WITHDRAWN:
        recruiter_withdraw(recruiter=recruiter, reason="Demo: the audit body withdrew it.")


# The contact check's demo: every number is in Ofcom's ranges kept for drama (07700 900000 to
# 900999, and 020 7946 0000 to 0999), which no one is ever given; Bulgaria, Czechia, Hungary
# and Romania publish no such range, so no demo number is theirs. Every domain is `.example`.
DEMO_AGENTS = ["Ana Demo-Popescu", "Ivan Demo-Petrov", "Jana Demo-Nováková", "Zsófia Demo-Kiss"]
# contact, kind, index in RECRUITERS of the recruiter it pretends to be
DEMO_IMPOSTORS = [
    ("demo-recrutare-brasov-jobs.example", "web", 2),
    ("+44 7700 900999", "phone", 2),
    ("hr@demo-praha-staff-cz.example", "web", 4),
]


def _demo_phone(i: int) -> str:
    return f"+44 7700 900{100 + i:03d}"


def _demo_contacts(recruiter: Recruiter, i: int, state: str) -> None:
    """Most demo recruiters' authorised contacts: a phone, their website, an agent for some."""
    if state == S.APPLICANT or i % 5 == 4:  # one in five has given none: "unknown" to try
        return
    domain = recruiter.website.removeprefix("https://")
    contact_add(recruiter=recruiter, kind="phone", value=_demo_phone(i), note="Demo")
    contact_add(recruiter=recruiter, kind="web", value=domain, note="Demo")
    if i < len(DEMO_AGENTS):
        contact_add(recruiter=recruiter, kind="agent", value=DEMO_AGENTS[i], note="Demo")


def _demo_impostors() -> None:
    if ImpostorContact.objects.exists():
        return
    for value, kind, about in DEMO_IMPOSTORS:
        imitated = Recruiter.objects.get(slug=_slug(RECRUITERS[about][0]))
        impostor_add(kind=kind, value=value, imitates=imitated, note="Demo")


def seed_iris() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
    today = timezone.localdate()
    countries = {c.code: c for c in Country.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    for i, (name, trading, hq, origins, dests, sector_codes, state) in enumerate(RECRUITERS):
        recruiter, created = Recruiter.objects.get_or_create(
            slug=_slug(name),
            defaults={
                "legal_name": name,
                "trading_names": trading,
                "hq_country": countries[hq],
                "registration_number": f"REG-{hq}-{1000 + i}",
                "website": f"https://{slugify(name)[:30].strip('-')}.example",
                "contact_email": f"office@{slugify(name)[:30].strip('-')}.example",
            },
        )
        if not created:
            continue
        RecruiterCountry.objects.bulk_create(
            [
                RecruiterCountry(recruiter=recruiter, country=countries[c], kind="origin")
                for c in origins.split()
                if c in countries
            ]
            + [
                RecruiterCountry(recruiter=recruiter, country=countries[c], kind="destination")
                for c in dests.split()
                if c in countries
            ]
        )
        recruiter.sectors.set([sectors[s] for s in sector_codes.split()])
        roster_index(recruiter_ids=[recruiter.pk])
        _standing_decided(recruiter, state, granted=_demo_granted_on(i, state, today))
        _demo_contacts(recruiter, i, state)
    _demo_impostors()

    officer = User.objects.filter(username="irisofficer").first()
    for name, org_type, hq, state in APPLICATIONS:
        application, created = Application.objects.get_or_create(
            organisation_name=name,
            defaults={
                "organisation_type": org_type,
                "hq_country": countries[hq],
                "contact_name": "Demo Contact",
                "contact_email": f"contact@{slugify(name)[:20]}.example",
                "commits_to_code": True,
                "about": "A demo application.",
                "state": state,
                "decided_at": None if state == "pending" else timezone.now(),
                "decided_by": None if state == "pending" else officer,
            },
        )
        if created:
            application.sectors.set([sectors["care"], sectors["agriculture"]])
            Application.objects.filter(pk=application.pk).update(
                created_at=timezone.now() - timedelta(days=4 + 9 * len(name) % 20)
            )

    # The demo complaints carry form tokens "demo-<n>", which makes this part idempotent.
    if Complaint.objects.filter(submission_token__startswith="demo-").exists():  # noqa: S106
        return
    # Named as the complainant knew it, and not found on the roster: it waits for an officer to
    # match it ("needs matching" in the admin).
    complaint_submit(
        recruiter_name_given="Demo Golden Bridge Jobs",
        categories=ComplaintCategory.objects.filter(code="fees"),
        description="They asked me for 500 pounds for the job and a bed in a shared room.",
        anonymous=True,
        submission_token="demo-match",  # noqa: S106
    )
    for i, complaint_data in enumerate(COMPLAINTS):
        (
            about,
            origin,
            destination,
            when,
            categories,
            stage,
            anonymous,
            in_danger,
            days_ago,
            what,
        ) = complaint_data
        recruiter = None
        if isinstance(about, int):
            recruiter = Recruiter.objects.get(slug=_slug(RECRUITERS[about][0]))
        complaint, _code = complaint_submit(
            recruiter=recruiter,
            unlisted_name="" if recruiter else about,
            unlisted_country=None if recruiter else countries[origin],
            categories=ComplaintCategory.objects.filter(code__in=categories.split()),
            happened_when=when,
            recruitment_country=countries[origin],
            destination_country=countries[destination],
            description=what,
            anonymous=anonymous,
            name="" if anonymous else f"Demo Complainant {i + 1}",
            email="" if anonymous else f"complainant{i + 1}@example.org",
            safe_contact="" if anonymous else "Evenings after 7pm, text first.",
            preferred_language=LANGUAGES.get(origin, "en-gb"),
            consent_to_referral=stage == "referred" or i % 2 == 0,
            in_danger=in_danger,
            submission_token=f"demo-{i}",
        )
        # Received over the last months; officers acted on it within a couple of days.
        received_at = timezone.now() - timedelta(days=days_ago)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=received_at)
        if stage == "received":
            continue
        if stage == "withdrawn":
            complaint_advance(complaint=complaint, to_stage=stage, by=officer)
            complaint.transitions.update(at=received_at + timedelta(days=2))
            continue
        complaint_advance(complaint=complaint, to_stage="under_review", by=officer)
        complaint_note_add(
            complaint=complaint,
            body=f"Asked the licensing body in {countries[origin].name} about "
            f"{recruiter.legal_name if recruiter else about}.",
            by=officer,
        )
        if stage == "referred":
            authority, their_reference = REFERRALS[i]
            complaint_refer(
                complaint=complaint,
                authority=authority,
                country=countries[destination],
                referred_on=(received_at + timedelta(days=2)).date(),
                their_reference=their_reference,
                by=officer,
            )
        if stage in ("resolved", "closed"):
            complaint_advance(complaint=complaint, to_stage=stage, by=officer)
        complaint_message_add(
            complaint=complaint,
            body=MESSAGES[stage].format(authority=REFERRALS.get(i, ("",))[0]),
            shared_with_complainant=True,
            by=officer,
        )
        complaint.transitions.update(at=received_at + timedelta(days=2))


def demo_complaint_to_follow() -> tuple[str, str]:
    """The first demo complaint's reference and a new tracking code for it, to try tracking with.

    Only a hash of a code is stored, so each run of the seed gives the complaint a fresh code.
    """
    complaint = Complaint.objects.get(submission_token="demo-0")  # noqa: S106
    code = _new_code(12)  # as complaint_submit makes them
    Complaint.objects.filter(pk=complaint.pk).update(tracking_code_hash=tracking_code_hash(code))
    return complaint.reference, code


def demo_notes() -> list[str]:
    """For the seed's summary: a demo complaint to follow, with a fresh tracking code."""
    reference, code = demo_complaint_to_follow()
    track = f"{settings.SITE_URL}{reverse('iris:complaint-track')}"
    return [
        "",
        f"A demo complaint to follow at {track}:",
        f"  Reference:     {reference}",
        f"  Tracking code: {code}",
    ]
