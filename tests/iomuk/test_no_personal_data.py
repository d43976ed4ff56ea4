"""No personal data in email subjects, URLs or logs.

Every flow that sends mail runs once with people whose names, emails and date of birth are
distinctive; then every outbox subject, every URL requested or redirected to (and every link
in the mail), and every log record written at DEBUG is searched for them.
"""

import logging
import re
import uuid
from datetime import date, timedelta
from urllib.parse import unquote_plus

import pytest
from django.core.signals import request_started
from django.test import Client
from django.utils import timezone

from iomuk import roles
from iomuk.models import OutboxMessage
from iomuk.outbox import OutboxDeliveryError, outbox_deliver, outbox_enqueue
from iris.complaints import services as iris_complaints
from iris.models import Application, Complaint, Country
from iris.recruiters import services as iris_services
from returns import services as returns_services
from returns.models import ReturnCase, Stage
from tests.iris.factories import RecruiterFactory
from tests.returns.factories import UserFactory
from tests.returns.test_intake import referral
from tests.training.factories import BookingFactory, SessionFactory
from training import services as training_services
from training.models import Booking

# Distinctive enough that they appear nowhere by chance.
PEOPLE = {
    "booker": ("Zephyrine Quillfeather", "zephyrine.quillfeather@scan.example"),
    "waiting": ("Barnaby Thistlewood", "barnaby.thistlewood@scan.example"),
    "attendee": ("Ottoline Marchbanks", "ottoline.marchbanks@scan.example"),
    "organiser": ("Perpetua Gravesend", "perpetua.gravesend@scan.example"),
    "applicant": ("Cornelius Pettigrew", "cornelius.pettigrew@scan.example"),
    "complainant": ("Ignatius Fairweather", "ignatius.fairweather@scan.example"),
    "survivor": ("Ludmila Vranceanu", "safe.house.vranceanu@scan.example"),
    "referrer": ("Detective Hortensia Blackwood", "hortensia.blackwood@scan.example"),
    "caseworker": ("Tobias Wrenfield", "tobias.wrenfield@scan.example"),
}
DATE_OF_BIRTH = date(1987, 11, 23)


def markers() -> list[str]:
    found = []
    for name, email in PEOPLE.values():
        found += [name, *name.split()[-1:], email, email.split("@")[0]]
    found += [DATE_OF_BIRTH.isoformat(), DATE_OF_BIRTH.strftime("%d/%m/%Y"), "23 November 1987"]
    return [m.lower() for m in found]


def leaks(texts) -> list[tuple[str, str]]:
    return [
        (marker, text)
        for text in texts
        for marker in markers()
        if marker in unquote_plus(text).lower()
    ]


@pytest.fixture
def urls():
    """Every path and query string the portal is asked for during the test."""
    seen = []

    def record(sender, environ=None, **kwargs):
        seen.append(f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}")

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


@pytest.fixture
def log_records(monkeypatch):
    """Every log record from every logger, at DEBUG, whatever the handlers and levels say."""
    records = []
    loggers = [logging.getLogger()] + [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    levels = {lg: lg.level for lg in loggers}
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    monkeypatch.setattr(logging.Logger, "handle", lambda self, record: records.append(record))
    yield records
    for lg, level in levels.items():
        lg.setLevel(level)


def log_texts(records) -> list[str]:
    texts = []
    for record in records:
        try:
            texts.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a badly formatted record still counts
            texts.append(f"{record.msg} {record.args!r}")
        if record.exc_info and record.exc_info[1] is not None:
            texts.append(repr(record.exc_info[1]))
    return texts


class Redirects:
    """Wraps a test client to keep every redirect's Location."""

    def __init__(self, client: Client, locations: list[str]):
        self.client, self.locations = client, locations

    def get(self, *args, **kwargs):
        return self._keep(self.client.get(*args, **kwargs))

    def post(self, *args, **kwargs):
        return self._keep(self.client.post(*args, **kwargs))

    def _keep(self, response):
        if response.has_header("Location"):
            self.locations.append(response["Location"])
        for hop, _status in getattr(response, "redirect_chain", []):
            self.locations.append(hop)
        return response


def _training_flows(web, coordinator):
    booker_name, booker_email = PEOPLE["booker"]
    waiting_name, waiting_email = PEOPLE["waiting"]
    session = SessionFactory(capacity=1, starts_at=timezone.now() + timedelta(days=5))
    booking = {
        "organisation": "Camden Council",
        "sector": "social_work",
        "job_title": "Social worker",
        "requirements": "Step-free access",
        "consent_contact": "on",
    }
    path = f"/training/{session.slug}/"
    web.post(path, {**booking, "name": booker_name, "email": booker_email}, follow=True)
    web.post(path, {**booking, "name": waiting_name, "email": waiting_email}, follow=True)
    # The same person again from another browser: the link is emailed to them.
    Redirects(Client(), web.locations).post(
        path, {**booking, "name": booker_name, "email": booker_email}, follow=True
    )
    first = Booking.objects.get(email=booker_email)
    web.get(f"/training/bookings/{first.token}/")
    web.post(f"/training/bookings/{first.token}/cancel/", follow=True)  # a seat is offered
    offered = Booking.objects.get(email=waiting_email)
    web.post(f"/training/bookings/{offered.token}/accept/", follow=True)
    web.get(f"/training/bookings/{offered.token}/calendar.ics")
    training_services.reminders_send(now=session.starts_at - timedelta(days=1))
    session.venue = "Another room"
    training_services.session_save(session=session, changed=["venue"])
    training_services.session_cancel(session=session)

    # An offer that lapses.
    full = SessionFactory(capacity=1)
    BookingFactory(session=full, name=booker_name, email=booker_email)
    lapsing = BookingFactory(
        session=full,
        name=waiting_name,
        email=waiting_email,
        state=Booking.State.OFFERED,
        offer_expires_at=timezone.now() - timedelta(minutes=1),
    )
    training_services.offers_expire()
    assert Booking.objects.get(pk=lapsing.pk).state == Booking.State.CANCELLED

    # Attendance and a certificate.
    attendee_name, attendee_email = PEOPLE["attendee"]
    past = SessionFactory(starts_at=timezone.now() - timedelta(hours=4))
    attended = BookingFactory(session=past, name=attendee_name, email=attendee_email)
    staff = Redirects(Client(), web.locations)
    staff.client.force_login(coordinator)
    staff.get(f"/training/{past.slug}/attendance/")
    # An administrator looks the booker up by email in the admin's search box.
    admin = Redirects(Client(), web.locations)
    admin.client.force_login(UserFactory(username="root", is_superuser=True))
    found = admin.post("/admin/training/booking/", {"q": booker_email}, follow=True)
    assert first.reference in found.content.decode()
    training_services.attendance_mark(session=past, attended={attended.pk: True})
    assert training_services.certificates_issue(session=past)
    web.get(f"/training/certificates/{attended.certificate.code}/")

    organiser_name, organiser_email = PEOPLE["organiser"]
    web.post(
        "/training/request/",
        {
            "organisation": "Leeds Housing",
            "contact_name": organiser_name,
            "email": organiser_email,
            "phone": "0113 496 0000",
            "sector": "housing",
            "people": "12",
            "preferred_dates": "Any Tuesday in March",
            "format": "online",
            "needs": f"Ask for {organiser_name}.",
        },
    )


def _iris_flows(web, officer):
    applicant_name, applicant_email = PEOPLE["applicant"]
    web.post(
        "/iris/join/",
        {
            "organisation_name": "Fair Hire Ltd",
            "organisation_type": "recruiter",
            "registration_number": "123456",
            "hq_country": "RO",
            "origin_countries": ["RO"],
            "destination_countries": ["GB"],
            "sectors": ["care"],
            "website": "https://fairhire.example",
            "contact_name": applicant_name,
            "contact_email": applicant_email,
            "contact_phone": "",
            "about": "We place care workers.",
            "commits_to_code": "on",
        },
    )
    iris_services.application_accept(application=Application.objects.get(), by=officer)

    complainant_name, complainant_email = PEOPLE["complainant"]
    recruiter = RecruiterFactory()
    web.get(f"/iris/complaints/new/?recruiter={recruiter.accreditation_number}")
    web.post(
        "/iris/complaints/new/",
        {
            "token": uuid.uuid4().hex,
            "about": "listed",
            "recruiter_ref": recruiter.accreditation_number,
            "categories": ["fees", "documents"],
            "description": f"My name is {complainant_name}; they kept my passport.",
            "in_danger": "on",
            "name": complainant_name,
            "email": complainant_email,
            "phone": "07700 900123",
            "safe_contact": "Evenings",
            "preferred_language": "en-gb",
            "consent_to_referral": "on",
        },
        follow=True,
    )
    complaint = Complaint.objects.get()
    iris_complaints.complaint_advance(
        complaint=complaint, to_stage=Complaint.Stage.UNDER_REVIEW, by=officer
    )
    iris_complaints.complaint_refer(
        complaint=complaint,
        authority="Gangmasters and Labour Abuse Authority",
        country=Country.objects.get(pk="GB"),
        referred_on=timezone.localdate(),
        by=officer,
    )
    iris_complaints.complaint_message_add(
        complaint=complaint, body="We have referred it.", shared_with_complainant=True, by=officer
    )
    web.post("/iris/complaints/track/", {"reference": complaint.reference, "code": "wrong"})
    # An officer searches the queue, and a complaint's match box, by the complainant's name.
    desk = Redirects(Client(), web.locations)
    desk.client.force_login(officer)
    desk.post("/staff/iris/complaints/", {"q": complainant_name, "stage": ""}, follow=True)
    desk.post(
        f"/staff/iris/complaints/{complaint.reference}/find/",
        {"find": complainant_name},
        follow=True,
    )
    web.post("/iris/verify/", {"number": recruiter.accreditation_number})


def _returns_flows(web, referrer, casemanager, caseworker):
    survivor_name, survivor_contact = PEOPLE["survivor"]
    referrer_name, referrer_email = PEOPLE["referrer"]
    staff = Redirects(Client(), web.locations)
    staff.client.force_login(referrer)
    staff.post(
        "/returns/referrals/new/",
        referral(
            full_name=survivor_name,
            preferred_name=survivor_name.split()[0],
            date_of_birth=DATE_OF_BIRTH.isoformat(),
            referrer_name=referrer_name,
            referrer_contact=referrer_email,
            safe_contact_details=survivor_contact,
        ),
        follow=True,
    )
    case = ReturnCase.objects.get()
    manager = Redirects(Client(), web.locations)
    manager.client.force_login(casemanager)
    manager.get("/returns/cases/")
    # A search by the survivor's name, then by the referrer's: the list shows them, the
    # addresses (and so the access logs) do not.
    found = manager.post("/returns/cases/", {"q": survivor_name, "country": "RO"}, follow=True)
    assert case.reference in found.content.decode()
    manager.post("/returns/cases/", {"q": referrer_name.split()[-1]}, follow=True)
    manager.get(f"/returns/cases/{case.reference}/")
    returns_services.case_assign(
        case=case, caseworker=caseworker, by=casemanager, expected_version=case.version
    )
    case.refresh_from_db()
    returns_services.case_advance(
        case=case,
        to_stage=Stage.ELIGIBILITY_CHECKED,
        by=casemanager,
        reason="Checked",
        expected_version=case.version,
    )


def _sign_in_flows(web):
    # Someone types their email address as the username and a wrong password.
    _name, email = PEOPLE["caseworker"]
    web.post("/accounts/login/", {"username": email, "password": "wrong-password-123"})
    web.post("/accounts/password_reset/", {"email": email})


@pytest.fixture
def staff(db):
    def person(key, username, role):
        name, email = PEOPLE[key]
        first, *_middle, last = name.split()
        return UserFactory(
            username=username, email=email, first_name=first, last_name=last, role=role
        )

    return {
        "coordinator": UserFactory(username="coord", role=roles.TRAINING_COORDINATORS),
        "officer": UserFactory(username="officer", role=roles.IRIS_OFFICERS),
        "referrer": person("referrer", "ref1", roles.PARTNER_REFERRERS),
        "casemanager": UserFactory(username="cm1", role=roles.CASE_MANAGERS),
        "caseworker": person("caseworker", "cw1", roles.CASEWORKERS),
    }


@pytest.fixture
def ran_every_flow(
    staff, urls, log_records, settings, private_cache, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    locations = []
    web = Redirects(Client(), locations)
    with django_capture_on_commit_callbacks(execute=True):
        _training_flows(web, staff["coordinator"])
        _iris_flows(web, staff["officer"])
        _returns_flows(web, staff["referrer"], staff["casemanager"], staff["caseworker"])
        _sign_in_flows(web)
    return {"locations": locations, "urls": urls, "logs": log_records}


EXPECTED_TEMPLATES = {
    "training-booking-confirmed",
    "training-waiting-list-joined",
    "training-booking-link",
    "training-booking-cancelled",
    "training-seat-offered",
    "training-reminder",
    "training-session-changed",
    "training-session-cancelled",
    "training-offer-expired",
    "training-certificate",
    "training-request-received",
    "iris-application-received",
    "iris-application-accepted",
    "iris-urgent",
    "iris-complaint-received",
    "iris-complaint-update",
    "returns-case-assigned",
    "returns-case-moved",
    "returns-referral-moved",
}


def test_every_flow_that_sends_mail_ran(ran_every_flow):
    sent = set(OutboxMessage.objects.values_list("template", flat=True))
    assert sent >= EXPECTED_TEMPLATES, EXPECTED_TEMPLATES - sent


def test_no_email_subject_names_a_person(ran_every_flow):
    subjects = list(OutboxMessage.objects.values_list("subject", flat=True))
    assert subjects
    assert not leaks(subjects)


def test_no_url_carries_a_name_email_or_date_of_birth(ran_every_flow):
    links = [
        link
        for body in OutboxMessage.objects.values_list("body_text", flat=True)
        for link in re.findall(r"https?://\S+", body)
    ]
    assert ran_every_flow["urls"] and ran_every_flow["locations"] and links
    assert not leaks(ran_every_flow["urls"])
    assert not leaks(ran_every_flow["locations"])
    assert not leaks(links)


def test_no_log_record_names_a_person(ran_every_flow):
    assert ran_every_flow["logs"], "the capture saw nothing: is it wired?"
    assert not leaks(log_texts(ran_every_flow["logs"]))


def test_a_refused_recipient_is_not_named_in_the_logs(
    db, settings, log_records, test_email_templates
):
    # A mail server that refuses a recipient puts the address in its error.
    _name, email = PEOPLE["booker"]
    settings.EMAIL_BACKEND = "tests.iomuk.failing_backend.RefusingRecipientBackend"
    message = outbox_enqueue(to=email, template="test-message", context={"name": "x"})
    with pytest.raises(OutboxDeliveryError) as failure:
        outbox_deliver(message_id=message.pk)
    assert not leaks([str(failure.value)]), "the task's retry log shows this error"
    assert not leaks(log_texts(log_records))


def test_the_scan_finds_a_leak_when_there_is_one():
    _name, email = PEOPLE["booker"]
    assert leaks([f"/training/?email={email.replace('@', '%40')}"])
    assert leaks(["Subject for Quillfeather"])
