"""Every file the portal takes (case documents, complaint evidence), checked one way: by its
content, not its name, and never empty; photos are stored without their metadata."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# Said beside every file input: what happens to what is sent.
KEPT_AS_SENT = _(
    "Photos are stored without their location and device details. Documents are kept as sent."
)

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


def upload_prepared(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """`upload` checked as upload_content_type checks it, and its real type; a photo comes back
    as a copy without its metadata (upload_without_metadata), a PDF as it was sent."""
    content_type = upload_content_type(upload)
    if content_type in ("image/jpeg", "image/png"):
        upload = upload_without_metadata(upload, content_type)
    return upload, content_type


def upload_without_metadata(upload: UploadedFile, content_type: str) -> UploadedFile:
    """A JPEG or PNG drawn again with its pixels only: no EXIF (where and with what device it was
    taken), GPS, XMP, comments or text chunks. The EXIF orientation is applied first, so the
    picture stands as it did on the phone.

    A picture Pillow cannot read is refused, as it could not be shown to an officer either.
    """
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            if _carries_nothing_but_pixels(image):
                upload.seek(0)
                return upload  # drawn already (a held file sent on): drawing again loses detail
            upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Files must be PDF documents or JPEG or PNG pictures."), code="unreadable"
        ) from exc
    # Pillow writes again what an image's info carries (comment, ICC profile, EXIF): none of it.
    upright.info = {}
    out = io.BytesIO()
    if content_type == "image/jpeg":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=92, optimize=True)
    else:
        upright.save(out, "PNG", optimize=True)
    stripped = SimpleUploadedFile(upload.name, out.getvalue(), content_type)
    upload.seek(0)
    return stripped


# What a PNG may carry that says nothing about who took it, or where, or with what.
_PNG_PLAIN_INFO = {"dpi", "gamma", "srgb", "transparency", "aspect"}


def _carries_nothing_but_pixels(image: Image.Image) -> bool:
    if image.format == "JPEG":
        # APP0 is the JFIF header; EXIF, XMP and ICC live in APP1 and up, comments in COM.
        return all(marker == "APP0" for marker, _data in image.applist) and not image.info.get(
            "comment"
        )
    return not (set(image.info) - _PNG_PLAIN_INFO)
