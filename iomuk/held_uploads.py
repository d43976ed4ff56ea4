"""Files attached to a form that comes back with an error, held until the form is sent again.

A browser never fills a file input in again, so without this a person who fixed one mistake
sent their form without the files they had chosen. Each valid file is kept (encrypted, by the
default storage) under a random token; the form that comes back names it ("Attached: name") and
sends the token back. The token counts only in the session that held the file, so nobody can
claim a file another visitor attached. Files not sent within HELD_UPLOAD_HOURS are deleted by
`held_uploads_prune` (hourly, see CELERY_BEAT_SCHEDULE).
"""

import secrets
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import NOT_STORED_MESSAGE, UploadNotStored
from .uploads import upload_prepared

SESSION_KEY = "held_uploads"
FOLDER = "held"
# The name of the button beside each held file that drops it from the form.
REMOVE = "held-remove"
LOST_MESSAGE = _(
    "A file you attached before is no longer kept (it is deleted after a while, or when you "
    "leave the site). Choose it again, or send the form without it."
)


class HeldUpload(SimpleUploadedFile):
    """A held file, read back from storage, that a form treats as if it had just been sent."""

    def __init__(self, *, token: str, name: str, content: bytes):
        super().__init__(name, content)
        self.token = token


def _well_formed(token: str) -> bool:
    return 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def upload_hold(*, session, upload: UploadedFile) -> HeldUpload:
    """Keep `upload` (already checked, its photo data stripped) for this session only."""
    token = secrets.token_urlsafe(24)
    content = b"".join(upload.chunks())
    default_storage.save(f"{FOLDER}/{token}", SimpleUploadedFile(token, content))
    held = session.get(SESSION_KEY, {})
    held[token] = {"name": upload.name, "at": timezone.now().isoformat()}
    session[SESSION_KEY] = held
    return HeldUpload(token=token, name=upload.name, content=content)


def held_upload_open(*, session, token: str) -> HeldUpload | None:
    """The file this session held under `token`, or None if it is not this session's or gone."""
    entry = session.get(SESSION_KEY, {}).get(token) if _well_formed(token) else None
    if entry is None:
        return None
    if timezone.now() - datetime.fromisoformat(entry["at"]) > _kept_for():
        return None  # the prune may not have run yet: the promise is HELD_UPLOAD_HOURS
    try:
        with default_storage.open(f"{FOLDER}/{token}", "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):  # pruned, or sealed under a key since removed
        return None
    return HeldUpload(token=token, name=entry["name"], content=content)


def held_uploads_release(*, session, tokens: list[str]) -> None:
    """Delete held files once what they were attached to is stored."""
    held = session.get(SESSION_KEY, {})
    for token in tokens:
        if held.pop(token, None) is not None:
            default_storage.delete(f"{FOLDER}/{token}")
    session[SESSION_KEY] = held


def held_uploads_prune() -> int:
    """Delete held files older than HELD_UPLOAD_HOURS: their form was never sent."""
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - _kept_for()
    old = [n for n in names if default_storage.get_modified_time(f"{FOLDER}/{n}") < cutoff]
    for name in old:
        default_storage.delete(f"{FOLDER}/{name}")
    return len(old)


def _kept_for() -> timedelta:
    return timedelta(hours=settings.HELD_UPLOAD_HOURS)


class KeepsUploadsForm:
    """A form whose file fields keep what was attached when it comes back with an error.

    Built with `session=request.session`. The files held for this session come back in through
    `self.files`, so the fields check them (and count them against their limits) like new ones.
    Pressing "Remove" beside a held file drops it and shows the form again, not sent and without
    error messages. After the record is stored, the view calls `release_held()`.
    """

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.removing = False
        self.lost_held = set()  # fields whose held files are gone: the form says so, never silent
        if not self.is_bound or session is None:
            return
        remove = self.data.get(REMOVE, "")
        self.removing = bool(remove)
        self.files = self.files.copy()
        for name in self._file_fields():
            key = self.add_prefix(name)
            tokens = [t for t in self.data.getlist(self._held_key(name)) if t != remove]
            held = [
                upload
                for token in tokens
                if (upload := held_upload_open(session=session, token=token)) is not None
            ]
            if len(held) < len(tokens):
                self.lost_held.add(name)
            new = self.files.getlist(key)
            if getattr(self.fields[name].widget, "allow_multiple_selected", False):
                self.files.setlist(key, held + new)
            elif held and not new:
                self.files.setlist(key, held[:1])  # a file chosen now takes the held one's place
            self.fields[name].held = [f for f in self.files.getlist(key) if f in held]

    def _file_fields(self) -> list[str]:
        return [n for n, f in self.fields.items() if isinstance(f, forms.FileField)]

    def _held_key(self, name: str) -> str:
        return f"{self.add_prefix(name)}-held"

    def is_valid(self) -> bool:
        return not self.removing and super().is_valid()

    def full_clean(self):
        if self.removing:  # not a sending: show the form as it was, without errors
            self._errors = ErrorDict()
            self.cleaned_data = {}
        else:
            super().full_clean()
            for name in self.lost_held:
                self.add_error(name, LOST_MESSAGE)
        if self._errors or self.removing:
            self._hold_new_uploads()

    def _hold_new_uploads(self) -> None:
        if self.session is None:
            return
        for name in self._file_fields():
            key = self.add_prefix(name)
            kept = []
            for upload in self.files.getlist(key):
                if not isinstance(upload, HeldUpload):
                    try:
                        prepared, _content_type = upload_prepared(upload)
                    except ValidationError:
                        continue  # its error is shown; the person chooses it again or another
                    try:
                        upload = upload_hold(session=self.session, upload=prepared)
                    except UploadNotStored:  # a full or read-only uploads disk: say so
                        self.add_error(name, NOT_STORED_MESSAGE)
                        continue
                kept.append(upload)
            self.files.setlist(key, kept)
            self.fields[name].held = kept

    def release_held(self) -> None:
        """The record is stored with its files: the held copies go."""
        if self.session is None:
            return
        tokens = [
            upload.token
            for name in self._file_fields()
            for upload in self.files.getlist(self.add_prefix(name))
            if isinstance(upload, HeldUpload)
        ]
        held_uploads_release(session=self.session, tokens=tokens)
