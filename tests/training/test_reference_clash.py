"""Every code training makes (booking reference, request reference, certificate code) comes from
iomuk.references: when the random source keeps giving a code already taken, the person gets a
plain message after a bounded number of tries, never a 500 and never a page that hangs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import references, roles
from iomuk.models import User
from training.models import AdaptedSessionRequest, Booking, Certificate

from .conftest import booking_data
from .factories import AdaptedSessionRequestFactory, BookingFactory, SessionFactory
from .test_request import form as request_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck_random(monkeypatch):
    """A random source that always picks the first character: every code comes out the same.
    It counts its calls, so a test sees the tries stop."""
    calls = []

    def choice(alphabet):
        calls.append(alphabet)
        return alphabet[0]

    monkeypatch.setattr(references, "choice", choice)
    return calls


def test_a_booking_reference_clash_is_a_plain_message(client, stuck_random):
    session = SessionFactory(capacity=5)
    BookingFactory(session=session, reference="TR-222222")
    response = client.post(f"/training/{session.slug}/", booking_data())
    assert response.status_code == 400
    assert "Please try again" in response.text
    assert Booking.objects.count() == 1
    assert len(stuck_random) == references.ATTEMPTS * 6


def test_a_request_reference_clash_is_a_plain_message(client, stuck_random):
    AdaptedSessionRequestFactory(reference="AR-222222")
    response = client.post("/training/request/", request_form())
    assert response.status_code == 400
    assert "Please try again" in response.text
    assert AdaptedSessionRequest.objects.count() == 1


def test_a_certificate_code_clash_stops_and_says_so(client, stuck_random):
    coordinator = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(coordinator)
    earlier = BookingFactory(attended=True)
    Certificate.objects.create(booking=earlier, code="CPD-2222-2222")
    starts = timezone.now() - timedelta(days=1)
    session = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    booking = BookingFactory(session=session)
    response = client.post(
        f"/training/{session.slug}/attendance/", {f"b{booking.pk}": "yes", "certificates": "1"}
    )
    assert response.status_code == 200
    assert "Please try again" in response.text
    assert not Certificate.objects.filter(booking=booking).exists()


def test_codes_use_one_alphabet_without_look_alike_characters():
    code = references.code_random("CPD-####-####")
    assert code.startswith("CPD-") and len(code) == 13
    assert not set(code[4:].replace("-", "")) - set(references.ALPHABET)
    assert not set("01OIL") & set(references.ALPHABET)
