from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from training.models import Audience, Booking, Session

from .factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_it_lists_bookable_sessions_with_seats_left(client):
    session = SessionFactory(capacity=5)
    BookingFactory.create_batch(2, session=session)
    BookingFactory(session=session, state=Booking.State.CANCELLED)
    BookingFactory(session=session, state=Booking.State.WAITING)
    untouched = SessionFactory(capacity=4)
    page = client.get("/training/")
    assert page.status_code == 200
    assert session.course.title in page.text
    assert "3 seats left" in page.text
    assert "4 seats left" in page.text  # a session no one has booked yet
    assert untouched.slug in page.text


def test_a_full_session_is_shown_with_its_waiting_list(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    assert "Full: join the waiting list" in client.get("/training/").text


def test_past_cancelled_and_closed_sessions_are_not_offered(client):
    now = timezone.now()
    SessionFactory(
        course__title="Past one",
        starts_at=now - timedelta(days=1),
        booking_deadline=now - timedelta(days=2),
    )
    SessionFactory(course__title="Cancelled one", state=Session.State.CANCELLED)
    SessionFactory(course__title="Closed one", booking_deadline=now - timedelta(minutes=1))
    SessionFactory(course__title="Open one")
    page = client.get("/training/").text
    assert "Open one" in page
    for hidden in ("Past one", "Cancelled one", "Closed one"):
        assert hidden not in page


def test_it_filters_by_format_region_audience_and_month(client):
    london = ZoneInfo("Europe/London")
    police = CourseFactory(title="For police")
    police.audiences.set(Audience.objects.filter(code="police"))
    start = timezone.localtime() + timedelta(days=40)
    SessionFactory(course=police, region="north_west", starts_at=start)
    SessionFactory(course__title="Online one", format="online", region="", venue="")
    SessionFactory(course__title="In Wales", region="wales")

    def titles(query):
        return client.get("/training/", query).text

    assert "Online one" in titles({"format": "online"})
    assert "In Wales" not in titles({"format": "online"})
    assert "In Wales" in titles({"region": "wales"})
    assert "For police" not in titles({"region": "wales"})
    assert "For police" in titles({"audience": "police"})
    assert "In Wales" not in titles({"audience": "police"})
    month = datetime(start.year, start.month, 1, tzinfo=london)
    page = titles({"month": f"{month:%Y-%m}"})
    assert "For police" in page
    assert "Online one" not in page or start.month == (timezone.now() + timedelta(days=20)).month


def test_nonsense_filters_get_a_page_not_an_error(client):
    SessionFactory(course__title="Still listed")
    page = client.get("/training/", {"month": "2026-99", "region": "<b>", "page": "x"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.text


def test_it_paginates(client):
    for n in range(14):
        SessionFactory(course__title=f"Course number {n:02d}")
    first = client.get("/training/").text
    assert "Page 1 of 2" in first
    second = client.get("/training/", {"page": 2}).text
    assert "Course number 13" in second
    assert "Course number 13" not in first


def test_the_list_costs_few_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        session = SessionFactory()
        BookingFactory.create_batch(2, session=session)
    with django_assert_max_num_queries(6):
        client.get("/training/")


def test_the_session_page_says_when_booking_is_open(client):
    session = SessionFactory(capacity=3)
    page = client.get(f"/training/{session.slug}/").text
    assert "Open for booking." in page
    assert "3 seats left." in page
    assert "How it differs from smuggling" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": "cancelled"}, "This session has been cancelled."),
        ({"booking_deadline": timezone.now() - timedelta(hours=1)}, "Booking has closed"),
    ],
)
def test_the_session_page_says_when_it_is_not_open(client, change, message):
    session = SessionFactory()
    Session.objects.filter(pk=session.pk).update(**change)
    page = client.get(f"/training/{session.slug}/").text
    assert message in page
    assert "Book my seat" not in page


def test_a_very_long_list_is_cut_and_asks_for_a_narrower_choice(client, settings):
    settings.TRAINING_MOST_LISTED = 3
    start = timezone.now() + timedelta(days=10)
    for day, title in enumerate(("First", "Second", "Third", "Fourth")):
        SessionFactory(course__title=title, starts_at=start + timedelta(days=day))
    SessionFactory(course__title="Online", format="online", region="", venue="")

    page = client.get("/training/").text
    assert "3 or more sessions open for booking" in page
    assert "Choose a format, a region, an audience or a month to narrow the list." in page
    assert "First" in page and "Second" in page
    assert "Fourth" not in page  # only the first three, in date order, are listed

    narrowed = client.get("/training/", {"format": "online"}).text
    assert "1 session open for booking" in narrowed
    assert "or more" not in narrowed and "Online" in narrowed


def test_a_list_at_the_limit_or_under_is_counted_exactly(client, settings):
    settings.TRAINING_MOST_LISTED = 3
    SessionFactory.create_batch(2)
    page = client.get("/training/").text
    assert "2 sessions open for booking" in page
    assert "or more" not in page
