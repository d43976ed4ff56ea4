"""Signing in: limits on wrong passwords, and the second factor (a TOTP authenticator that
every account enrols at its first sign-in)."""

import base64

import segno
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Sum
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice


class SignInFailureHandler(AxesDatabaseHandler):
    """Axes' own handler, with two limits on wrong passwords in the cool-off hour.

    AXES_FAILURE_LIMIT for one account from one address (AXES_LOCKOUT_PARAMETERS), so one
    person's mistakes pause only themselves, not colleagues behind the same office address;
    and SIGN_IN_ADDRESS_FAILURE_LIMIT, much higher, for one address across all accounts, which
    stops someone trying many accounts. Axes takes one limit, so the second is counted here.
    """

    def address_failures(self, request: HttpRequest) -> int:
        """Wrong passwords from this request's address, for any account, in the cool-off time."""
        return (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )

    def tries_left(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Wrong passwords this account and address may still send before sign-in pauses."""
        return max(
            0,
            min(
                settings.AXES_FAILURE_LIMIT - super().get_failures(request, credentials),
                settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - self.address_failures(request),
            ),
        )

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # Axes pauses at AXES_FAILURE_LIMIT: the tries used are the limit less the tries left.
        return settings.AXES_FAILURE_LIMIT - self.tries_left(request, credentials)


def sign_in_tries_left(*, request: HttpRequest, username: str) -> int:
    """How many more wrong passwords for `username` from this address before sign-in pauses.

    The same for an account that does not exist, so the answer gives nothing away.
    """
    handler = AxesProxyHandler.get_implementation()
    return handler.tries_left(request, {settings.AXES_USERNAME_FORM_FIELD: username})


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
