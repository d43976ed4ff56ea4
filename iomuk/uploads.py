"""Every file the portal takes (case documents, complaint evidence), checked one way: by its
content, not its name, and never empty."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# The first bytes of each kind of file the portal takes, and the type it is served as.
UPLOAD_TYPES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


def upload_content_type(upload: UploadedFile) -> str:
    """The real type of `upload` by its first bytes. Raises ValidationError, with a message fit to
    show, if it is empty, over UPLOAD_MAX_BYTES, or not a PDF, PNG or JPEG."""
    if not upload.size:
        # Django's own wording, which its catalogues translate.
        raise ValidationError(_("The submitted file is empty."), code="empty")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Each file must be smaller than %(mb)s MB."),
            params={"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="too-large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in UPLOAD_TYPES:
        if head.startswith(magic):
            return content_type
    raise ValidationError(
        _("Files must be PDF documents or JPEG or PNG pictures."), code="wrong-type"
    )


def validate_upload(upload: UploadedFile) -> None:
    """upload_content_type as a form field's validator: every upload field lists it."""
    upload_content_type(upload)
