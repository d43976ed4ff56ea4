import pytest
from django.core import mail

from training.models import AdaptedSessionRequest

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "organisation": "St Mary's Parish",
        "contact_name": "Revd Mary Lowe",
        "email": "mary@stmarys.example",
        "phone": "020 7946 0000",
        "sector": "faith",
        "people": "25",
        "preferred_dates": "Any Tuesday evening in March",
        "format": "in_person",
        "needs": "Volunteers at our food bank who meet many newly arrived people.",
    }
    data.update(overrides)
    return data


def test_an_organisation_asks_for_an_adapted_session(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/training/request/", form())
    made = AdaptedSessionRequest.objects.get()
    assert response.status_code == 200
    assert made.reference in response.text
    assert mail.outbox[0].to == ["mary@stmarys.example"]
    assert made.reference in mail.outbox[0].body
    assert "Mary" not in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"people": "0"}, "greater than or equal to 1"),
        ({"people": "lots"}, "Enter a whole number."),
        ({"needs": "x" * 5000}, "at most 3000 characters"),
        ({"organisation": ""}, "Enter the name of your organisation."),
        ({"format": "hologram"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, overrides, message):
    response = client.post("/training/request/", form(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert not AdaptedSessionRequest.objects.exists()


def test_it_throttles_one_address(client):
    for _ in range(5):
        client.post("/training/request/", form())
    assert client.post("/training/request/", form()).status_code == 429
    assert AdaptedSessionRequest.objects.count() == 5
