"""Rotating FIELD_ENCRYPTION_KEY: `manage.py reencrypt` moves every value to the new key."""

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command

from iomuk.fields import EncryptedBinaryField, EncryptedTextField
from iomuk.models import OutboxAttachment, OutboxMessage
from returns.models import CaseDocument, CaseNote, ReturnCase
from returns.selectors import cases_named
from tests.returns.factories import ReturnCaseFactory, UserFactory

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _encrypted_models():
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedBinaryField)
        ]
        if fields:
            yield model, fields


@pytest.mark.django_db
def test_after_reencrypt_the_old_key_can_be_removed(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    case = ReturnCaseFactory(safeguarding_notes="was moved twice", full_name="Ileana Ștefănescu")
    index_under_a = ReturnCase.objects.values_list("name_index", flat=True).get()
    case.safeguarding_notes = "moved three times"
    case.save()  # a second history row, under key A too
    CaseNote.objects.create(case=case, author=UserFactory(), text="called the shelter")
    document = CaseDocument.objects.create(
        case=case,
        uploaded_by=UserFactory(),
        kind="identity",
        original_name="passport.pdf",
        file=ContentFile(b"%PDF passport", name="passport.pdf"),
        size=13,
        content_type="application/pdf",
    )
    message = OutboxMessage.objects.create(to="a@example.org", subject="s", body_text="the link")
    OutboxAttachment.objects.create(
        message=message, filename="a.pdf", mimetype="application/pdf", content=b"%PDF-secret"
    )

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("reencrypt", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    case = ReturnCase.objects.get(pk=case.pk)
    assert case.safeguarding_notes == "moved three times"
    # The name's blind index is rebuilt under B: the case is found by its name with B alone.
    assert case.name_index not in ("", index_under_a)
    assert list(cases_named(ReturnCase.objects.all(), "stefanescu ileana")) == [case]
    assert sorted(h.safeguarding_notes for h in case.history.all()) == [
        "moved three times",
        "was moved twice",
    ]
    assert CaseNote.objects.get().text == "called the shelter"
    assert OutboxMessage.objects.get().body_text == "the link"
    assert bytes(OutboxAttachment.objects.get().content) == b"%PDF-secret"
    # Every row of every model with an encrypted field, history tables too, reads under B alone
    # (a value still under A raises "Cannot decrypt a field").
    for model, fields in _encrypted_models():
        list(model._base_manager.values_list(*(f.attname for f in fields)))
    with CaseDocument.objects.get(pk=document.pk).file.open("rb") as handle:
        assert handle.read() == b"%PDF passport"
    assert case.history.count() == 2  # rotating wrote no new history
