"""Point 9: coordinators reach the roll call from their lists, mark everyone present in one
step, and past sessions show as past everywhere."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from training.models import Booking

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session():
    starts = timezone.now() - timedelta(days=1)
    return SessionFactory(
        slug="signs-yesterday", starts_at=starts, booking_deadline=starts - timedelta(days=1)
    )


@pytest.fixture
def coordinator(client):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(user)
    return user


def test_the_staff_workspace_links_to_the_roll_call_of_each_session(
    client, coordinator, past_session
):
    upcoming = SessionFactory(slug="signs-next-month")

    page = client.get("/staff/")

    assert f'href="/training/{past_session.slug}/attendance/"' in page.text
    assert f'href="/training/{upcoming.slug}/attendance/"' in page.text


def test_mark_all_present_marks_every_confirmed_attendee_and_records_who_did_it(
    client, coordinator, past_session
):
    first = BookingFactory(session=past_session)
    second = BookingFactory(session=past_session, attended=False)
    cancelled = BookingFactory(session=past_session, state=Booking.State.CANCELLED)
    page = client.get(f"/training/{past_session.slug}/attendance/")
    assert "Mark all present" in page.text

    response = client.post(
        f"/training/{past_session.slug}/attendance/", {"all_present": "1"}, follow=True
    )

    assert "2 attendees marked present." in response.text
    for booking in (first, second):
        booking.refresh_from_db()
        assert booking.attended is True
        assert booking.history.first().history_user == coordinator
    cancelled.refresh_from_db()
    assert cancelled.attended is None


def test_mark_all_present_waits_for_the_session_to_start(client, coordinator):
    booking = BookingFactory(session=SessionFactory())

    response = client.post(
        f"/training/{booking.session.slug}/attendance/", {"all_present": "1"}, follow=True
    )

    assert "Attendance can be marked once the session has started." in response.text
    booking.refresh_from_db()
    assert booking.attended is None


def test_the_admin_list_shows_a_past_session_as_past(client, coordinator, past_session):
    BookingFactory(session=past_session)

    page = client.get("/admin/training/session/")

    row = page.text.split(f"/admin/training/session/{past_session.pk}/change/")[1].split("</tr>")[0]
    assert "Past" in row
    assert "Scheduled" not in row
    assert '<td class="field-seats_left">9</td>' not in row
