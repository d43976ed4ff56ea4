"""A partner's page on another site frames the verify widget; a job seeker checks a number."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.iris.factories import RecruiterFactory


@pytest.fixture
def partner_site():
    """A partner's own web server on another port, so another origin: it serves one page."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 204)  # 204: the browser's favicon.ico
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(path: str, html: str) -> str:
        pages[path] = html
        return f"http://127.0.0.1:{server.server_port}{path}"

    yield publish
    server.shutdown()
    server.server_close()


def _partner_page(widget_url: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Jobs abroad</title></head><body><main>'
        "<h1>Jobs abroad</h1><p>Check a recruiter before you pay anything.</p>"
        f'<iframe title="Check an IRIS accreditation" src="{widget_url}" width="600" '
        'height="420"></iframe></main></body></html>'
    )


def test_a_page_on_another_origin_embeds_the_widget_and_verifies_a_number(
    page, live_server, partner_site, assert_accessible
):
    recruiter = RecruiterFactory(
        legal_name="Agencja Pracy Wrocław", accreditation_number="IRIS-A-000101"
    )
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    body = _partner_page(f"{live_server.url}/iris/widget/verify/")
    page.goto(partner_site("/jobs", body))
    widget = page.frame_locator("iframe")
    widget.get_by_label("Accreditation number").fill("iris a 101")
    widget.get_by_role("button", name="Check").click()
    widget.get_by_text("IRIS-A-000101 is valid today.").wait_for()
    link = widget.get_by_role("link", name="See the recruiter's page (opens in a new tab)")
    # The page opens in the widget's language.
    assert link.get_attribute("href") == f"/iris/recruiters/{recruiter.slug}/?lang=en-gb"
    assert link.get_attribute("target") == "_blank"
    assert errors == [], f"console errors (a frame refused, or a CSP violation): {errors}"
    # The widget itself, as the frame shows it: accessible, with its answer.
    page.goto(f"{live_server.url}/iris/widget/verify/?number=IRIS-A-000101")
    assert_accessible(page)


def test_the_widget_speaks_the_language_the_partner_asks_for(
    page, live_server, partner_site, assert_accessible
):
    RecruiterFactory(legal_name="Munkaerő Kft.", accreditation_number="IRIS-A-000102")
    body = _partner_page(f"{live_server.url}/iris/widget/verify/?lang=hu")
    page.goto(partner_site("/allasok", body))
    widget = page.frame_locator("iframe")
    widget.locator("#id_number").fill("IRIS-A-000102")
    widget.locator("button[type=submit]").click()
    widget.locator(".result").wait_for()
    assert widget.locator("html").get_attribute("lang") == "hu"
    assert "VALID today" not in widget.locator(".result").inner_text()
    page.goto(f"{live_server.url}/iris/widget/verify/?lang=hu&number=IRIS-A-000102")
    assert_accessible(page)


def test_the_portals_own_pages_refuse_to_be_framed_elsewhere(page, live_server, partner_site):
    body = _partner_page(f"{live_server.url}/iris/verify/")
    page.goto(partner_site("/jobs", body))
    page.wait_for_timeout(1000)
    framed = page.frames[-1]
    assert framed.url.startswith("chrome-error://"), "the verify page was framed on another site"
