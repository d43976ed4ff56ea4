import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import translation

from iomuk import roles
from iomuk.models import User


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(private_cache):
    """The per-address counters live in the cache; each test gets its own, empty one."""


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a page an earlier test asked for in Romanian
    leaves Romanian active in this thread, and the services' messages follow it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


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
