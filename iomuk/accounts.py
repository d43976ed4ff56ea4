"""Accounts: the second factor (every account enrols a TOTP authenticator at its first
sign-in) and password reset."""

import base64
import logging

import segno
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .fields import fernet
from .outbox import outbox_enqueue

logger = logging.getLogger(__name__)


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


def password_reset_request(*, email: str) -> None:
    """Queue a reset email for `email` without looking the address up here: the request that
    asks does the same work whether or not an account has it (the task does the rest)."""
    from .tasks import send_password_reset

    sealed = fernet().encrypt(email.encode()).decode()  # the broker holds no address
    try:
        send_password_reset.delay(sealed)
    except Exception as exc:  # noqa: BLE001 - any broker failure
        # Redis down: send now rather than lose the email. Only then does the answer's timing
        # depend on the address.
        logger.warning("password reset sent in the request: broker unavailable (%r)", exc)
        password_reset_send(email=email)


def password_reset_send(*, email: str) -> int:
    """Email a one-time reset link, through the outbox, to each active account with a
    password whose address is `email`; an address with no account gets nothing."""
    sent = 0
    with transaction.atomic():
        for user in PasswordResetForm().get_users(email):
            path = reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            outbox_enqueue(
                to=user.email,
                template="account-password-reset",
                context={
                    "reset_url": f"{settings.SITE_URL}{path}",
                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                },
            )
            sent += 1
    return sent
