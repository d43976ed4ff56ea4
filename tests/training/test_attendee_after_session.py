"""Point 8: after the session, the attendee's own page says whether they came and hands over
the certificate; anyone can check a certificate code from a form, typed however they like."""

from datetime import timedelta

import pytest
from django.utils import timezone

from training import services
from training.models import Booking

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session():
    starts = timezone.now() - timedelta(days=2)
    return SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))


def test_an_attendee_who_came_sees_it_and_downloads_the_certificate(client, past_session):
    booking = BookingFactory(session=past_session, attended=True, name="Grace Okafor")
    certificate = services.certificates_issue(session=past_session)[0]

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "Your seat is confirmed" not in page.text
    assert "You attended this session." in page.text
    assert certificate.code in page.text
    pdf = client.get(f"/training/bookings/{booking.token}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF-")
    assert f"/training/bookings/{booking.token}/certificate.pdf" in page.text


def test_an_attendee_marked_present_is_told_the_certificate_is_on_its_way(client, past_session):
    booking = BookingFactory(session=past_session, attended=True)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "You attended this session." in page.text
    assert "We email your CPD certificate" in page.text
    assert client.get(f"/training/bookings/{booking.token}/certificate.pdf").status_code == 404


def test_an_attendee_marked_absent_sees_that_and_no_certificate(client, past_session):
    booking = BookingFactory(session=past_session, attended=False)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "Your seat is confirmed" not in page.text
    assert "Our records show you did not attend this session." in page.text
    assert "certificate.pdf" not in page.text


def test_before_the_roll_call_the_page_says_the_session_is_over(client, past_session):
    booking = BookingFactory(session=past_session)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "Your seat is confirmed" not in page.text
    assert "This session has taken place." in page.text
    assert "Download the calendar file" not in page.text


def test_a_person_still_waiting_when_the_session_started_is_not_told_a_place_in_line(
    client, past_session
):
    booking = BookingFactory(session=past_session, state=Booking.State.WAITING)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "in line" not in page.text
    assert "This session has taken place. No seat came free for you." in page.text


def test_the_certificate_page_has_a_form_to_check_a_code(client, past_session):
    page = client.get("/training/certificates/")

    assert page.status_code == 200
    assert 'name="code"' in page.text
    assert 'action="/training/certificates/"' in page.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_code_typed_in_lower_case_with_spaces_finds_the_certificate(client, past_session, method):
    BookingFactory(session=past_session, attended=True, name="Grace Okafor")
    code = services.certificates_issue(session=past_session)[0].code  # CPD-XXXX-XXXX
    typed = "  " + code.lower().replace("-", " ") + " "

    response = getattr(client, method)("/training/certificates/", {"code": typed}, follow=True)

    assert response.redirect_chain[-1][0] == f"/training/certificates/{code}/"
    assert "This CPD certificate is genuine" in response.text
    assert "Grace Okafor" in response.text


def test_a_mistyped_code_gets_a_page_that_says_so_with_the_form(client, past_session):
    BookingFactory(session=past_session, attended=True)
    services.certificates_issue(session=past_session)

    response = client.get("/training/certificates/CPD-ABCD-EFGZ/", follow=True)

    assert response.status_code == 404
    assert "We cannot find a certificate with the code CPD-ABCD-EFGZ." in response.text
    assert 'name="code"' in response.text
    assert "This CPD certificate is genuine" not in response.text


def test_an_empty_code_asks_for_one(client):
    response = client.get("/training/certificates/", {"code": "  "})

    assert response.status_code == 400
    assert "Enter the code printed on the certificate" in response.text


def test_during_the_session_the_page_says_it_is_under_way(client):
    starts = timezone.now() - timedelta(hours=1)
    session = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    booking = BookingFactory(session=session)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "This session is under way." in page.text
    assert "has taken place" not in page.text


def test_a_late_comer_still_finds_the_joining_link_while_the_session_is_under_way(client):
    starts = timezone.now() - timedelta(minutes=10)
    online = SessionFactory(
        starts_at=starts,
        booking_deadline=starts - timedelta(days=1),
        format="online",
        venue="",
        address="",
        region="",
        online_link="https://meet.example/j/secret-room",
    )
    booking = BookingFactory(session=online)

    page = client.get(f"/training/bookings/{booking.token}/")

    assert "https://meet.example/j/secret-room" in page.text
