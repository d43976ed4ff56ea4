"""Model fields for personal data that must be encrypted at rest."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

# scrypt's cost for a passphrase: about 0.1 s and 32 MiB once per process, and as much for
# every guess of someone who holds a copy of the database. The salt is fixed because the key
# must come out the same on every server; the cost, not the salt, is what slows guessing.
_SCRYPT_SALT = b"iomuk-field-encryption-v1"
_SCRYPT_COST = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}


def is_fernet_key(key: str) -> bool:
    try:
        return len(key) == 44 and len(base64.urlsafe_b64decode(key)) == 32
    except ValueError:
        return False


def derive_key(key: str) -> bytes:
    """The Fernet key for one configured key: a Fernet key as it is, a passphrase by scrypt."""
    if is_fernet_key(key):
        return key.encode()
    raw = hashlib.scrypt(key.encode(), salt=_SCRYPT_SALT, dklen=32, **_SCRYPT_COST)
    return base64.urlsafe_b64encode(raw)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # The first key encrypts, all decrypt.
    return MultiFernet([Fernet(derive_key(key)) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """Text encrypted in the database with FIELD_ENCRYPTION_KEY; not searchable by design."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("Cannot decrypt a field: is FIELD_ENCRYPTION_KEY right?") from exc


class EncryptedBinaryField(models.BinaryField):
    """Bytes encrypted in the database with FIELD_ENCRYPTION_KEY (attachments that name people)."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and not prepared:
            value = fernet().encrypt(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            return fernet().decrypt(bytes(value))
        except InvalidToken as exc:
            raise ValueError("Cannot decrypt a field: is FIELD_ENCRYPTION_KEY right?") from exc


def rotate_encryption(queryset, field_names: list[str]) -> int:
    """Re-encrypt `field_names` of every row with the first key (after adding a new key first)."""
    count = 0
    for obj in queryset.iterator():
        obj.save(update_fields=field_names)
        count += 1
    return count
