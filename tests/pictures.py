"""Real pictures for upload tests: the portal draws photos again, so they must open."""

import io

from PIL import Image

# EXIF tag numbers (Pillow's ExifTags): where a photo was taken, and which way up it was held.
GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(*, size=(40, 20), orientation: int = 1) -> bytes:
    """A phone photo: GPS position (London), the phone's make, an orientation and a comment."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, size[0] // 2, size[1]))  # red on the left half
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()
