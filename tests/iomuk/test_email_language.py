"""An HTML email names the language it is written in, so a screen reader reads it in that
language's voice."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from iris.models import RecruiterWatch
from iris.recruiters import services
from tests.iris.factories import RecruiterFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "bg", "cs", "hu", "ro"])
def test_an_html_email_says_which_language_it_is_in(language, django_capture_on_commit_callbacks):
    recruiter = RecruiterFactory()
    RecruiterWatch.objects.create(
        recruiter=recruiter,
        email="anna@example.org",
        language=language,
        confirmed_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_suspend(recruiter=recruiter, reason="Under review.")
    (alert,) = mail.outbox
    html = alert.alternatives[0][0]
    assert re.match(r'<!doctype html>\s*<html lang="' + language + '">', html)
    assert f"<title>{alert.subject}</title>" in html
