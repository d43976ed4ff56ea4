"""A partner's page on another site keeps a recruiter's answer and revalidates it with the
ETag or Last-Modified it was given, as the README shows."""

from datetime import timedelta

from django.utils import timezone

from iris.models import Recruiter
from tests.browser.test_verify_widget import partner_site  # noqa: F401 - a fixture
from tests.iris.factories import RecruiterFactory

SCRIPT = """
async (url) => {
  const first = await fetch(url);
  const etag = first.headers.get("ETag");
  const date = first.headers.get("Last-Modified");
  const byTag = await fetch(url, {headers: {"If-None-Match": etag}});
  const byDate = await fetch(url, {headers: {"If-Modified-Since": date}});
  return [first.status, etag !== null, date !== null, byTag.status, byDate.status];
}
"""


def test_a_page_on_another_site_revalidates_a_recruiter_with_fetch(
    page,
    live_server,
    partner_site,  # noqa: F811 - the fixture imported above
):
    RecruiterFactory(legal_name="Agencja Pracy Wrocław", accreditation_number="IRIS-A-000101")
    # Last changed an hour ago: a Last-Modified is sent once the second of a change is over.
    Recruiter.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    Recruiter.history.update(history_date=timezone.now() - timedelta(hours=1))
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(partner_site("/jobs", "<!DOCTYPE html><title>Jobs abroad</title><p>Jobs</p>"))

    url = f"{live_server.url}/api/v1/recruiters/IRIS-A-000101/"
    assert page.evaluate(SCRIPT, url) == [200, True, True, 304, 304]
    assert errors == [], f"console errors (a CORS refusal): {errors}"
