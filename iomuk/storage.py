"""Private uploads (case documents, complaint evidence) encrypted on disk."""

import os

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from iomuk.fields import fernet


class EncryptedFileSystemStorage(FileSystemStorage):
    """Encrypts a file with FIELD_ENCRYPTION_KEY as it is saved and decrypts it as it is opened.

    A file is read whole into memory either way: uploads are small (UPLOAD_MAX_BYTES).
    """

    def _save(self, name, content):
        content.seek(0)
        sealed = fernet().encrypt(b"".join(content.chunks()))
        return super()._save(name, ContentFile(sealed))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as handle:
            return ContentFile(self.decrypt(handle.read()), name=name)

    def decrypt(self, sealed: bytes) -> bytes:
        try:
            return fernet().decrypt(sealed)
        except InvalidToken as exc:
            raise ValueError("Cannot decrypt a file: is FIELD_ENCRYPTION_KEY right?") from exc

    def size(self, name):
        with self._open(name) as handle:
            return handle.size

    def reencrypt(self, name) -> None:
        """Write the file again under the first key (see `manage.py reencrypt`)."""
        with super()._open(name, "rb") as handle:
            sealed = fernet().rotate(handle.read())
        path = self.path(name)
        fresh = f"{path}.rekey"
        with open(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(sealed)
        os.replace(fresh, path)  # never a half-written file in place of the old one
