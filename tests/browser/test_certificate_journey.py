"""Journey 4: a coordinator takes the roll; the attendee's certificate is emailed and checks out."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from iomuk import roles
from iomuk.models import OutboxMessage, User
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from training.models import Certificate

from .conftest import email_to, link_in

PASSWORD = "a-long-test-password-for-staff"


@pytest.fixture
def session_this_morning(db):
    starts = timezone.now() - timedelta(hours=4)
    session = SessionFactory(
        course=CourseFactory(title="Modern slavery for NHS staff"),
        slug="nhs-this-morning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
    )
    BookingFactory(session=session, name="Priya Shah", email="priya.shah@nhs.example")
    BookingFactory(session=session, name="Tom Reid", email="tom.reid@nhs.example")
    return session


@pytest.fixture
def coordinator(db):
    user = User.objects.create_user(
        "coordinator", email="coordinator@iom-uk.example", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user


def test_a_coordinator_marks_attendance_and_the_certificate_is_emailed_and_checks_out(
    page, new_page, session_this_morning, coordinator, sign_in, assert_accessible, screenshot
):
    session = session_this_morning
    sign_in(page, "coordinator", PASSWORD, next_path=f"/training/{session.slug}/attendance/")
    page.get_by_role("heading", name="Roll call: Modern slavery for NHS staff").wait_for()
    assert_accessible(page)

    page.get_by_role("group", name="Attendance of Priya Shah").get_by_label("Present").check()
    page.get_by_role("group", name="Attendance of Tom Reid").get_by_label("Absent").check()
    page.get_by_role("button", name="Save and send certificates to those present").click()
    page.get_by_text("Attendance saved (2 changed). Certificates sent: 1.").wait_for()
    certificate = Certificate.objects.get()
    assert certificate.booking.name == "Priya Shah"
    priya_row = page.get_by_role("row", name="Priya Shah")
    assert certificate.code in priya_row.inner_text()
    assert "—" in page.get_by_role("row", name="Tom Reid").inner_text()
    assert_accessible(page)

    # Priya's certificate arrives by email, with the PDF and a link anyone can check.
    email = email_to("priya.shah@nhs.example", "training-certificate")
    assert [a.filename for a in email.attachments.all()] == ["cpd-certificate.pdf"]
    assert "tom.reid@nhs.example" not in [m.to for m in OutboxMessage.objects.all()]
    link = link_in(email.body_text, "/training/certificates/")
    assert link.rstrip("/").endswith(certificate.code)

    # Her new employer opens the link.
    employer = new_page()
    employer.goto(link)
    employer.get_by_role("heading", name="This CPD certificate is genuine").wait_for()
    assert employer.get_by_text(
        f"Certificate {certificate.code} was issued by IOM UK."
    ).is_visible()
    facts = employer.locator("dl").inner_text()
    assert "Priya Shah" in facts and "Modern slavery for NHS staff" in facts
    assert timezone.localtime(session.starts_at).strftime("%-d %B %Y") in facts
    assert_accessible(employer)
    screenshot(employer, "journey-4-certificate-checked")
