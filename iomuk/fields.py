"""Model fields for personal data that must be encrypted at rest."""

import base64
import hashlib
import hmac
import unicodedata
from datetime import date
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .keys import is_fernet_key

# scrypt's cost for a passphrase: about 0.1 s and 32 MiB once per process, and as much for
# every guess of someone who holds a copy of the database. The salt is fixed because the key
# must come out the same on every server; the cost, not the salt, is what slows guessing.
_SCRYPT_SALT = b"iomuk-field-encryption-v1"
_SCRYPT_COST = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}


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


class EncryptedDateField(EncryptedTextField):
    """A date encrypted in the database (a date of birth): stored as ciphertext of its ISO form,
    read back as a `date`. Neither SQL comparisons nor ordering work on it, by design."""

    default_error_messages = {"invalid": "“%(value)s” is not a date in the form YYYY-MM-DD."}

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, date):
            return value or None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else fernet().encrypt(value.isoformat().encode()).decode()

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return date.fromisoformat(value) if value else None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


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


# -- Blind index: finding a record by whole words of an encrypted name --------------------------

_INDEX_PURPOSE = b"iomuk-name-index-v1"


@cache
def _index_key(key: str) -> bytes:
    # Its own key, derived from the encryption key with a purpose label: the index's hashes and
    # the ciphertexts never share a key, and rotating FIELD_ENCRYPTION_KEY rotates both.
    raw = base64.urlsafe_b64decode(derive_key(key))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_PURPOSE).derive(raw)


def index_words(text: str) -> list[str]:
    """The words of `text` as a search compares them: case folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return list(dict.fromkeys(words))


def _word_hash(key: str, word: str) -> str:
    return hmac.new(_index_key(key), word.encode(), hashlib.sha256).hexdigest()


def blind_index(text: str) -> str:
    """The index of `text` under the newest key: each word's keyed hash, space-separated and
    space-enclosed so a search matches whole hashes only ("" for an empty text)."""
    key = settings.FIELD_ENCRYPTION_KEYS[0]
    hashes_ = [_word_hash(key, word) for word in index_words(text)]
    return f" {' '.join(sorted(hashes_))} " if hashes_ else ""


def blind_index_lookups(field: str, text: str) -> models.Q | None:
    """A filter for records whose `field` index holds every word of `text`, under any configured
    key (a record not yet moved to the newest key by `reencrypt` is found too); None if `text`
    has no words."""
    words = index_words(text)
    if not words:
        return None
    found = models.Q(pk__in=[])
    for key in settings.FIELD_ENCRYPTION_KEYS:
        every_word = models.Q()
        for word in words:
            every_word &= models.Q(**{f"{field}__contains": f" {_word_hash(key, word)} "})
        found |= every_word
    return found


class BlindIndexField(models.TextField):
    """The blind index of another field, named by `source`: keyed hashes of its words, so a
    search by whole words works in SQL while the text itself stays encrypted. The model computes
    it on every save; `reencrypt` rebuilds it under the newest key."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for option, default in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(option, not default) == default:
                kwargs.pop(option, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # Computed here, on every save (forms, admin, history reverts, retention): never stale.
        value = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


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
    no new history row, no signal and no changed timestamp. Blind indexes are computed again
    under the first key too. Returns rows per model.
    """
    counts = {}
    for model, names in encrypted_fields():
        manager = model._base_manager
        indexes = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, BlindIndexField) and field.source in names
        ]
        with transaction.atomic():
            rows = manager.select_for_update().values_list("pk", *names)
            for pk, *values in rows.iterator(chunk_size=500):
                changes = dict(zip(names, values, strict=True))
                for index in indexes:
                    changes[index.attname] = blind_index(changes[index.source] or "")
                manager.filter(pk=pk).update(**changes)
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
