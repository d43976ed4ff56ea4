import secrets
import time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .accounts import password_reset_request
from .throttle import throttle_key_exceeded


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits shown in your authenticator app."))
        return code


class PasswordResetRequestForm(PasswordResetForm):
    """Password reset that only queues the address asked for (`accounts.password_reset_request`),
    at most `settings.PASSWORD_RESET_ACCOUNT_LIMIT` times an hour for one address."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        limit, period = settings.PASSWORD_RESET_ACCOUNT_LIMIT
        # Counted for every address asked for, with or without an account: the same answer.
        if throttle_key_exceeded(
            scope="password-reset-account", key=email.casefold(), limit=limit, period=period
        ):
            raise forms.ValidationError(
                _("Too many reset emails were asked for this address. Try again later.")
            )
        return email

    def save(self, **kwargs):
        password_reset_request(email=self.cleaned_data["email"])


def new_submission_token() -> str:
    """A one-time token a form carries, so sending it twice stores it once."""
    return secrets.token_urlsafe(24)


class HoneypotInput(forms.TextInput):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers)."""

    template_name = "includes/honeypot_input.html"


class HumanCheckForm(forms.Form):
    """Turns away bots without a puzzle: a hidden field they fill in, and a minimum fill time.

    Public forms inherit from this (model forms too: `class F(HumanCheckForm, forms.ModelForm)`);
    HUMAN_CHECK_MIN_SECONDS sets the minimum time. The hidden field is called `homepage`, a
    name bots fill in, because `website` is a real field of the IRIS application.
    """

    homepage = forms.CharField(
        required=False,
        label="",
        widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    _signer = signing.TimestampSigner(salt="iomuk.human-check")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("form_started", self.started_stamp())

    @classmethod
    def started_stamp(cls) -> str:
        """The signed time a form is opened, which it sends back."""
        return cls._signer.sign(str(int(time.time())))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(
                _("This form could not be sent. Please leave the last hidden field empty.")
            )
        minimum = settings.HUMAN_CHECK_MIN_SECONDS
        if minimum:
            try:
                started = int(self._signer.unsign(cleaned.get("form_started", ""), max_age=86400))
            except (signing.BadSignature, ValueError):
                raise forms.ValidationError(
                    _("This form has expired. Please check your answers and send it again.")
                ) from None
            if time.time() - started < minimum:
                raise forms.ValidationError(
                    _("That was quicker than we expected. Please check your answers, then send.")
                )
        # Only the person's answers go on to the service.
        cleaned.pop("homepage", None)
        cleaned.pop("form_started", None)
        return cleaned
