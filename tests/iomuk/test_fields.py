import pytest
from django.db import connection

from iomuk.fields import EncryptedTextField, _fernet, fernet
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
