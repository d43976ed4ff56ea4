"""The complaint form, the tracking form and what a complainant adds later."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from iomuk.forms import (
    HumanCheckForm,
    KeptFieldsForm,
    KeptSelect,
    SmallTableMultipleChoiceField,
    new_submission_token,
)
from iomuk.held_uploads import KeepsUploadsForm
from iomuk.uploads import KEPT_AS_SENT, validate_upload
from iris.recruiters.choices import kept_version
from iris.recruiters.forms import MAX_TEXT, ReferenceChoiceField
from iris.recruiters.models import Country, language_in_its_own_words
from iris.recruiters.selectors import MOST_NAMED, recruiters_named

from .models import ComplaintCategory

MAX_EVIDENCE_FILES = settings.UPLOAD_MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput
    default_validators = [validate_upload]  # run on each file by FileField.clean

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(_("Send at most 5 files."))
        return [super(EvidenceField, self).clean(f, initial) for f in files]


class ComplaintForm(KeptFieldsForm, KeepsUploadsForm, HumanCheckForm):
    ABOUT = [
        ("listed", _("A recruiter on our list")),
        ("unlisted", _("A recruiter that is not on our list")),
    ]
    # Needed by some answers only: the recruiter's name or page, and an email or a phone number
    # unless the person stays anonymous (clean() says which).
    needed_sometimes = ("recruiter_ref", "recruiter_choice", "unlisted_name", "email", "phone")
    token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("Please send the form again.")},
    )
    about = forms.ChoiceField(
        label=_("Who is your report about?"),
        choices=ABOUT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who your report is about.")},
        initial="listed",
    )
    recruiter_ref = forms.CharField(
        label=_(
            "The recruiter's name, accreditation number or the address of its page on our list"
        ),
        required=False,
        max_length=250,
        help_text=_(
            "Type the name as you know it, or part of it. If we cannot find the recruiter on "
            "our list, we still take your report."
        ),
    )
    # Offered only when the name typed matches several recruiters: which one, or none of them.
    recruiter_choice = forms.CharField(
        label=_("Which recruiter do you mean?"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    unlisted_name = forms.CharField(label=_("The recruiter's name"), required=False, max_length=200)
    unlisted_country = ReferenceChoiceField(
        label=_("The recruiter's country"), queryset=Country.objects.all(), required=False
    )
    unlisted_contact = forms.CharField(
        label=_("Any contact details you know for the recruiter (address, phone, website)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    categories = SmallTableMultipleChoiceField(
        label=_("What happened? Tick all that apply"),
        queryset=ComplaintCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one thing that happened.")},
    )
    happened_when = forms.CharField(
        label=_("When did it happen? Roughly is fine"), required=False, max_length=100
    )
    recruitment_country = ReferenceChoiceField(
        label=_("Country where you were recruited"), queryset=Country.objects.all(), required=False
    )
    destination_country = ReferenceChoiceField(
        label=_("Country where the job was"), queryset=Country.objects.all(), required=False
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tell us what happened.")},
    )
    evidence = EvidenceField(
        label=_("Evidence (optional): PDF, JPEG or PNG files, up to 5"),
        required=False,
        help_text=KEPT_AS_SENT,
    )
    in_danger = forms.BooleanField(label=_("Someone is in danger now"), required=False)
    anonymous = forms.BooleanField(
        label=_("I want to stay anonymous: do not keep my name or contact details"),
        required=False,
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=120)
    email = forms.EmailField(label=_("Your email"), required=False)
    # Unticked by default: whoever reads the inbox could open the report with the code.
    email_code = forms.BooleanField(
        label=_("Email me the tracking code too"),
        help_text=_("Only choose this if nobody else reads your email."),
        required=False,
    )
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=40)
    safe_contact = forms.CharField(
        label=_("Safe ways and times to contact you"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for our messages"),
        error_messages={"required": _("Select the language for our messages.")},
        choices=[(code, language_in_its_own_words(code)) for code, _name in settings.LANGUAGES],
        widget=KeptSelect(key="iris-complaint-language"),
    )
    consent_to_referral = forms.BooleanField(
        label=_(
            "IOM may pass my report to an authority that can act on it (such as a labour "
            "inspectorate or the police)"
        ),
        required=False,
    )

    NONE_OF_THESE = "none"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_submission_token())
        # The recruiters the name typed may mean, found afresh from the name on each sending.
        self.recruiter_matches = []
        if self.is_bound and self.data.get("about") == "listed":
            ref = str(self.data.get("recruiter_ref", ""))[:250]
            self.recruiter_matches = recruiters_named(text=ref)
        self.more_matches = len(self.recruiter_matches) > MOST_NAMED
        self.fields["recruiter_choice"].widget.choices = [
            (str(r.pk), f"{r.legal_name} — {r.accreditation_number or ''}, {r.hq_country}")
            for r in self.recruiter_matches[:MOST_NAMED]
        ] + [(self.NONE_OF_THESE, _("None of these: send my report with the name as I typed it"))]

    def kept_key(self) -> tuple | None:
        """Its lists: the countries' (by their version) and what may have happened (by its
        rows, read as the page draws them)."""
        version = kept_version()
        if version is None:
            return None
        categories = self.fields["categories"].choices
        return (version, tuple((str(value), str(label)) for value, label in categories))

    @property
    def offers_recruiters(self) -> bool:
        return len(self.recruiter_matches) > 1

    def _named_recruiter(self, data: dict) -> None:
        """The recruiter the person named: the only match, the one they chose, or none (their
        words are kept for an officer to match)."""
        ref = " ".join(data.get("recruiter_ref", "").split())
        data["recruiter_name_given"] = ref
        data["recruiter"] = None
        if not ref:
            self.add_error("recruiter_ref", _("Give the recruiter's name."))
            return
        choice = data.get("recruiter_choice", "")
        chosen = [r for r in self.recruiter_matches[:MOST_NAMED] if str(r.pk) == choice]
        if chosen:
            data["recruiter"] = chosen[0]
        elif len(self.recruiter_matches) == 1:
            data["recruiter"] = self.recruiter_matches[0]
        elif self.recruiter_matches and choice != self.NONE_OF_THESE:
            self.add_error(
                "recruiter_choice",
                _(
                    "More than one recruiter on our list matches the name you gave. Choose "
                    "the one you mean, or “None of these”."
                ),
            )

    @staticmethod
    def token_well_formed(token: str) -> bool:
        """What the form hands out: 20 to 64 URL-safe characters (never a NUL, which PostgreSQL
        refuses even in a lookup)."""
        bare = token.replace("-", "").replace("_", "")
        return 20 <= len(token) <= 64 and bare.isascii() and bare.isalnum()

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not self.token_well_formed(token):
            raise forms.ValidationError(_("Please send the form again."))
        return token

    def clean(self):
        data = super().clean()
        if data.get("about") == "listed":
            self._named_recruiter(data)
            data.update(unlisted_name="", unlisted_country=None, unlisted_contact="")
        elif data.get("about") == "unlisted":
            data["recruiter"] = None
            data["recruiter_name_given"] = ""
            if not data.get("unlisted_name", "").strip():
                self.add_error("unlisted_name", _("Give the recruiter's name."))
        if data.get("anonymous"):
            for field in ("name", "email", "phone", "safe_contact"):
                data[field] = ""
            data["email_code"] = False
        elif not (data.get("email") or data.get("phone")) and not self.has_error("email"):
            self.add_error(
                "email",
                _(
                    "Give an email or phone number so we can reach you, or choose to stay "
                    "anonymous."
                ),
            )
        return data


class TrackForm(HumanCheckForm):
    # One answer for an unknown reference and a wrong code: it tells a guesser nothing.
    not_found_message = _(
        "We could not find a report with that reference and tracking code. Check both and try "
        "again. If you have lost your tracking code, make a new report and mention the old one."
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("For example IRIS-C-7F3K9Q"),
        error_messages={"required": _("Enter the reference of your report.")},
    )
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        error_messages={"required": _("Enter the tracking code of your report.")},
    )


class ComplaintAdditionForm(KeepsUploadsForm, HumanCheckForm):
    """What a complainant adds to their report from the tracking page."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    body = forms.CharField(
        label=_("What you want to add"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us what you want to add.")},
    )
    evidence = EvidenceField(
        label=_("Evidence (optional): PDF, JPEG or PNG files, up to 5"),
        required=False,
        help_text=KEPT_AS_SENT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_submission_token())

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not ComplaintForm.token_well_formed(token):
            raise forms.ValidationError(_("Please send the form again."))
        return token
