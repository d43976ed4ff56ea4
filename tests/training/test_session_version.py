"""Two coordinators editing one session: the session's version column stops a lost update."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from iomuk import roles
from iomuk.models import User
from tests.iomuk.test_model_forms_round_trip import filled_session, form_as_sent
from training import services
from training.models import Session

pytestmark = pytest.mark.django_db


def _coordinator(username: str) -> Client:
    user = User.objects.create_user(username, password="x" * 14, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    client = Client()
    client.force_login(user)
    return client


def _opened(client: Client, session: Session) -> tuple[str, dict]:
    url = f"/admin/training/session/{session.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return url, form_as_sent(page.content.decode(), form_id="session_form")


def test_the_second_of_two_saves_is_refused_and_nothing_is_lost():
    session = filled_session()
    Session.objects.filter(pk=session.pk).update(venue="Friends House", capacity=10)
    first, second = _coordinator("amina"), _coordinator("brendan")
    url, first_form = _opened(first, session)
    _, second_form = _opened(second, session)

    first_form["venue"] = ["Conway Hall"]
    assert first.post(url, first_form).status_code == 302
    second_form["capacity"] = ["12"]
    response = second.post(url, second_form)

    assert response.status_code == 200
    assert "Someone else changed this session" in response.content.decode()
    session.refresh_from_db()
    assert (session.venue, session.capacity, session.version) == ("Conway Hall", 10, 2)


def test_every_save_through_the_service_moves_the_version_on():
    session = filled_session()
    assert session.version == 1
    session.venue = "Conway Hall"
    services.session_save(session=session, changed=["venue"], expected_version=1)
    session.refresh_from_db()
    assert session.version == 2
    with pytest.raises(services.SessionConflict):
        services.session_save(session=session, changed=["venue"], expected_version=1)


def test_saving_the_page_unchanged_changes_nothing():
    session = filled_session()
    client = _coordinator("amina")
    url, form = _opened(client, session)
    assert client.post(url, form).status_code == 302
    session.refresh_from_db()
    assert session.version == 1
    # The same page, sent again, is still current: nothing was saved over it.
    assert client.post(url, form).status_code == 302
