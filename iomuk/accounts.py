"""The second factor: every account enrols a TOTP authenticator at its first sign-in."""

import base64

import segno
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for(*, user: User) -> TOTPDevice:
    """The account's authenticator: its confirmed one, or a new unconfirmed one to enrol."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    return device


def totp_verify(*, device: TOTPDevice, code: str) -> bool:
    """Check a code (device throttling applies); a first good code confirms the enrolment."""
    if not device.verify_is_allowed()[0] or not device.verify_token(code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def totp_enrolment(*, device: TOTPDevice) -> dict:
    """What the enrolment page shows: a QR code and the same secret as text."""
    return {
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }
