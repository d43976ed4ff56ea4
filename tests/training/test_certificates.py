import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone, translation
from pypdf import PdfReader

from iomuk import pdf as pdf_fonts
from iomuk import roles
from iomuk.models import AccessLog, User
from tests.pdfs import read_tags
from training import documents, services
from training.models import Booking, Certificate

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session():
    starts = timezone.now() - timedelta(days=1)
    return SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))


@pytest.fixture
def coordinator(client):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(user)
    return user


def test_the_roll_call_needs_the_permission(client, past_session):
    assert client.get(f"/training/{past_session.slug}/attendance/").status_code == 302
    client.force_login(User.objects.create_user("caseworker", password="x" * 14))
    assert client.get(f"/training/{past_session.slug}/attendance/").status_code == 403
    assert client.get(f"/training/{past_session.slug}/attendees.csv").status_code == 403


def test_a_coordinator_marks_attendance_and_sends_certificates(
    client, coordinator, past_session, django_capture_on_commit_callbacks
):
    present = BookingFactory(session=past_session, name="Grace Okafor")
    absent = BookingFactory(session=past_session)
    BookingFactory(session=past_session, state=Booking.State.CANCELLED)
    page = client.get(f"/training/{past_session.slug}/attendance/")
    assert "Grace Okafor" in page.text
    assert AccessLog.objects.filter(object_ref=past_session.slug).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/training/{past_session.slug}/attendance/",
            {f"b{present.pk}": "yes", f"b{absent.pk}": "no", "certificates": "1"},
            follow=True,
        )
    assert "Certificates sent: 1" in response.text
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended is True and absent.attended is False
    assert Certificate.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[present.email]]
    message = mail.outbox[0]
    assert "Grace" not in message.subject
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"
    assert present.certificate.code in message.body


def test_certificates_are_sent_once(past_session, django_capture_on_commit_callbacks):
    BookingFactory(session=past_session, attended=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.certificates_issue(session=past_session)) == 1
        assert services.certificates_issue(session=past_session) == []
    assert len(mail.outbox) == 1


def test_absent_and_cancelled_bookings_never_get_a_certificate(past_session):
    BookingFactory(session=past_session, attended=False)
    BookingFactory(session=past_session, attended=None)
    BookingFactory(session=past_session, state=Booking.State.CANCELLED, attended=True)
    assert services.certificates_issue(session=past_session) == []
    assert not Certificate.objects.exists()


def test_attendance_cannot_be_marked_before_the_session(client, coordinator):
    session = SessionFactory()
    booking = BookingFactory(session=session)
    response = client.post(f"/training/{session.slug}/attendance/", {f"b{booking.pk}": "yes"})
    assert "Attendance can be marked once the session has started." in response.text
    booking.refresh_from_db()
    assert booking.attended is None


def test_nonsense_attendance_values_get_a_message(client, coordinator, past_session):
    booking = BookingFactory(session=past_session)
    response = client.post(
        f"/training/{past_session.slug}/attendance/", {f"b{booking.pk}": "maybe"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_the_public_check_page_confirms_a_certificate(client, past_session):
    booking = BookingFactory(
        session=past_session, attended=True, name="Grace Okafor", organisation="Barts Health"
    )
    certificate = services.certificates_issue(session=past_session)[0]
    page = client.get(f"/training/certificates/{certificate.code.lower()}/", follow=True)
    assert page.redirect_chain == [(f"/training/certificates/{certificate.code}/", 302)]
    assert page.status_code == 200
    assert "This CPD certificate is genuine" in page.text
    assert "Grace Okafor" in page.text
    assert past_session.course.title in page.text
    assert "3</dd>" in page.text
    assert booking.email not in page.text and "Barts Health" not in page.text


def test_the_certificate_prints_the_name_exactly_as_given(past_session):
    name = "Ștefan Łukasz Dvořák Őry Петров"
    BookingFactory(session=past_session, attended=True, name=name)
    certificate = services.certificates_issue(session=past_session)[0]
    pdf = PdfReader(io.BytesIO(documents.certificate_pdf(certificate=certificate)))
    lines = pdf.pages[0].extract_text().splitlines()
    assert name in lines
    assert past_session.course.title in lines
    # The font comes with the code, not from whatever the machine has installed.
    assert pdf_fonts.FONT_DIR.is_relative_to(settings.BASE_DIR)


def test_the_certificate_says_which_language_it_is_in(past_session):
    BookingFactory(session=past_session, attended=True)
    certificate = services.certificates_issue(session=past_session)[0]
    pdf = PdfReader(io.BytesIO(documents.certificate_pdf(certificate=certificate)))
    assert pdf.trailer["/Root"]["/Lang"] == "en-gb"
    assert pdf.metadata.title == "Certificate of attendance"


def test_a_screen_reader_reads_the_whole_certificate_heading_first(past_session):
    BookingFactory(session=past_session, attended=True, name="Řehoř Győző")
    certificate = services.certificates_issue(session=past_session)[0]
    with translation.override("cs"):
        data = documents.certificate_pdf(certificate=certificate)
    tags = read_tags(data)
    assert tags.roles == ["/H1"] + ["/P"] * 9  # the title, then each line of the certificate
    assert tags.untagged == 0
    assert tags.unmatched == set()
    assert (tags.marked, tags.language, tags.shows_title) == (True, "cs", True)
    assert "Řehoř Győző" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_the_attendee_csv_lists_the_session_and_defuses_formulas(client, coordinator, past_session):
    BookingFactory(session=past_session, name="=HYPERLINK(1)", organisation="Camden")
    response = client.get(f"/training/{past_session.slug}/attendees.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "'=HYPERLINK(1)" in body and "Camden" in body
