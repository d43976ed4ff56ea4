"""A name that ends in a full stop ("Košice s.r.o.") ends the sentence too: never "s.r.o..".

Every public page about the recruiter, and each email about a change of its standing, in each
of the five languages.
"""

import functools
import re

import pytest
from django.core import mail
from django.utils import timezone

from iris.models import AccreditationState, RecruiterWatch
from iris.recruiters import services
from tests.iomuk.test_public_html import LANGUAGES, public_pages
from tests.iomuk.test_translations import visible
from tests.iris.factories import RecruiterFactory

# A full stop straight after another, not an ellipsis.
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


@pytest.fixture(params=[AccreditationState.ACCREDITED, AccreditationState.SUSPENDED])
def recruiter(db, request):
    return RecruiterFactory(legal_name="Košice Práca s.r.o.", state=request.param)


def doubled(text: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 5] for m in DOUBLE_STOP.finditer(text)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_doubles_the_full_stop_after_a_name(client, recruiter, language):
    found = {}
    for name, html in public_pages(client, recruiter, language):
        text = " ".join(visible(html).texts)
        if doubled(text):
            found[name] = doubled(text)
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "change",
    [
        functools.partial(services.recruiter_suspend, reason="Under review."),
        functools.partial(services.recruiter_withdraw, reason="Audit failed."),
        functools.partial(services.recruiter_renew, note="Audit passed."),
    ],
    ids=["suspended", "withdrawn", "renewed"],
)
def test_no_email_about_a_recruiter_doubles_the_full_stop_after_its_name(
    db, language, change, django_capture_on_commit_callbacks
):
    recruiter = RecruiterFactory(legal_name="Košice Práca s.r.o.")
    RecruiterWatch.objects.create(
        recruiter=recruiter,
        email="anna@example.org",
        language=language,
        confirmed_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        change(recruiter=recruiter)
    (alert,) = mail.outbox
    assert doubled(alert.subject + alert.body) == []
