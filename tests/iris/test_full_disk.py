"""A full or read-only uploads disk: the complaint form comes back with everything typed and a
plain message, never a 500; no partial file is left and no half-saved report is stored."""

import errno
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iris.models import Complaint, ComplaintEvidence

from .factories import RecruiterFactory
from .test_complaints import PDF, URL, form_data

NOT_STORED = "We could not store your attachment just now, so nothing was sent."
REAL_FDOPEN = os.fdopen
REAL_OPEN = os.open


class _FillingFile:
    """A file on a disk with `room` bytes left: the write that passes it fails part-way."""

    def __init__(self, handle, disk):
        self._handle, self._disk = handle, disk

    def write(self, data):
        if len(data) > self._disk.room:
            self._handle.write(data[: self._disk.room])
            self._handle.flush()
            self._disk.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._disk.room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


class _UploadsDisk:
    """The uploads volume (and only it): full after `room` bytes, or mounted read-only."""

    def __init__(self, root, *, room=64 * 1024, read_only=False):
        self.root, self.room, self.read_only = str(root), room, read_only

    def _ours(self, path) -> bool:
        return os.path.abspath(os.fsdecode(path)).startswith(self.root)

    def open(self, path, flags, *args, **kwargs):
        if self.read_only and self._ours(path) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return REAL_OPEN(path, flags, *args, **kwargs)

    def fdopen(self, fd, *args, **kwargs):
        handle = REAL_FDOPEN(fd, *args, **kwargs)
        if self._ours(os.readlink(f"/proc/self/fd/{fd}")):
            return _FillingFile(handle, self)
        return handle


@pytest.fixture
def recruiter(db):
    return RecruiterFactory()


def _files_in(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


@pytest.mark.parametrize("read_only", [False, True], ids=["full", "read-only"])
def test_a_complaint_on_a_full_uploads_disk_comes_back_with_what_was_typed(
    recruiter, settings, monkeypatch, read_only
):
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    os.makedirs(root / "iris" / "evidence", exist_ok=True)  # the volume is mounted
    client = Client(raise_request_exception=False)  # as in production: a fault is a page
    photo = SimpleUploadedFile("photo.pdf", PDF + b"%" + b"x" * 300_000, "application/pdf")
    data = form_data(client, recruiter, evidence=[photo])
    disk = _UploadsDisk(root, read_only=read_only)
    monkeypatch.setattr(os, "open", disk.open)
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    response = client.post(URL, data)
    monkeypatch.undo()
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_STORED in page
    assert "They took 900 euros and my passport." in page
    assert "Evenings only" in page
    assert Complaint.objects.count() == 0
    assert ComplaintEvidence.objects.count() == 0
    assert _files_in(root) == []
