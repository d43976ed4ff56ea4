"""Demo data for the iris app, used by the seed_demo command."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from iomuk.models import User

from .complaints import (
    _new_code,
    complaint_advance,
    complaint_message_add,
    complaint_note_add,
    complaint_refer,
    complaint_submit,
    tracking_code_hash,
)
from .models import (
    AccreditationState,
    Application,
    Complaint,
    ComplaintCategory,
    Country,
    Recruiter,
    RecruiterCountry,
    Sector,
    normalise_name,
)
from .roster import roster_index

S = AccreditationState
# legal name, trading names, HQ, origins, destinations, sectors, state
RECRUITERS = [
    (
        "Agencja Pracy Wrocław Sp. z o.o.",
        "APW Jobs",
        "PL",
        "PL",
        "GB DE",
        "agriculture manufacturing",
        S.ACCREDITED,
    ),
    (
        "Munkaerő Kft.",
        "Munkaero Recruitment",
        "HU",
        "HU",
        "GB AT",
        "manufacturing logistics",
        S.ACCREDITED,
    ),
    (
        "Agenția de Recrutare Brașov SRL",
        "Brasov Staffing",
        "RO",
        "RO MD",
        "GB IT",
        "care hospitality",
        S.ACCREDITED,
    ),
    ("Sofia Fair Labour OOD", "", "BG", "BG", "GB", "agriculture", S.ACCREDITED),
    (
        "Pražská personální agentura s.r.o.",
        "Praha Staff",
        "CZ",
        "CZ SK",
        "GB DE",
        "logistics",
        S.ACCREDITED,
    ),
    (
        "Kathmandu Overseas Employment Pvt Ltd",
        "KOE",
        "NP",
        "NP",
        "QA GB",
        "construction hospitality",
        S.ACCREDITED,
    ),
    ("Manila Care Placements Inc.", "MCP Nurses", "PH", "PH", "GB", "care", S.ACCREDITED),
    (
        "Dhaka Skills Bridge Ltd",
        "",
        "BD",
        "BD",
        "AE GB",
        "construction manufacturing",
        S.ACCREDITED,
    ),
    ("Hanoi Seafarers Manning JSC", "", "VN", "VN ID", "GB IE", "fishing", S.ACCREDITED),
    (
        "Lietuvos Darbo Partneriai UAB",
        "LDP",
        "LT",
        "LT LV",
        "GB NL",
        "logistics agriculture",
        S.ACCREDITED,
    ),
    (
        "Harvest Fields Labour Ltd",
        "Harvest Fields",
        "GB",
        "UZ KG",
        "GB",
        "agriculture",
        S.ACCREDITED,
    ),
    ("Kenya Hospitality Talent Ltd", "", "KE", "KE", "GB SA", "hospitality", S.ACCREDITED),
    ("Accra Care Partners", "", "GH", "GH NG", "GB", "care domestic-work", S.ACCREDITED),
    ("Kerala Health Workforce Pvt Ltd", "KHW", "IN", "IN", "GB IE", "care", S.ACCREDITED),
    ("Zagreb Maritime Crew d.o.o.", "", "HR", "HR RS", "GB GR", "fishing logistics", S.ACCREDITED),
    ("Chişinău Work Abroad SRL", "", "MD", "MD", "RO GB", "construction", S.SUSPENDED),
    ("Budapesti Építőipari Munkaerő Zrt.", "BEM", "HU", "HU", "GB", "construction", S.SUSPENDED),
    ("Colombo Domestic Placements", "", "LK", "LK", "SA QA", "domestic-work", S.SUSPENDED),
    ("Plovdiv Agro Staff EOOD", "", "BG", "BG", "GB ES", "agriculture", S.EXPIRED),
    ("Košice Industrial Staffing s.r.o.", "", "SK", "SK", "DE GB", "manufacturing", S.EXPIRED),
    ("Lagos Global Careers", "", "NG", "NG", "GB", "care", S.EXPIRED),
    ("Tirana Seasonal Work Sh.p.k.", "", "AL", "AL", "GB IT", "hospitality", S.WITHDRAWN),
    ("Kyiv Construction Crews LLC", "", "UA", "UA", "PL GB", "construction", S.WITHDRAWN),
    ("Iași Personal Agricol SRL", "", "RO", "RO", "GB", "agriculture", S.WITHDRAWN),
    ("Tashkent Harvest Partners LLC", "", "UZ", "UZ", "GB", "agriculture", S.APPLICANT),
    ("Jakarta Ocean Crew PT", "", "ID", "ID", "GB", "fishing", S.APPLICANT),
    ("Karachi Textile Workforce", "", "PK", "PK", "GB", "manufacturing", S.APPLICANT),
    ("Porto Hospitality Recrutamento Lda", "", "PT", "PT BR", "GB", "hospitality", S.ACCREDITED),
    ("Riga Warehouse Jobs SIA", "", "LV", "LV EE", "GB", "logistics", S.ACCREDITED),
    ("Ankara Tekstil İşgücü A.Ş.", "", "TR", "TR", "GB DE", "manufacturing other", S.ACCREDITED),
]

APPLICATIONS = [
    ("Bucharest Care Agency SRL", "recruiter", "RO", "pending"),
    ("Fenland Growers Ltd", "employer", "GB", "pending"),
    ("Ministry of Labour and Social Protection (demo)", "government", "MD", "accepted"),
    ("Migrant Workers' Rights Network", "civil_society", "GB", "accepted"),
    ("Quick Visa Jobs", "recruiter", "NP", "rejected"),
]

COMPLAINTS = [
    # recruiter slug or unlisted name, categories, stage, anonymous, in danger, days ago
    ("chisinau-work-abroad-srl", "fees documents", "under_review", False, False, 12),
    ("budapesti-epitoipari-munkaero-zrt", "deception contract", "referred", False, False, 48),
    ("colombo-domestic-placements", "documents threats", "received", True, True, 9),
    ("agencja-pracy-wroclaw-sp-z-o-o", "contract", "resolved", False, False, 95),
    ("Fast Jobs UK Abroad", "fees debt", "received", True, False, 2),
    ("lagos-global-careers", "deception", "closed", False, False, 150),
    ("Sunrise Overseas Manpower", "fees deception", "withdrawn", False, False, 70),
    ("harvest-fields-labour-ltd", "fees", "received", False, False, 16),
    ("kenya-hospitality-talent-ltd", "contract", "under_review", True, False, 30),
    ("Quick Visa Jobs Abroad", "fees deception", "referred", False, False, 120),
    ("riga-warehouse-jobs-sia", "contract debt", "resolved", False, False, 60),
    ("Northern Star Placements", "threats documents", "received", True, False, 1),
]
# Accredited members whose accreditation ends soon (index in RECRUITERS: days left).
EXPIRING_SOON = {3: 9, 7: 27, 12: 50}


def seed_iris() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
    today = timezone.localdate()
    countries = {c.code: c for c in Country.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    for i, (name, trading, hq, origins, dests, sector_codes, state) in enumerate(RECRUITERS):
        recruiter, created = Recruiter.objects.get_or_create(
            slug=slugify(normalise_name(name)),
            defaults={
                "legal_name": name,
                "trading_names": trading,
                "hq_country": countries[hq],
                "registration_number": f"REG-{hq}-{1000 + i}",
                "website": f"https://{slugify(name)[:30]}.example",
                "contact_email": f"office@{slugify(name)[:30]}.example",
            },
        )
        if not created:
            continue
        granted = today - timedelta(days=30 * (i % 10) + 10)
        if i in EXPIRING_SOON:
            granted = today - timedelta(days=365 - EXPIRING_SOON[i])
        if state == S.EXPIRED:
            # Stored as accredited: the page must show it expired without anyone acting.
            recruiter.state, granted = S.ACCREDITED, today - timedelta(days=400)
        elif state != S.APPLICANT:
            recruiter.state = state
        if state != S.APPLICANT:
            recruiter.accreditation_number = f"IRIS-A-{recruiter.pk:06d}"
            recruiter.granted_on = granted
            recruiter.valid_until = granted + timedelta(days=365)
        recruiter.save()
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
        recruiter_name_given="Golden Bridge Jobs",
        categories=ComplaintCategory.objects.filter(code="fees"),
        description="They asked me for 500 pounds for the job and a bed in a shared room.",
        anonymous=True,
        submission_token="demo-match",  # noqa: S106
    )
    for i, (about, categories, stage, anonymous, in_danger, days_ago) in enumerate(COMPLAINTS):
        recruiter = Recruiter.objects.filter(slug=about).first()
        complaint, _code = complaint_submit(
            recruiter=recruiter,
            unlisted_name="" if recruiter else about,
            unlisted_country=countries["GB"],
            categories=ComplaintCategory.objects.filter(code__in=categories.split()),
            happened_when="Spring 2026",
            recruitment_country=recruiter.hq_country if recruiter else countries["RO"],
            destination_country=countries["GB"],
            description=(
                "I was told the job was in a packing house at the minimum wage. When I arrived "
                "they took my passport 'for the paperwork' and said I owed them for the travel."
            ),
            anonymous=anonymous,
            name="" if anonymous else f"Demo Complainant {i + 1}",
            email="" if anonymous else f"complainant{i + 1}@example.org",
            safe_contact="" if anonymous else "Evenings after 7pm, text first.",
            preferred_language="ro" if i % 2 else "en-gb",
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
            complaint=complaint, body="Called the recruiter's licensing body.", by=officer
        )
        if stage == "referred":
            complaint_refer(
                complaint=complaint,
                authority="Gangmasters and Labour Abuse Authority",
                country=countries["GB"],
                referred_on=today,
                their_reference="GLAA-2026-0193",
                by=officer,
            )
        if stage in ("resolved", "closed"):
            complaint_advance(complaint=complaint, to_stage=stage, by=officer)
        complaint_message_add(
            complaint=complaint,
            body="Thank you. We have looked into your report and acted on it.",
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
