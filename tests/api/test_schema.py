"""Every operation of the API, tried with cases generated from its own OpenAPI schema.

Schemathesis loads the schema from the running app (through WSGI, no server) and sends each
operation property-based cases, hostile ones included, then follows the schema's links from
answer to answer (the stateful phase), revalidating answers with the ETag they came with. Every
answer must pass all of Schemathesis' checks (`--checks all`: no 5xx, status, content type,
headers and body by the schema, valid data accepted and invalid refused, methods, ...) and hold
none of the private data below.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

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


load_all_checks()
ALL_CHECKS = CHECKS.get_all()
# The WSGI transport hands back the body as the app sent it, and does not undo gzip as an HTTP
# client would: ask for it plain (tests/api/test_compression.py tries compression).
PLAIN = {"Accept-Encoding": "identity"}


def _nothing_private(response, private_data: list[str], where: str) -> None:
    assert response.status_code < 500
    for secret in private_data:
        assert secret not in response.text, f"{secret!r} in {where}"


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same cases every run, as below: a failure is repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_by_its_schema_and_shows_nothing_private(case, private_data):
    response = case.call(headers=PLAIN)
    case.validate_response(response, checks=ALL_CHECKS, headers=PLAIN)
    _nothing_private(response, private_data, f"{case.method} {case.formatted_path}")


def test_following_the_links_and_revalidating_answers_finds_nothing(private_data):
    answered, etags = [], set()

    class Roster(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": PLAIN}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response, checks=ALL_CHECKS, headers=PLAIN, transport_kwargs=kwargs
            )
            _nothing_private(response, private_data, f"{case.method} {case.formatted_path}")
            sent = (case.headers or {}).get("If-None-Match")
            answered.append((case.operation.label, sent, sent in etags, response.status_code))
            headers = {name.lower(): values for name, values in response.headers.items()}
            etags.update(headers.get("etag", []))

    Roster.run(
        settings=settings(
            max_examples=60,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,  # the same scenarios every run: a failure is repeatable
            suppress_health_check=list(HealthCheck),
        )
    )
    # The links were followed: an answer revalidated with a real ETag, one the API sent, is
    # a 304 (not a made-up value such as `*`, which the generated cases send too).
    revalidated = [status for _, _, real, status in answered if real]
    assert revalidated, answered[:20]
    assert 304 in revalidated, answered[:20]
