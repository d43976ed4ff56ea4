import pytest

from training.demo import seed_training
from training.models import Booking, Certificate, Course, Session
from training.selectors import session_status

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_upcoming_past_and_full_sessions_and_runs_twice():
    seed_training()
    counts = (Course.objects.count(), Session.objects.count(), Booking.objects.count())
    seed_training()
    assert (Course.objects.count(), Session.objects.count(), Booking.objects.count()) == counts
    statuses = [session_status(session=s) for s in Session.objects.all()]
    assert statuses.count("full") == 1
    assert statuses.count("past") == 5
    assert statuses.count("open") >= 8
    assert Booking.objects.filter(state=Booking.State.WAITING).exists()
    assert Certificate.objects.count() > 0
    assert not Certificate.objects.exclude(booking__attended=True).exists()
