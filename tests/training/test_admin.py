from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from iomuk import roles
from iomuk.models import User
from training.models import AdaptedSessionRequest, Booking, Session

from .factories import AdaptedSessionRequestFactory, BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = User.objects.create_user("coord", password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client.force_login(user)
    return user


def test_the_session_list_shows_seats_taken_and_left(
    client, coordinator, django_assert_max_num_queries
):
    for _ in range(5):
        session = SessionFactory(capacity=7)
        BookingFactory.create_batch(3, session=session)
    with django_assert_max_num_queries(14):
        page = client.get("/admin/training/session/")
    assert page.status_code == 200
    assert page.text.count('<td class="field-seats_left">4</td>') == 5


def test_bookings_filter_by_state_and_sector(client, coordinator):
    BookingFactory(state=Booking.State.WAITING, sector="police", name="Waiting officer")
    BookingFactory(name="Confirmed worker")
    page = client.get(
        "/admin/training/booking/", {"state__exact": "waiting", "sector__exact": "police"}
    )
    assert "Waiting officer" in page.text
    assert "Confirmed worker" not in page.text


def test_the_cancel_action_tells_everyone(client, coordinator, django_capture_on_commit_callbacks):
    session = SessionFactory()
    BookingFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/training/session/",
            {"action": "cancel_sessions", "_selected_action": [session.pk]},
        )
    session.refresh_from_db()
    assert session.state == Session.State.CANCELLED
    assert len(mail.outbox) == 1


def test_editing_the_time_in_the_admin_tells_attendees(
    client, coordinator, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    BookingFactory(session=session)
    local = timezone.localtime(session.starts_at + timedelta(days=2))
    ends = local + timedelta(hours=3)  # may fall on the next day
    data = {
        "course": session.course_id,
        "slug": session.slug,
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "booking_deadline_0": local.strftime("%Y-%m-%d"),
        "booking_deadline_1": "00:00:00",
        "format": session.format,
        "venue": session.venue,
        "address": session.address,
        "region": session.region,
        "online_link": "",
        "capacity": session.capacity,
        "loaded_version": Session.objects.get(pk=session.pk).version,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/training/session/{session.pk}/change/", data)
    assert response.status_code == 302, response.text[:2000]
    assert len(mail.outbox) == 1
    assert "has changed" in mail.outbox[0].body


def test_mark_attended_and_send_certificates_actions(
    client, coordinator, django_capture_on_commit_callbacks
):
    starts = timezone.now() - timedelta(hours=4)
    session = SessionFactory(starts_at=starts, booking_deadline=starts - timedelta(days=1))
    booking = BookingFactory(session=session)
    client.post(
        "/admin/training/booking/",
        {"action": "mark_attended", "_selected_action": [booking.pk]},
    )
    booking.refresh_from_db()
    assert booking.attended is True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/training/booking/",
            {"action": "send_certificates", "_selected_action": [booking.pk]},
        )
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_the_csv_export_action(client, coordinator):
    session = SessionFactory()
    BookingFactory(session=session, name="Aisha Khan")
    response = client.post(
        "/admin/training/session/",
        {"action": "export_attendees", "_selected_action": [session.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Aisha Khan" in response.content.decode()


def test_coordinators_answer_requests_in_the_admin(client, coordinator):
    made = AdaptedSessionRequestFactory()
    response = client.post(
        f"/admin/training/adaptedsessionrequest/{made.pk}/change/",
        {"answer_notes": "Called back; booked for 12 May."},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == AdaptedSessionRequest.State.ANSWERED


def test_an_anonymised_request_opens_read_only(client, coordinator):
    made = AdaptedSessionRequestFactory(
        contact_name="",
        email="",
        needs="",
        state=AdaptedSessionRequest.State.ANSWERED,
        anonymised_at=timezone.now(),
    )
    url = f"/admin/training/adaptedsessionrequest/{made.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Leeds City Council" in page.text
    assert 'name="answer_notes"' not in page.text
    assert client.post(url, {"answer_notes": "Again."}).status_code == 403


def test_capacity_cannot_drop_below_the_seats_taken(client, coordinator):
    session = SessionFactory(capacity=3)
    BookingFactory.create_batch(2, session=session)
    data = {
        "course": session.course_id,
        "slug": session.slug,
        "starts_at_0": timezone.localtime(session.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(session.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(session.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": timezone.localtime(session.ends_at).strftime("%H:%M:%S"),
        "booking_deadline_0": timezone.localtime(session.booking_deadline).strftime("%Y-%m-%d"),
        "booking_deadline_1": "00:00:00",
        "format": "in_person",
        "venue": session.venue,
        "address": session.address,
        "region": session.region,
        "capacity": 1,
        "loaded_version": Session.objects.get(pk=session.pk).version,
    }
    response = client.post(f"/admin/training/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert "2 seats are already taken or offered" in response.text
    session.refresh_from_db()
    assert session.capacity == 3


def _change_form(session, **overrides) -> dict:
    local = {
        name: timezone.localtime(getattr(session, name))
        for name in ("starts_at", "ends_at", "booking_deadline")
    }
    data = {
        "course": session.course_id,
        "slug": session.slug,
        **{f"{name}_0": value.strftime("%Y-%m-%d") for name, value in local.items()},
        **{f"{name}_1": value.strftime("%H:%M:%S.%f") for name, value in local.items()},
        "format": session.format,
        "venue": session.venue,
        "address": session.address,
        "region": session.region,
        "online_link": session.online_link,
        "capacity": session.capacity,
        "loaded_version": Session.objects.get(pk=session.pk).version,
    }
    data.update(overrides)
    return data


def test_the_change_page_carries_the_session_as_it_was_loaded(client, coordinator):
    session = SessionFactory()
    page = client.get(f"/admin/training/session/{session.pk}/change/").text
    assert 'name="loaded_version" value="1"' in page


def test_a_stale_edit_does_not_overwrite_a_colleagues_change(client, coordinator):
    session = SessionFactory(venue="Friends House", capacity=10)
    mine = _change_form(session, capacity=12)  # drawn, then a colleague saves first
    colleague = _change_form(session, venue="Conway Hall")
    url = f"/admin/training/session/{session.pk}/change/"
    assert client.post(url, colleague).status_code == 302

    response = client.post(url, mine)
    assert response.status_code == 200
    assert "Someone else changed this session" in response.text
    session.refresh_from_db()
    assert (session.venue, session.capacity) == ("Conway Hall", 10)
