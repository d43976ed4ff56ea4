from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from training.models import AdaptedSessionRequest, Booking, Course, Session


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Recognising human trafficking {n}")
    slug = factory.Sequence(lambda n: f"recognising-trafficking-{n}")
    summary = "What trafficking is, the signs to look for and what to do."
    cpd_hours = Decimal("3.0")
    topics = "What human trafficking is\nHow it differs from smuggling\nIndicators\nWhat to do"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"session-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    booking_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=1))
    format = Session.Format.IN_PERSON
    venue = "Friends House"
    address = "173 Euston Road, London NW1 2BJ"
    region = "london"
    capacity = 10


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    reference = factory.Sequence(lambda n: f"TR-F{n:05d}")
    token = factory.Sequence(lambda n: f"test-token-{n:040d}")
    name = factory.Sequence(lambda n: f"Attendee {n}")
    email = factory.Sequence(lambda n: f"attendee{n}@council.example")
    organisation = "Camden Council"
    sector = "social_work"
    job_title = "Social worker"
    state = Booking.State.CONFIRMED


class AdaptedSessionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdaptedSessionRequest

    reference = factory.Sequence(lambda n: f"AR-TEST{n:02d}")
    organisation = "Leeds City Council"
    contact_name = "Liam Walsh"
    email = "liam@leeds.example"
    sector = "local_authority"
    people = 12
    preferred_dates = "May"
    format = "online"
    needs = "Housing team."
