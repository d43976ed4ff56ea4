import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(private_cache):
    """The per-address counters live in the cache; each test gets its own, empty one."""


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def officer(db):
    user = User.objects.create_user("officer", password="officer-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.IRIS_OFFICERS))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
