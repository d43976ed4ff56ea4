"""Accounts: signing in, the second factor and password reset.

Every account signs in with a password and a TOTP authenticator. Wrong passwords are limited
per account and address, and per address. The authenticator is set up only through a one-time
link sent to the account's own email address (asked for by the person, or sent by an
administrator): knowing the password is not enough to set one up.
"""

import base64
import hashlib
import logging

import segno
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .fields import fernet
from .models import User
from .outbox import outbox_enqueue

logger = logging.getLogger(__name__)


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


ENROLMENT_LINK_HOURS = 24
_ENROLMENT_SALT = "iomuk.accounts.enrolment"


class EnrolmentLinkError(Exception):
    """The set-up link is not this account's, has expired or has been used."""


def totp_device_for(*, user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator, if it has set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_being_set_up(*, user: User, device_id: int | None) -> TOTPDevice | None:
    """The device a set-up link opened in this session enrols, while it is not yet confirmed."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()


def totp_verify(*, device: TOTPDevice, code: str) -> bool:
    """Check a code (device throttling applies). A first good code confirms a device set up
    through a link, and it replaces the account's other authenticators."""
    if not device.verify_is_allowed()[0] or not device.verify_token(code):
        return False
    if not device.confirmed:
        with transaction.atomic():
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    return True


def _key_digest(device: TOTPDevice) -> str:
    return hashlib.sha256(device.key.encode()).hexdigest()[:16]


def enrolment_link_issue(*, user: User) -> str:
    """A set-up link for `user`, valid ENROLMENT_LINK_HOURS and once; older links stop working."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    token = signing.TimestampSigner(salt=_ENROLMENT_SALT).sign_object(
        [user.pk, device.pk, _key_digest(device)]
    )
    return f"{settings.SITE_URL}{reverse('set-up', args=[token])}"


def enrolment_link_send(*, user: User) -> bool:
    """Email `user` a new set-up link through the outbox; False if the account has no address."""
    if not user.email:
        return False
    outbox_enqueue(
        to=user.email,
        template="account-set-up",
        context={"set_up_url": enrolment_link_issue(user=user), "hours": ENROLMENT_LINK_HOURS},
    )
    return True


def enrolment_link_open(*, user: User, token: str) -> TOTPDevice:
    """The device a set-up link enrols, for the signed-in `user`, while it is unconfirmed and
    the link is under ENROLMENT_LINK_HOURS old; raises EnrolmentLinkError otherwise.

    Opening the link spends nothing: someone called away before typing a code opens it again
    and sees the same key. The first good code confirms the device, and then the link is spent
    (it enrols only an unconfirmed device); a newer link replaces the device and so this one.
    """
    try:
        user_pk, device_pk, digest = signing.TimestampSigner(salt=_ENROLMENT_SALT).unsign_object(
            token, max_age=ENROLMENT_LINK_HOURS * 3600
        )
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise EnrolmentLinkError from exc
    device = TOTPDevice.objects.filter(pk=device_pk, user_id=user_pk, confirmed=False).first()
    if user_pk != user.pk or device is None or _key_digest(device) != digest:
        raise EnrolmentLinkError
    return device


def totp_enrolment(*, device: TOTPDevice) -> dict:
    """What the enrolment page shows: a QR code and the same secret as text."""
    return {
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }


def password_reset_request(*, email: str) -> None:
    """Queue a reset email for `email` without looking the address up here: the request that
    asks does the same work whether or not an account has it (the task does the rest)."""
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


@shared_task(name="iomuk.tasks.send_password_reset")
def send_password_reset(sealed_email: str) -> int:
    # The address travels encrypted: broker messages and worker logs hold no personal data.
    return password_reset_send(email=fernet().decrypt(sealed_email.encode()).decode())
