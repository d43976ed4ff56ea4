from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from iomuk.forms import DateInput
from iomuk.held_uploads import KeepsUploadsForm
from iomuk.uploads import KEPT_AS_SENT, validate_upload

from .models import (
    REINTEGRATION_SERVICES,
    CaseDocument,
    ConsentPurpose,
    ContactMethod,
    Country,
    NotEligibleReason,
    ReturnCase,
    ReturnPlanItem,
    Risk,
    Service,
    Stage,
)

OTHER_COUNTRY = "other"
OTHER_COUNTRY_MESSAGE = _(
    "IOM UK can only help with returns to Bulgaria, the Czech Republic (Czechia), Hungary or "
    "Romania. For a return to another country, contact the person's embassy or the Home Office "
    "Voluntary Returns Service, or call the Modern Slavery & Exploitation Helpline on "
    "%(helpline)s for advice."
)
EARLIEST_BIRTH = date(1900, 1, 1)
# What a referrer may read or show to the person; the form offers it for them to adjust.
CONSENT_WORDING_STANDARD = _(
    "IOM UK can help you go home safely, if that is what you want. It is your choice. You can "
    "change your mind at any time before you travel, and saying no will not change any other "
    "help you get. To plan your return, IOM UK needs to know about you, your health and your "
    "safety. We share this only with the people planning your return and, if you agree, with "
    "the partners named here. We keep it safe and delete it when we no longer need it."
)


def _upload_field(required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("Document"),
        required=required,
        help_text=format_lazy(
            "{} {}",
            _("PDF, JPEG or PNG, up to %(mb)s MB.")
            % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            KEPT_AS_SENT,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        validators=[validate_upload],
    )


def _same(a, b) -> bool:
    # Text comes back from a browser with CRLF line ends and maybe blank for None.
    if isinstance(a, str) or isinstance(b, str):
        return "\n".join((a or "").strip().splitlines()) == "\n".join(
            (b or "").strip().splitlines()
        )
    return a == b


def _as_data(field: forms.Field, value, *, hidden: bool) -> str | None:
    """`value` as a browser would send it for `field` (None: a box left unticked)."""
    if isinstance(field.widget, forms.CheckboxInput) and not hidden:
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _SeenValues:
    """A form that carries the values it was drawn with, in hidden inputs.

    When a save is refused because someone else saved the case first, the form can then tell
    their changes (saved value differs from what the person saw) from the person's own (what
    they sent differs from what they saw), show both, and be drawn again with the person's own
    changes kept and everything else as it is saved now.
    """

    seen_fields: list[str] = []

    def show_seen_values(self) -> None:
        for name in self.seen_fields:
            self.fields[name].show_hidden_initial = True

    def seen_value(self, name: str):
        field = self.fields[name]
        raw = self._widget_data_value(field.hidden_widget(), self[name].html_initial_name)
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return None

    def label_of(self, name: str) -> str:
        return str(self.fields[name].label)

    def _shown(self, name: str, value) -> str:
        field = self.fields[name]
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if value in (None, ""):
            return "—"
        if getattr(field, "choices", None):
            return str(dict(field.choices).get(value, value))
        if isinstance(value, date):
            return value.strftime("%-d %B %Y")
        return str(value)

    def changed_by_others(self, saved) -> list[dict]:
        """Each field someone else changed since the form was drawn: theirs now, and yours."""
        rows = []
        for name in self.seen_fields:
            theirs = getattr(saved, name)
            if _same(self.seen_value(name), theirs):
                continue
            yours = self.cleaned_data.get(name)
            rows.append(
                {
                    "label": self.label_of(name),
                    "theirs": self._shown(name, theirs),
                    "yours": self._shown(name, yours),
                    "yours_changed": not _same(self.seen_value(name), yours),
                }
            )
        return rows

    def data_against(self, data, saved) -> None:
        """Write into `data` this form drawn again against `saved`: the person's own changes
        stay; what they left alone takes the saved value; the saved values become the seen."""
        for name in self.seen_fields:
            field, bound = self.fields[name], self[name]
            now = getattr(saved, name)
            if _same(self.seen_value(name), self.cleaned_data.get(name)):
                value = _as_data(field, now, hidden=False)
                if value is None:
                    data.pop(bound.html_name, None)
                else:
                    data[bound.html_name] = value
            data[bound.html_initial_name] = _as_data(field, now, hidden=True)


class _TravelChecks:
    def clean_earliest_travel_date(self):
        earliest = self.cleaned_data["earliest_travel_date"]
        if earliest and earliest < timezone.localdate():
            raise forms.ValidationError(_("The earliest travel date cannot be in the past."))
        if earliest and earliest > timezone.localdate() + timedelta(days=2 * 365):
            raise forms.ValidationError(_("The earliest travel date is more than two years away."))
        return earliest

    def clean_dependants_travelling(self):
        count = self.cleaned_data["dependants_travelling"]
        if count > 20:
            raise forms.ValidationError(_("Check the number of dependants travelling."))
        return count


class ReferralForm(KeepsUploadsForm, _TravelChecks, forms.ModelForm):
    country = forms.ChoiceField(
        label=_("Country of return"),
        choices=[
            ("", _("Choose a country")),
            *Country.choices,
            (OTHER_COUNTRY, _("Another country")),
        ],
        help_text=_(
            "IOM UK can help with returns to Bulgaria, the Czech Republic, Hungary and "
            "Romania only."
        ),
    )
    services = forms.MultipleChoiceField(
        label=_("Reintegration services requested"),
        choices=[(s.value, s.label) for s in REINTEGRATION_SERVICES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document = _upload_field(required=False)
    document.label = _("Signed consent or other document (optional)")

    class Meta:
        model = ReturnCase
        fields = [
            "referrer_type",
            "referrer_name",
            "referrer_organisation",
            "referrer_contact",
            "full_name",
            "preferred_name",
            "date_of_birth",
            "gender",
            "nationality",
            "languages",
            "interpreter_needed",
            "safe_contact_details",
            "safe_times_to_call",
            "country",
            "destination_town",
            "consent_to_return",
            "consent_to_share",
            "consent_partners",
            "consent_method",
            "consent_given_on",
            "consent_wording",
            "nrm_status",
            "risk",
            "safeguarding_notes",
            "dependants_travelling",
            "travel_document",
            "departure_airport",
            "earliest_travel_date",
            "escort_needed",
            "fit_to_fly",
            "fitness_to_fly_notes",
            "land_transport_needed",
            "health_notes",
            "reintegration_notes",
        ]
        widgets = {
            "date_of_birth": DateInput,
            "consent_given_on": DateInput,
            "earliest_travel_date": DateInput,
            "safe_contact_details": forms.Textarea(attrs={"rows": 2}),
            "consent_wording": forms.Textarea(attrs={"rows": 3}),
            "safeguarding_notes": forms.Textarea(attrs={"rows": 3}),
            "fitness_to_fly_notes": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "reintegration_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].error_messages["invalid_choice"] = OTHER_COUNTRY_MESSAGE % {
            "helpline": settings.HELPLINE_NUMBER
        }
        self.fields["consent_to_return"].required = True
        self.fields["consent_to_return"].error_messages["required"] = _(
            "No referral can be accepted without the person's consent to return."
        )
        self.fields["dependants_travelling"].widget.attrs["max"] = 20
        self.fields["consent_wording"].initial = CONSENT_WORDING_STANDARD
        self.fields["consent_wording"].help_text = _(
            "Our standard wording. Change it to match what you said or showed the person."
        )
        self.fields["consent_wording"].widget.attrs["rows"] = 6
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("1. The referrer"),
                "referrer_type",
                "referrer_name",
                "referrer_organisation",
                "referrer_contact",
            ),
            Fieldset(
                _("2. The person"),
                "full_name",
                "preferred_name",
                "date_of_birth",
                "gender",
                "nationality",
                "languages",
                "interpreter_needed",
                "safe_contact_details",
                "safe_times_to_call",
            ),
            Fieldset(_("3. Country of return"), "country", "destination_town"),
            Fieldset(
                _("4. Consent"),
                "consent_to_return",
                "consent_to_share",
                "consent_partners",
                "consent_method",
                "consent_given_on",
                "consent_wording",
            ),
            Fieldset(
                _("5. Status and risk"),
                "nrm_status",
                "risk",
                "safeguarding_notes",
                "dependants_travelling",
            ),
            Fieldset(
                _("6. Travel"),
                "travel_document",
                "departure_airport",
                "earliest_travel_date",
                "escort_needed",
                "fit_to_fly",
                "fitness_to_fly_notes",
                "land_transport_needed",
            ),
            Fieldset(
                _("7. Reintegration and health"),
                "services",
                "health_notes",
                "reintegration_notes",
            ),
            Fieldset(_("8. Documents"), "document"),
            Submit("submit", _("Submit the referral")),
        )

    def clean_country(self):
        country = self.cleaned_data["country"]
        if country not in Country.values:
            raise forms.ValidationError(
                OTHER_COUNTRY_MESSAGE % {"helpline": settings.HELPLINE_NUMBER}
            )
        return country

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born < EARLIEST_BIRTH:
            raise forms.ValidationError(_("Check the date of birth: it is too long ago."))
        return born

    def clean_consent_given_on(self):
        given = self.cleaned_data["consent_given_on"]
        if given > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot have been given in the future."))
        if given < timezone.localdate() - timedelta(days=366):
            raise forms.ValidationError(
                _("Consent must have been given within the last year; ask the person again.")
            )
        return given

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_to_share") and not cleaned.get("consent_partners", "").strip():
            self.add_error(
                "consent_partners", _("Name the partners the person agreed to share data with.")
            )
        return cleaned

    def case_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The model is built by the service; a ModelForm's own instance checks are not wanted.
        pass


CASE_UPDATE_FIELDS = [
    "risk",
    "nrm_status",
    "safeguarding_notes",
    "safe_contact_details",
    "safe_times_to_call",
    "destination_town",
    "dependants_travelling",
    "travel_document",
    "departure_airport",
    "earliest_travel_date",
    "escort_needed",
    "fit_to_fly",
    "fitness_to_fly_notes",
    "land_transport_needed",
    "health_notes",
    "reintegration_notes",
]


class CaseUpdateForm(_SeenValues, _TravelChecks, forms.ModelForm):
    """The facts that change as a case goes on; who the person is and where they go do not."""

    seen_fields = CASE_UPDATE_FIELDS
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = ReturnCase
        fields = CASE_UPDATE_FIELDS
        widgets = {
            "earliest_travel_date": DateInput,
            "safe_contact_details": forms.Textarea(attrs={"rows": 2}),
            "safeguarding_notes": forms.Textarea(attrs={"rows": 3}),
            "fitness_to_fly_notes": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "reintegration_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_seen_values()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in CASE_UPDATE_FIELDS}

    def _post_clean(self):
        # The service checks the whole case and saves it only if nobody changed it meanwhile.
        pass


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.TextInput)
    # Only for "not eligible": the category the referrer is told.
    reason_category = forms.ChoiceField(
        label=_("Why, as the referrer is told"),
        choices=[("", _("Choose…")), *NotEligibleReason.choices],
        required=False,
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=None,
        required=False,
        empty_label=_("Nobody: the intake queue"),
    )

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers


class PlanItemForm(_SeenValues, forms.ModelForm):
    """One row of the return plan; the plan is saved as one formset of these."""

    seen_fields = ["status", "due_date", "notes"]
    # A text box, not a line: a note of several lines is kept as written.
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = ReturnPlanItem
        fields = ["status", "due_date", "notes"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_seen_values()

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if due and not (today - timedelta(days=366) <= due <= today + timedelta(days=2 * 365)):
            raise forms.ValidationError(
                _("Give a due date within a year before or two years after today.")
            )
        return due

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def label_of(self, name: str) -> str:
        return f"{self.instance.get_service_display()}: {self.fields[name].label}"

    def _post_clean(self):
        # The service checks each item and saves the plan only if nobody changed the case.
        pass


# Rows are the case's own plan items only: a forged extra form adds nothing (edit_only).
PlanFormSet = forms.modelformset_factory(
    ReturnPlanItem, form=PlanItemForm, extra=0, edit_only=True, can_delete=False
)


class VersionForm(forms.Form):
    """The case version a form was drawn from, for forms (the plan) that are not one form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(KeepsUploadsForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=CaseDocument.Kind.choices)
    file = _upload_field(required=True)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        required=False,
        max_length=100,
        # The full name is encrypted and found only through a hash of each of its words.
        help_text=_(
            "A reference, or one or more whole words of the name, in any order. Part of a word "
            "finds nothing."
        ),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    risk = forms.ChoiceField(label=_("Risk"), required=False)
    caseworker = forms.ChoiceField(label=_("Caseworker"), required=False)
    # A choice, not a checkbox: a checkbox takes any stray value as "on" and filters silently.
    overdue = forms.ChoiceField(
        label=_("Return plan"),
        required=False,
        choices=[("", _("Any")), ("1", _("An item overdue"))],
        help_text=_("Open cases with a return-plan item past its due date and not done."),
    )

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        anyone = [("", _("Any"))]
        self.fields["stage"].choices = anyone + [("open", _("Any open stage"))] + Stage.choices
        self.fields["country"].choices = anyone + Country.choices
        self.fields["risk"].choices = anyone + Risk.choices
        self.fields["caseworker"].choices = (
            anyone
            + [("none", _("Intake queue (open, unassigned)"))]
            + [(str(u.pk), u.get_full_name() or u.get_username()) for u in caseworkers]
        )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    partner = forms.CharField(
        label=_("Partner"),
        max_length=200,
        help_text=_("The organisation the person agrees their data may go to."),
    )
    wording = forms.CharField(
        label=_("Wording shown to the person"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    given_on = forms.DateField(label=_("Date given"), widget=DateInput)

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return given_on


class FollowUpForm(forms.Form):
    """How contact was made, one answer per survey indicator (or none), and the support the
    follow-up leads to."""

    contact = forms.ChoiceField(
        label=_("How contact was made"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
    )
    support = forms.MultipleChoiceField(
        label=_("Support this follow-up leads to (reopened, or added to the return plan)"),
        choices=[(s.value, s.label) for s in Service if s in REINTEGRATION_SERVICES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"answer_{indicator.pk}"] = forms.TypedChoiceField(
                label=indicator.question,
                choices=[("", _("No answer"))]
                + [(str(i), label) for i, label in enumerate(indicator.scale)],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def answer_fields(self):
        return [self[f"answer_{indicator.pk}"] for indicator in self.indicators]

    def answers(self) -> dict[int, int | None]:
        return {i.pk: self.cleaned_data[f"answer_{i.pk}"] for i in self.indicators}


class OutcomeEmailForm(forms.Form):
    wanted = forms.TypedChoiceField(
        choices=[("1", "yes"), ("0", "no")], coerce=lambda value: value == "1"
    )
