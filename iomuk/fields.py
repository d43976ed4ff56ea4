"""Model fields for personal data that must be encrypted at rest."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # Each configured secret is stretched to a Fernet key; the first encrypts, all decrypt.
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest())) for key in keys]
    )


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
