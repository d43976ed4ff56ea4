"""IRIS's own error messages come out in the language of whoever reads them."""

import pytest
from django.utils import translation

from iris.complaints.services import ComplaintError, ComplaintFinished, complaint_addition_add
from iris.models import Complaint
from iris.recruiters.services import RecruiterError, recruiter_withdraw

from .factories import ComplaintFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def test_adding_to_a_finished_report_is_refused_in_romanian():
    complaint = ComplaintFactory(stage=Complaint.Stage.CLOSED)
    with translation.override("ro"), pytest.raises(ComplaintFinished) as refused:
        complaint_addition_add(complaint=complaint, body="Încă un lucru.")
    assert str(refused.value) == "Această sesizare este încheiată: nu i se mai poate adăuga nimic."


def test_adding_nothing_is_refused_in_the_readers_language():
    complaint = ComplaintFactory()
    with translation.override("hu"), pytest.raises(ComplaintError) as refused:
        complaint_addition_add(complaint=complaint, body="   ")
    assert str(refused.value) == "Írja le, mit szeretne hozzáadni."


def test_an_officer_reads_a_refusal_in_english():
    recruiter = RecruiterFactory(applicant=True)
    with pytest.raises(RecruiterError) as refused:
        recruiter_withdraw(recruiter=recruiter, reason="Audit failed.")
    assert str(refused.value) == "An applicant has no accreditation to withdraw."
