import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iris.complaints import services as complaints
from iris.complaints.services import complaint_message_add, complaint_note_add

from ..factories import ComplaintFactory

URL = reverse("iris:complaint-track")
CODE = "ABCD-EFGH-JKMN"


@pytest.fixture
def complaint(db):
    return ComplaintFactory(reference="IRIS-C-4H8M2P", stage="under_review")


def track(client, reference, code):
    return client.post(URL, {"reference": reference, "code": code})


def test_the_reference_and_code_show_the_stage_and_shared_messages_only(client, complaint):
    complaint_message_add(
        complaint=complaint,
        body="We have written to the recruiter.",
        shared_with_complainant=True,
        by=None,
    )
    complaint_message_add(
        complaint=complaint,
        body="Officer draft: not for the complainant.",
        shared_with_complainant=False,
        by=None,
    )
    complaint_note_add(
        complaint=complaint, body="Internal: the recruiter's director is known to us.", by=None
    )
    page = track(client, "IRIS-C-4H8M2P", CODE).content.decode()
    assert "Under review" in page
    assert "We have written to the recruiter." in page
    assert "Officer draft" not in page
    assert "Internal" not in page
    assert "They kept my passport." not in page  # the description is not repeated
    assert "maria@example.org" not in page


def test_it_forgives_case_spaces_and_dashes(client, complaint):
    page = track(client, " iris-c-4h8m2p ", "abcdefghjkmn").content.decode()
    assert "Under review" in page


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(client, complaint):
    wrong_code = track(client, "IRIS-C-4H8M2P", "AAAA-BBBB-CCCC")
    unknown = track(client, "IRIS-C-ZZZZZZ", CODE)
    assert wrong_code.status_code == unknown.status_code == 200
    for response in (wrong_code, unknown):
        page = response.content.decode()
        assert "We could not find a report with that reference and tracking code." in page
        assert "Under review" not in page
    assert _main(wrong_code, "IRIS-C-4H8M2P", "AAAA-BBBB-CCCC") == _main(
        unknown, "IRIS-C-ZZZZZZ", CODE
    )


def _main(response, *typed: str) -> str:
    """The page's main content with what was typed and the CSRF token left out."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    for text in typed:
        main = main.replace(text, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_the_reference_alone_reveals_nothing(client, complaint):
    page = track(client, "IRIS-C-4H8M2P", "").content.decode()
    assert "Under review" not in page
    assert "There is a problem" in page


def test_tracking_is_rate_limited_per_address(client, complaint, settings):
    settings.IRIS_TRACK_LIMIT = (3, 600)
    for _ in range(3):
        track(client, "IRIS-C-4H8M2P", "WRONG")
    response = track(client, "IRIS-C-4H8M2P", CODE)
    assert response.status_code == 429
    assert "Under review" not in response.content.decode()


def test_script_in_a_shared_message_is_shown_as_text(client, complaint):
    complaint_message_add(
        complaint=complaint, body="<script>alert(1)</script>", shared_with_complainant=True, by=None
    )
    page = track(client, "IRIS-C-4H8M2P", CODE).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _work(client, reference, code):
    """The queries and the hashing one tracking request costs."""
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(
            complaints, "tracking_code_hash", wraps=complaints.tracking_code_hash
        ) as hashed,
        mock.patch.object(
            complaints.hmac, "compare_digest", wraps=complaints.hmac.compare_digest
        ) as compared,
    ):
        track(client, reference, code)
    return len(queries), hashed.call_count, compared.call_count


def test_an_unknown_reference_costs_the_same_work_as_a_wrong_code(client, complaint):
    known = _work(client, "IRIS-C-4H8M2P", "WRON-GWRO-NGWR")
    unknown = _work(client, "IRIS-C-ZZZZZZ", "WRON-GWRO-NGWR")
    assert known == unknown
    assert known[1] == 1 and known[2] == 1
