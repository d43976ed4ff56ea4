import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from iomuk import settings as project_settings
from iomuk.fields import EncryptedTextField, _fernet, derive_key, fernet
from iomuk.models import OutboxMessage  # noqa: F401 - ensures the app registry is ready


def test_a_value_is_stored_encrypted_and_read_back():
    field = EncryptedTextField()
    stored = field.get_prep_value("has a heart condition")
    assert "heart" not in stored
    assert field.from_db_value(stored, None, connection) == "has a heart condition"


def test_a_new_key_still_reads_what_the_old_key_wrote(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["old-key"]
    stored = EncryptedTextField().get_prep_value("safe to call after 6pm")
    settings.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    assert EncryptedTextField().from_db_value(stored, None, connection) == "safe to call after 6pm"
    rotated = fernet().rotate(stored.encode())
    settings.FIELD_ENCRYPTION_KEYS = ["new-key"]
    assert fernet().decrypt(rotated).decode() == "safe to call after 6pm"


def test_a_wrong_key_is_refused_plainly(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["key-a"]
    stored = EncryptedTextField().get_prep_value("x")
    settings.FIELD_ENCRYPTION_KEYS = ["key-b"]
    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEY"):
        EncryptedTextField().from_db_value(stored, None, connection)
    _fernet.cache_clear()


def test_a_real_fernet_key_is_used_as_it_is(settings):
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key]
    stored = EncryptedTextField().get_prep_value("lives at the shelter")
    assert Fernet(key).decrypt(stored.encode()) == b"lives at the shelter"


def test_a_passphrase_is_not_stretched_with_one_hash(settings):
    # One SHA-256 lets a stolen database be tried against a billion passphrases a second.
    settings.FIELD_ENCRYPTION_KEYS = ["correct horse battery staple"]
    stored = EncryptedTextField().get_prep_value("x").encode()
    one_hash = base64.urlsafe_b64encode(hashlib.sha256(b"correct horse battery staple").digest())
    with pytest.raises(InvalidToken):
        Fernet(one_hash).decrypt(stored)
    assert Fernet(derive_key("correct horse battery staple")).decrypt(stored) == b"x"


def test_a_developers_database_stays_readable_with_the_dev_key(settings):
    # The dev key was a passphrase stretched with one SHA-256; it is now that very key.
    old = base64.urlsafe_b64encode(
        hashlib.sha256(b"dev-only-field-key-never-used-with-debug-off").digest()
    )
    stored = Fernet(old).encrypt(b"written last week").decode()
    settings.FIELD_ENCRYPTION_KEYS = [project_settings._DEV_FIELD_KEY]
    assert EncryptedTextField().from_db_value(stored, None, connection) == "written last week"
