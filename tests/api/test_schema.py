"""Every operation of the API, tried with cases generated from its own OpenAPI schema.

Schemathesis loads the schema from the running app (through WSGI, no server) and sends each
operation property-based cases, hostile ones included. Every answer must be no 5xx, conform to
the schema (status, content type, headers, body) and hold none of the private data below.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from iris.models import Complaint
from tests.iris.factories import ApplicationFactory, ComplaintFactory


@pytest.fixture
def private_data(world) -> list[str]:
    recruiter = world["accredited"]
    complaint = ComplaintFactory(
        recruiter=recruiter,
        description="Kept the passport of a worker in Brno.",
        name="Jana Novakova",
        email="jana@example.cz",
        stage=Complaint.Stage.RECEIVED,
    )
    application = ApplicationFactory(organisation_name="Unlisted Applicant Org")
    return [
        recruiter.contact_email,
        recruiter.contact_phone,
        complaint.reference,
        complaint.name,
        complaint.email,
        "passport",
        world["applicant"].legal_name,
        application.organisation_name,
        application.contact_email,
    ]


@pytest.fixture(autouse=True)
def _one_connection_for_the_test(db):
    """Called through WSGI, the app closes the database connection after each request, and
    with it the test's transaction; Django's test client holds it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # The throttle is tested on its own (test_throttle.py); here it would answer 429s.
    settings.API_CLIENT_LIMIT = (100_000, 60)


# Read from the app as a partner would read it (its generation touches no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_by_its_schema_and_shows_nothing_private(case, private_data):
    response = case.call()
    case.validate_response(response)
    assert response.status_code < 500
    text = response.text
    for secret in private_data:
        assert secret not in text, f"{secret!r} in {case.method} {case.formatted_path}"
