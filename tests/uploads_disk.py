"""A fault on the uploads volume alone: full after some bytes, or mounted read-only."""

import errno
import os
from contextlib import contextmanager
from unittest import mock

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


@contextmanager
def uploads_disk(root, *, room=64 * 1024, read_only=False):
    """Every file written under `root` meets a disk with `room` bytes left (or read-only)."""
    disk = _UploadsDisk(root, room=room, read_only=read_only)
    with mock.patch.object(os, "open", disk.open), mock.patch.object(os, "fdopen", disk.fdopen):
        yield disk


def files_in(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]
