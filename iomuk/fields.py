"""Model fields for personal data that must be encrypted at rest."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

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


class EncryptedCharField(EncryptedTextField):
    """A short encrypted text (a nationality): a one-line input, max_length checked in the form."""

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


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


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model (django-simple-history's tables too) with its encrypted fields' names."""
    found = []
    for model in apps.get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField | EncryptedBinaryField)
        ]
        if names:
            found.append((model, names))
    return found


def reencrypt_all() -> dict[str, int]:
    """Write every encrypted value again under the first key, so the others can be removed.

    Reads each value with any configured key and writes it back with an UPDATE: no save(), so
    no new history row, no signal and no changed timestamp. Returns rows per model.
    """
    counts = {}
    for model, names in encrypted_fields():
        manager = model._base_manager
        with transaction.atomic():
            rows = manager.select_for_update().values_list("pk", *names)
            for pk, *values in rows.iterator(chunk_size=500):
                manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
        counts[model._meta.label] = manager.count()
    counts.update(_reencrypt_files())
    return counts


def _reencrypt_files() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            if not hasattr(field.storage, "reencrypt"):  # iomuk.storage's encrypted storage
                continue
            names = model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            )
            done = 0
            for name in names.iterator():
                if field.storage.exists(name):
                    field.storage.reencrypt(name)
                    done += 1
            counts[f"{model._meta.label}.{field.name} files"] = done
    return counts
