import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction
from django.test import RequestFactory

from iomuk.audit import access_history, access_record
from iomuk.models import AccessLog, User


@pytest.fixture
def request_from_caseworker(db):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    request.user = User.objects.create_user("cw", password="a-long-password-1")
    return request


def test_it_records_who_what_and_from_where(request_from_caseworker):
    access_record(
        request=request_from_caseworker,
        action="view",
        object_type="returns.case",
        object_ref="RR-2026-0001",
    )
    entry = access_history(object_type="returns.case", object_ref="RR-2026-0001").get()
    assert (entry.username, entry.action, entry.ip) == ("cw", "view", "203.0.113.7")


def test_an_entry_cannot_be_changed_or_deleted(request_from_caseworker):
    entry = access_record(
        request=request_from_caseworker, action="view", object_type="x", object_ref="R-1"
    )
    entry.action = "nothing"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_the_database_refuses_changes(request_from_caseworker):
    access_record(request=request_from_caseworker, action="view", object_type="x", object_ref="R")
    with pytest.raises((InternalError, IntegrityError, ProgrammingError)), transaction.atomic():
        AccessLog.objects.update(action="edited")
    with pytest.raises((InternalError, IntegrityError, ProgrammingError)), transaction.atomic():
        AccessLog.objects.all().delete()
