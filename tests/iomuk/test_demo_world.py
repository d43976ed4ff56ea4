"""The demo world harms no one: every organisation in it is plainly fictional, and its stories
are varied and consistent with each other; and it shows every state of every record. (The
banner it brings: test_demo_banner.py; the command's output and a second run:
test_seed_demo.py.)

Every test that only reads the demo world lives here, on one seed: the world is built once for
the module, in a transaction each test's own rolls back to, and rolled back after the module.
(Not once for the session: that transaction would stay open under every other module's tests,
and a transactional test's flush would empty it.)"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from iris.models import AccreditationState, Application, Complaint, Recruiter, Referral
from iris.recruiters.selectors import roster_matches
from returns.models import CaseNote, Country, ReturnCase, ReturnPlanItem, Stage
from tests.iomuk.test_demo_banner import BANNER, pages_of
from training.models import AdaptedSessionRequest, Booking, Session

# The one marker every demo organisation's name carries.
FICTIONAL = re.compile(r"\bDemo\b")
# The operator of the portal appears in the demo as itself; so do the public authorities a
# complaint is referred to (a referral names where it went, not who is accused).
REAL_ON_PURPOSE = {"IOM UK"}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Seeded once for the module (the seed takes a while), and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_PASSWORD="demo-pass-for-tests"),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def _organisation_names() -> list[str]:
    names = []
    for recruiter in Recruiter.objects.all():
        names += [recruiter.legal_name, *recruiter.trading_name_list]
    names += Application.objects.values_list("organisation_name", flat=True)
    for complaint in Complaint.objects.all():
        names += [n for n in (complaint.unlisted_name, complaint.recruiter_name_given) if n]
    names += ReturnCase.objects.values_list("referrer_organisation", flat=True)
    names += Booking.objects.values_list("organisation", flat=True)
    names += AdaptedSessionRequest.objects.values_list("organisation", flat=True)
    names += Session.objects.exclude(venue="").values_list("venue", flat=True)
    return [n for n in names if n not in REAL_ON_PURPOSE]


def test_every_demo_organisation_is_plainly_fictional(db, demo_world):
    names = _organisation_names()
    assert len(names) > 100
    assert [n for n in names if not FICTIONAL.search(n)] == []


def test_demo_complaints_tell_different_stories(db, demo_world):
    complaints = list(Complaint.objects.all())
    assert len({c.description for c in complaints}) == len(complaints)
    assert len({c.happened_when for c in complaints}) > len(complaints) // 2
    assert len({c.destination_country_id for c in complaints}) >= 4


def test_demo_referrals_carry_their_own_authority_references(db, demo_world):
    references = list(Referral.objects.values_list("their_reference", flat=True))
    assert len(references) >= 2
    assert len(set(references)) == len(references)


def test_each_demo_case_has_notes_of_its_own(db, demo_world):
    notes = {}
    for case in ReturnCase.objects.prefetch_related("notes"):
        notes[case.pk] = tuple(sorted(note.text for note in case.notes.all()))
    assert all(notes.values())
    assert len(set(notes.values())) == len(notes)


def test_no_demo_case_is_ineligible_for_a_nationality_it_has(db, demo_world):
    ineligible = ReturnCase.objects.filter(stage=Stage.NOT_ELIGIBLE)
    assert ineligible.exists()
    demonyms = {"BG": "Bulgarian", "CZ": "Czech", "HU": "Hungarian", "RO": "Romanian"}
    for case in ineligible:
        reason = case.transitions.get(to_stage=Stage.NOT_ELIGIBLE).reason.lower()
        if case.nationality == demonyms[case.country]:
            assert "national" not in reason, (case.nationality, reason)


def test_demo_cases_after_departure_have_consents_and_follow_ups_and_refusals_a_category(
    db, demo_world
):
    travelled = ReturnCase.objects.filter(
        stage__in=[Stage.DEPARTED, Stage.REINTEGRATION, Stage.CLOSED]
    )
    assert travelled.exists()
    for case in travelled:
        assert {c.purpose for c in case.consents.all()} == {"reintegration", "follow_up"}
        assert sorted(case.follow_ups.values_list("months", flat=True)) == [3, 6, 12]
        assert all(FICTIONAL.search(c.partner) for c in case.consents.all())
    assert not ReturnCase.objects.filter(stage=Stage.NOT_ELIGIBLE, not_eligible_reason="")


def test_every_demo_session_lasts_its_course_cpd_hours(db, demo_world):
    sessions = Session.objects.select_related("course")
    assert sessions.exists()
    for session in sessions:
        hours = timedelta(hours=float(session.course.cpd_hours))
        assert session.ends_at - session.starts_at == hours, session.slug


def test_the_demo_has_a_case_in_every_stage_for_each_country(db, demo_world):
    pairs = set(ReturnCase.objects.values_list("country", "stage"))
    assert pairs == {(c, s) for c in Country.values for s in Stage.values}
    assert ReturnCase.objects.filter(assigned_caseworker__username="caseworker").exists()
    assert ReturnCase.objects.filter(assigned_caseworker__isnull=True).exists()
    assert ReturnCase.objects.filter(referred_by__username="referrer").exists()
    assert ReturnPlanItem.objects.exists() and CaseNote.objects.exists()
    closed = ReturnCase.objects.filter(stage="closed").first()
    assert [t.to_stage for t in closed.transitions.all()][-1] == "closed"


def test_the_demo_has_recruiters_in_every_state_and_complaints_in_every_stage(db, demo_world):
    states = {r.effective_state for r in Recruiter.objects.all()}
    assert states == set(AccreditationState.values)
    assert set(Complaint.objects.values_list("stage", flat=True)) == set(Complaint.Stage.values)
    wroclaw = Recruiter.objects.filter(legal_name__startswith="Demo Praca Wrocław")
    assert set(wroclaw.values_list("pk", flat=True)) & set(roster_matches(q="Wroclaw", most=1000))


def test_after_seed_demo_the_public_and_staff_pages_show_the_banner(
    db, demo_world, client, coordinator
):
    for page in pages_of(client, coordinator):
        assert BANNER in page
        assert 'role="region" aria-label="Demo data"' in page


def test_the_demo_contacts_and_impostors_are_fictional_and_the_check_knows_them(db, demo_world):
    from iris.models import ImpostorContact, RecruiterContact
    from iris.recruiters.contact_services import contact_check

    contacts = RecruiterContact.objects.filter(removed_at__isnull=True)
    listed = Recruiter.objects.exclude(state="applicant")
    # Most listed demo recruiters have given contacts; a few have not, so "unknown" shows too.
    assert contacts.values("recruiter").distinct().count() > listed.count() / 2
    impostors = ImpostorContact.objects.filter(removed_at__isnull=True)
    assert impostors.count() >= 3
    for row in [*contacts, *impostors]:
        if row.kind == "phone":
            # Ofcom's numbers kept for drama: no one is ever given one.
            assert re.fullmatch(r"phone:\+44(7700900|207946)\d{3}", row.key), row.key
        elif row.kind in ("web", "email"):
            assert row.key.endswith(".example"), row.key
    phone = contacts.filter(kind="phone").select_related("recruiter").first()
    local = "0" + phone.key.removeprefix("phone:+44")
    assert contact_check(text=local, region="GB").recruiter == phone.recruiter
    assert contact_check(text=impostors.first().value).answer == "warning"
