"""Private uploads (case documents, complaint evidence) encrypted on disk."""

import os
import tempfile
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from iomuk.fields import fernet

# Shown above a form whose attachment could not be written (a full or read-only uploads disk).
NOT_STORED_MESSAGE = _(
    "We could not store your attachment just now, so nothing was sent. What you typed is still "
    "here: choose the file again and send the form in a few minutes, or send it without the file."
)


class UploadNotStored(OSError):
    """The uploads disk refused a file (full, read-only, gone): nothing of it is left behind."""


# The files saved inside `uploads_removed_on_failure`, to delete if their record is not stored.
_saved_here: ContextVar[list | None] = ContextVar("uploads_saved_here", default=None)


@contextmanager
def uploads_removed_on_failure():
    """Wrap the transaction that stores a record with its files: if the block raises (a file
    not stored, the database refusing the record, the commit failing), every file saved in it
    is deleted, so no file is left that no row points to."""
    saved = []
    token = _saved_here.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            with suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _saved_here.reset(token)


class EncryptedFileSystemStorage(FileSystemStorage):
    """Encrypts a file with FIELD_ENCRYPTION_KEY as it is saved and decrypts it as it is opened.

    A file is read whole into memory either way: uploads are small (UPLOAD_MAX_BYTES).
    """

    def _save(self, name, content):
        """Write the sealed file under a temporary name, then link it into place: a disk that
        fills or turns read-only part-way leaves nothing, never a cut-off file under its name."""
        content.seek(0)
        sealed = fernet().encrypt(b"".join(content.chunks()))
        temporary = None
        try:
            directory = os.path.dirname(self.path(name))
            self._make_directory(directory)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
            with os.fdopen(handle, "wb") as file:
                file.write(sealed)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o600)
            while True:
                try:
                    os.link(temporary, self.path(name))  # never over another file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
        except OSError as exc:
            raise UploadNotStored(exc.errno, exc.strerror or str(exc)) from exc
        finally:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)
        name = os.path.relpath(self.path(name), self.location).replace("\\", "/")
        if (saved := _saved_here.get()) is not None:
            saved.append((self, name))
        return name

    def _make_directory(self, directory: str) -> None:
        # As Django's own storage does: the umask would otherwise narrow the mode asked for.
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

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
