"""The change history of bookings: who changed what and when, for administrators only."""

import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User
from training.models import Booking

from .factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", password="x" * 14)


def test_a_coordinator_marking_attendance_is_recorded_with_who_and_what(client, coordinator):
    booking = BookingFactory(requirements="Step-free access")
    client.force_login(coordinator)
    response = client.post(
        f"/admin/training/booking/{booking.pk}/change/", {"attended": "true", "_save": "Save"}
    )
    assert response.status_code == 302
    latest = booking.history.first()
    assert (latest.history_user, latest.history_type, latest.attended) == (coordinator, "~", True)
    assert latest.diff_against(latest.prev_record).changed_fields == ["attended"]


def test_the_booking_token_is_not_copied_into_the_history(db):
    booking = BookingFactory()
    assert not hasattr(booking.history.first(), "token")


def test_a_coordinator_cannot_read_the_history(client, coordinator):
    booking = BookingFactory()
    client.force_login(coordinator)
    assert client.get(f"/admin/training/booking/{booking.pk}/history/").status_code == 403
    version = booking.history.first().history_id
    url = f"/admin/training/booking/{booking.pk}/history/{version}/"
    assert client.get(url).status_code == 403


def test_an_administrator_reads_it_and_cannot_revert(client, coordinator, admin_user):
    booking = BookingFactory(name="Priya Shah")
    Booking.objects.get(pk=booking.pk).save()  # a second version
    client.force_login(admin_user)
    page = client.get(f"/admin/training/booking/{booking.pk}/history/")
    assert page.status_code == 200 and "Revert" not in page.text
    first = booking.history.last().history_id
    url = f"/admin/training/booking/{booking.pk}/history/{first}/"
    assert "Revert" not in client.get(url).text
    assert client.post(url, {"attended": "false"}).status_code == 405
    assert Booking.objects.get(pk=booking.pk).attended is None
