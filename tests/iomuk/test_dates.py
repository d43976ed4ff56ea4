"""Dates read as each language writes them: on the pages, in the emails, on the certificate."""

import datetime

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from iris.models import RecruiterWatch
from iris.recruiters import services
from tests.iomuk.test_translations import get
from tests.iris.factories import RecruiterFactory

DAY = datetime.date(2026, 12, 15)
# How a reader of each language writes 15 December 2026, and with its weekday (a Tuesday).
LONG = {
    "en-gb": ("15 December 2026", "Tuesday 15 December 2026"),
    "cs": ("15. prosince 2026", "úterý 15. prosince 2026"),
    "hu": ("2026. december 15.", "2026. december 15. (kedd)"),
    "bg": ("15 декември 2026 г.", "вторник, 15 декември 2026 г."),
    "ro": ("15 decembrie 2026", "marți, 15 decembrie 2026"),
}


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize("language", LONG)
def test_a_date_reads_as_the_readers_language_writes_it(language):
    plain, with_weekday = LONG[language]
    assert render("{{ d|long_date }}", language, d=DAY) == plain
    assert render('{{ d|long_date:"weekday" }}', language, d=DAY) == with_weekday


@pytest.mark.parametrize("language", LONG)
def test_a_time_is_given_in_uk_time_after_the_date(language):
    moment = datetime.datetime(2026, 12, 15, 9, 30, tzinfo=datetime.UTC)  # 09:30 in London too
    summer = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)  # 10:30 in London
    assert "09:30" in render("{{ t|long_datetime }}", language, t=moment)
    assert LONG[language][0].rstrip(".") in render("{{ t|long_datetime }}", language, t=moment)
    assert "10:30" in render("{{ t|long_datetime }}", language, t=summer)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LONG)
def test_a_recruiters_page_gives_its_dates_in_the_readers_language(client, language):
    recruiter = RecruiterFactory(valid_until=DAY)
    html = get(client, f"/iris/recruiters/{recruiter.slug}/", language).content.decode()
    assert LONG[language][0] in html


@pytest.mark.django_db
def test_the_renewed_email_gives_the_date_as_hungarian_writes_it(
    django_capture_on_commit_callbacks,
):
    recruiter = RecruiterFactory(legal_name="Munkaerő Partner Kft.")
    RecruiterWatch.objects.create(
        recruiter=recruiter, email="anna@example.org", language="hu", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_renew(recruiter=recruiter, note="Audit passed.")
    recruiter.refresh_from_db()
    with translation.override("hu"):
        until = render("{{ d|long_date }}", "hu", d=recruiter.valid_until)
    body = mail.outbox[-1].body
    assert f"Érvényes eddig: {until}" in body
    assert until.startswith(f"{recruiter.valid_until.year}. ")


@pytest.mark.django_db
def test_the_apis_answer_gives_the_date_as_hungarian_writes_it(client):
    recruiter = RecruiterFactory(legal_name="Munkaerő Partner Kft.", valid_until=DAY)
    response = client.get(
        f"/api/v1/verify/{recruiter.accreditation_number}/", HTTP_ACCEPT_LANGUAGE="hu"
    )
    message = response.json()["message"]
    assert "Jogosultja: Munkaerő Partner Kft. Érvényes eddig: 2026. december 15." in message
    assert ".." not in message
