import pytest

from iomuk import roles
from iomuk.models import User
from returns.models import Stage
from tests.pictures import png_bytes

from .factories import ReturnCaseFactory, ReturnPlanItemFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = png_bytes()  # a real picture: photos are drawn again without their metadata
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never the real private store."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def caseworker(db) -> User:
    return UserFactory(username="cw", role=roles.CASEWORKERS)


@pytest.fixture
def other_caseworker(db) -> User:
    return UserFactory(username="cw2", role=roles.CASEWORKERS)


@pytest.fixture
def casemanager(db) -> User:
    return UserFactory(username="cm", role=roles.CASE_MANAGERS)


@pytest.fixture
def referrer(db) -> User:
    return UserFactory(username="ref", is_staff=False, role=roles.PARTNER_REFERRERS)


@pytest.fixture
def coordinator(db) -> User:
    return UserFactory(username="coord", role=roles.TRAINING_COORDINATORS)


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def cases(caseworker, other_caseworker, referrer):
    """Three cases: one of the caseworker's, one in the intake queue, one of a colleague's."""
    made = {
        "mine": ReturnCaseFactory(
            full_name="Ana Mine", assigned_caseworker=caseworker, referred_by=referrer
        ),
        "queue": ReturnCaseFactory(full_name="Bela Queue", referred_by=referrer),
        "theirs": ReturnCaseFactory(
            full_name="Cora Theirs",
            assigned_caseworker=other_caseworker,
            referred_by=referrer,
            stage=Stage.ELIGIBILITY_CHECKED,
        ),
    }
    for case in made.values():
        ReturnPlanItemFactory(case=case, service="flight")
    return made
