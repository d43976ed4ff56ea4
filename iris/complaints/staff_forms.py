"""The IRIS officers' forms for complaints. Staff pages are English only: no catalogue strings.

The forms check what was sent; the rules (which move, which referral, which match) are the
services'.
"""

from datetime import date

from django import forms
from django.conf import settings

from iomuk.forms import DateInput
from iris.recruiters.models import AccreditationState, Country, Recruiter

from .message_templates import message_template_choices
from .models import Complaint
from .services import MAX_BODY, complaint_next_stages

TOO_LONG = f"Keep it to {MAX_BODY} characters at most: it was not saved. Shorten it and send again."


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A reference, a recruiter's name (listed or not), or a country.",
    )
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")])
    matching = forms.BooleanField(label="Needs matching", required=False)
    danger = forms.BooleanField(label="Someone in danger", required=False)
    overdue = forms.BooleanField(label="Overdue", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any stage"), *_english(Complaint.Stage.choices)]


def _english(choices) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in choices]


class ComposeForm(forms.Form):
    """One way to write on a complaint: to the complainant, or an internal note, chosen each
    time; a message is a ready-made one in their language or own words in a stated language.
    A stage move may go with it, from the stage the officer saw."""

    MESSAGE, NOTE = "message", "note"
    kind = forms.ChoiceField(
        label="Who reads it?",
        widget=forms.RadioSelect,
        choices=[
            (
                MESSAGE,
                "Sent to the complainant (they see it when tracking; emailed that there is news)",
            ),
            (NOTE, "Internal note (officers only, never shown to the complainant)"),
        ],
        error_messages={
            "required": "Choose whether this is sent to the complainant or kept "
            "as an internal note."
        },
    )
    template = forms.ChoiceField(
        label="Message",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "My own words, below"), *message_template_choices()],
    )
    body = forms.CharField(
        label="Your own words",
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG},
    )
    language = forms.ChoiceField(
        label="The language your own words are in",
        choices=[("", "Choose"), *settings.LANGUAGES],
        required=False,
    )
    # The stage the officer saw: a move with it is refused if someone moved it meanwhile.
    from_stage = forms.ChoiceField(
        choices=Complaint.Stage.choices, widget=forms.HiddenInput, required=False
    )
    to_stage = forms.ChoiceField(label="Also move it to", required=False)

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, initial={"from_stage": complaint.stage}, **kwargs)
        name, own = (
            complaint.get_preferred_language_display(),
            complaint.preferred_language_own_name,
        )
        self.reads = name if name == own else f"{name} ({own})"
        if complaint.preferred_language == settings.LANGUAGE_CODE:
            self.fields["language"].initial = settings.LANGUAGE_CODE
        # Any stage is accepted here (the service says whether the move is allowed); the page
        # offers the moves from the stage the complaint is at.
        self.fields["to_stage"].choices = [("", "Leave the stage as it is")] + _english(
            Complaint.Stage.choices
        )
        self.offered = _moves(complaint)

    def clean(self):
        data = super().clean()
        body = data.get("body", "").strip()
        if data.get("to_stage") and not data.get("from_stage"):
            raise forms.ValidationError("Reload the page and choose the move again.")
        if data.get("kind") == self.NOTE:
            if data.get("template"):
                raise forms.ValidationError(
                    "A ready-made message goes to the complainant, "
                    "not into a note: write the note in your words."
                )
            if not body and "body" not in self.errors:
                raise forms.ValidationError("Write the note.")
            return data
        if "body" in self.errors:
            return data
        if not data.get("template") and not body:
            raise forms.ValidationError("Choose a message or write your own.")
        if data.get("template") and body:
            raise forms.ValidationError("Choose a message or write your own, not both.")
        if body and not data.get("language"):
            raise forms.ValidationError("Say which language your own words are in.")
        if not data.get("language"):
            data["language"] = settings.LANGUAGE_CODE  # unused: a template is in their language
        return data


def _moves(complaint: Complaint) -> list[tuple[str, str]]:
    return [
        (stage, str(Complaint.Stage(stage).label)) for stage in complaint_next_stages(complaint)
    ]


class StageMoveForm(forms.Form):
    """One move along the workflow, from the stage the officer saw; the service checks the rules."""

    from_stage = forms.ChoiceField(choices=Complaint.Stage.choices, widget=forms.HiddenInput)
    to_stage = forms.ChoiceField(
        label="Move it to",
        choices=_english(Complaint.Stage.choices),
        error_messages={"required": "Choose where to move it."},
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, initial={"from_stage": complaint.stage}, **kwargs)
        self.offered = _moves(complaint)


class ReferForm(forms.Form):
    authority = forms.CharField(label="Authority", max_length=200)
    country = forms.ModelChoiceField(label="Its country", queryset=Country.objects.all())
    referred_on = forms.DateField(label="Referred on", initial=date.today, widget=DateInput)
    their_reference = forms.CharField(label="Their reference", max_length=100, required=False)


class MatchForm(forms.Form):
    recruiter = forms.ModelChoiceField(
        queryset=Recruiter.objects.exclude(state=AccreditationState.APPLICANT),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That recruiter is not on the roster any more."},
    )
