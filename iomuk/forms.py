import re
import secrets
import time
from typing import ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import signing
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .accounts import password_reset_request, sign_in_tries_left
from .form_renderer import text
from .throttle import form_checked, stamp_sent_elsewhere, throttle_key_exceeded


class DateInput(forms.DateInput):
    """The browser's date picker, filled as it reads dates (2026-12-03), whatever the language.

    A date in the locale's form (03/12/2026) shows as blank, and an unchanged save empties it.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, filled as it reads times (14:30)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker, filled as it reads them (2026-12-03T14:30)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class KeptSelect(forms.Select):
    """A <select> of fixed, flat choices (a TextChoices list): its options are the same for every
    visitor in a language, so they are drawn once per process and language under `key`, and a
    visitor's choice only marks its option. The HTML is Django's `Select`'s, byte for byte
    (tests/iomuk/test_kept_select.py). `key` names the list: one key, one list of choices."""

    template_name = "includes/kept_select.html"
    _kept: ClassVar[dict[tuple[str, str], str]] = {}

    def __init__(self, *, key: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.key = key

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not the options: below
        options = self._options_html()
        for chosen in context["widget"]["value"][:1]:  # one choice, as Django's Select marks
            option = f'<option value="{escape(chosen)}">'
            options = options.replace(option, f"{option[:-1]} selected>", 1)
        context["widget"]["options"] = mark_safe(options)  # noqa: S308 - values and labels escaped
        return context

    def _options_html(self) -> str:
        key = (self.key, get_language())
        html = self._kept.get(key)
        if html is None:
            html = "".join(
                f'\n  <option value="{escape(value)}">{text(label)}</option>\n'
                for value, label in self.choices
            )
            self._kept[key] = html
        return html


class KeptFieldsForm:
    """A public form whose fields, unbound, are drawn the same for every visitor in a language:
    each visible field is then drawn once per process, language and value shown, and kept with
    the frame's parts (`kept_draw` in iomuk/templatetags/bootstrap_fields.py). A form sent back
    is bound, and always drawn afresh from what was sent; hidden fields (a page's stamp, a
    submission token) are always drawn afresh. Mix it in before the form's base classes."""

    def kept_key(self) -> tuple | None:
        """What else the fields depend on besides the form's class, the language and each
        field's value: today's date, the rows of a table. None keeps nothing this time."""
        return ()

    @cached_property
    def kept_key_now(self) -> tuple | None:
        """`kept_key()`, asked once for the form drawn (it may read the database)."""
        return self.kept_key()


def filters_that_hold(form: forms.Form) -> dict:
    """A filter form's values that hold: a value nobody offers (an old link's choice, one since
    removed) is refused beside its own field, and the rest of the search still runs with it.
    An unbound form filters nothing."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


class SecondFactorForm(forms.Form):
    # Authenticator apps show a code as "123 456"; people type it so, or with a hyphen, or
    # paste it with a space at the end. Room for those in the box; only the digits count.
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 12}
        ),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Enter the 6 digits shown in your authenticator app."))
        return code


class SignInForm(AuthenticationForm):
    """Staff sign-in that says, after a wrong password, how many tries are left before a pause."""

    def get_invalid_login_error(self):
        left = sign_in_tries_left(request=self.request, username=self.cleaned_data["username"])
        tries_left = ngettext(
            "%(left)s try left before sign-in pauses for an hour.",
            "%(left)s tries left before sign-in pauses for an hour.",
            left,
        ) % {"left": left}
        return forms.ValidationError([super().get_invalid_login_error(), tries_left])


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


# How long a page's signed time stamp may be sent back, in seconds.
STAMP_LIFETIME = 86400


def new_submission_token() -> str:
    """A one-time token a form carries, so sending it twice stores it once."""
    return secrets.token_urlsafe(24)


class SmallTableChoices(forms.models.ModelChoiceIterator):
    """A short table's rows as choices, read in one query. Django's own iterator reads through
    `.iterator()`, which on PostgreSQL is a server-side cursor: three round trips (declare,
    fetch, close) for a handful of rows, on every drawing of the form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset.all():
            yield self.choice(row)


class SmallTableMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = SmallTableChoices


class HoneypotInput(forms.TextInput):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers)."""

    template_name = "includes/honeypot_input.html"


class HumanCheckForm(forms.Form):
    """Turns away bots without a puzzle, and never a person however quick they are.

    A hidden field bots fill in, and a signed time the page was opened, which proves the form
    came from our page; the per-address throttle does the rest. There is no minimum fill time:
    a browser's autofill or a pasted number sends a form within a second.

    Public forms inherit from this (model forms too: `class F(HumanCheckForm, forms.ModelForm)`).
    The hidden field is called `homepage`, a name bots fill in, because `website` is a real field
    of the IRIS application.
    """

    # A public form says "(optional)" after the label of each field one may leave empty, rather
    # than a star beside the others nobody explains (templates/bootstrap5/field.html).
    marks_optional_fields = True
    # Fields needed by some answers only (say, a recruiter's name when it is not on the list):
    # neither marked optional nor required; the form's clean() says when they are needed.
    needed_sometimes: tuple[str, ...] = ()

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
        self._mark_optional_fields()

    def _mark_optional_fields(self):
        optional = _("(optional)")
        for name, field in self.fields.items():
            if (
                field.required
                or field.widget.is_hidden
                or not field.label
                or isinstance(field, forms.BooleanField)  # a box left unticked is an answer
                or name in self.needed_sometimes
                or str(optional) in str(field.label)
            ):
                continue
            field.label = format_lazy("{} {}", field.label, optional)

    @classmethod
    def started_stamp(cls) -> str:
        """The signed time a form is opened, which it sends back. A random part makes each
        page's stamp its own, so two people opening a page in the same second never share one."""
        return cls._signer.sign(f"{int(time.time())}.{secrets.token_urlsafe(9)}")

    def full_clean(self):
        super().full_clean()
        form_checked(self)  # a form sent back with mistakes uses none of the throttle's allowance

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(
                _(
                    "This form could not be sent. Your browser may have filled in a box that "
                    "must stay empty. Turn off autofill for this page and send it again."
                )
            )
        if settings.HUMAN_CHECK_REQUIRE_START_STAMP:
            stamp = cleaned.get("form_started", "")
            try:
                self._signer.unsign(stamp, max_age=STAMP_LIFETIME)
                if stamp_sent_elsewhere(stamp, lifetime=STAMP_LIFETIME):
                    raise signing.BadSignature("a page sent again from another client")
            except signing.BadSignature:
                # The form drawn again carries a fresh stamp, so sending it again works.
                self.data = self.data.copy()
                self.data[self.add_prefix("form_started")] = self.started_stamp()
                raise forms.ValidationError(
                    _("This form has expired. Please check your answers and send it again.")
                ) from None
        # Only the person's answers go on to the service.
        cleaned.pop("homepage", None)
        cleaned.pop("form_started", None)
        return cleaned


class SubjectAccessForm(forms.Form):
    """Who a subject access request is for, and what to do: posted, so nothing of it is in an
    address. An email address finds records by itself; a name needs a second identifier."""

    ACTIONS = ("find", "json", "pdf", "erase")

    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput, help_text=_("For return cases.")
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("For complaints that gave no email address."),
    )
    language = forms.ChoiceField(
        label=_("Language of the PDF"),
        choices=[("", _("The language on their records"))] + list(settings.LANGUAGES),
        required=False,
    )
    confirm_erase = forms.BooleanField(
        label=_("The person asked for their data to be erased, and I have checked who they are"),
        required=False,
    )

    def __init__(self, *args, action: str = "find", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action if action in self.ACTIONS else "find"

    def clean(self):
        cleaned = super().clean()
        name, email = cleaned.get("name", "").strip(), cleaned.get("email", "")
        if not self.errors and not email and not name:
            raise forms.ValidationError(_("Enter the person's email address or full name."))
        if name and not email and not (cleaned.get("date_of_birth") or cleaned.get("phone")):
            raise forms.ValidationError(
                _(
                    "A name alone is shared by many people: add their email address, "
                    "date of birth or phone number."
                )
            )
        if self.action == "erase" and not cleaned.get("confirm_erase"):
            self.add_error(
                "confirm_erase", _("Confirm that the person asked for erasure before erasing.")
            )
        return cleaned
