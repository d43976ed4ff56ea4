import html

from django import forms
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from iomuk.forms import HumanCheckForm, KeptFieldsForm, KeptSelect, SmallTableMultipleChoiceField

from .choices import (
    collation_key,
    reference_names,
    reference_options,
    reference_options_html,
)
from .models import (
    AccreditationState,
    Application,
    Country,
    Sector,
    language_in_its_own_words,
)

# Django's label for an empty choice: its own catalogue has no bg, cs, hu or ro for it yet, so
# ours (LOCALE_PATHS comes first) carries the translations.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class _ByTranslatedName(forms.models.ModelChoiceIterator):
    """Countries in the order of their names in the reader's language, not in English."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: collation_key(str(choice[1])))


class ReferenceSelect(forms.Select):
    """A <select> of a whole reference table, its options taken from the kept list.

    The same HTML as Django's `Select`, without reading the table or drawing each option
    through the template for every visitor.
    """

    template_name = "iris/widgets/reference_select.html"
    model = None
    empty_label = None

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not the options: below
        empty_label = str(self.empty_label) if self.empty_label is not None else None
        options = reference_options_html(
            self.model, empty_label=empty_label, chosen=set(context["widget"]["value"])
        )
        context["widget"]["options"] = mark_safe(options)  # noqa: S308 - values and names escaped
        return context


class ReferenceChoiceField(forms.ModelChoiceField):
    """One row of a whole reference table (a country, a sector), offered from the kept list."""

    widget = ReferenceSelect

    def __init__(self, *, queryset, **kwargs):
        super().__init__(queryset=queryset, **kwargs)
        self.widget.model = queryset.model
        self.widget.empty_label = self.empty_label


class ReferenceCodeField(forms.ChoiceField):
    """A reference table's code (a country's, a sector's) for a filter, which needs the code and
    not the row: checked against the kept list, so a valid choice costs no query. A row added
    since this process read its list is looked up in the table."""

    widget = ReferenceSelect
    default_error_messages = forms.ModelChoiceField.default_error_messages

    def __init__(self, *, model, empty_label, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.widget.model = model
        self.widget.empty_label = empty_label

    def valid_value(self, value):
        return value in reference_names(self.model, {value})


class CountriesField(forms.ModelMultipleChoiceField):
    iterator = _ByTranslatedName


class CountryChecklist(forms.SelectMultiple):
    """Every country as a checkbox, with no script needed: the UK and the four return countries
    first, then the others under the first letter of their name in the reader's language, each
    letter a <details> that opens by itself where a country in it is ticked, so a form that comes
    back with an error shows every choice kept."""

    template_name = "iris/widgets/country_checklist.html"
    use_fieldset = True  # the field's label is the legend of the group
    # The corridors most applicants name: the UK and the four countries people return to.
    FIRST = ("GB", "BG", "CZ", "HU", "RO")

    def id_for_label(self, id_, index=None):
        return ""  # a group of boxes: the legend names it, and each box has its own label

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not the options: below
        chosen = set(context["widget"]["value"])
        base_id = context["widget"]["attrs"].get("id") or name

        def box(code, label):
            # `label` comes escaped from the kept list.
            return {
                "value": code,
                "label": mark_safe(label),  # noqa: S308 - escaped by reference_options
                "id": f"{base_id}_{code}",
                "checked": code in chosen,
            }

        options = reference_options(Country)
        first = [(code, label) for code, label in options if code in self.FIRST]
        first.sort(key=lambda option: option[0] != self.FIRST[0])  # the UK, then by name
        groups = {}
        for code, label in options:
            if code not in self.FIRST:
                letter = collation_key(html.unescape(label))[:1].upper()
                groups.setdefault(letter, []).append(box(code, label))
        context["widget"]["first"] = [box(code, label) for code, label in first]
        context["widget"]["groups"] = [
            {"letter": letter, "boxes": boxes, "chosen": sum(b["checked"] for b in boxes)}
            for letter, boxes in groups.items()
        ]
        return context


MAX_TEXT = 5000


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or trading name"), required=False, max_length=100)
    country = ReferenceCodeField(
        label=_("Country"), model=Country, required=False, empty_label=_("Any country")
    )
    sector = ReferenceCodeField(
        label=_("Sector"), model=Sector, required=False, empty_label=_("Any sector")
    )


class VerifyForm(HumanCheckForm):
    number = forms.CharField(
        label=_("Accreditation number"),
        max_length=30,
        error_messages={"required": _("Enter the accreditation number.")},
        help_text=_(
            "As shown on the recruiter's certificate or website, for example IRIS-A-000123."
        ),
    )


class VerifyWidgetForm(forms.Form):
    """The verify widget's form: the same number, read like the open API (no start stamp, so a
    partner's link with ?number= works; the per-address throttle stops a script)."""

    number = VerifyForm.base_fields["number"]


class JoinForm(HumanCheckForm, forms.ModelForm):
    commits_to_code = forms.BooleanField(
        # The code itself is listed above the box, on the page (templates/iris/join.html).
        label=_("I agree"),
        error_messages={"required": _("Tick the box to commit to the code of conduct.")},
    )

    class Meta:
        model = Application
        fields = [
            "organisation_name",
            "organisation_type",
            "registration_number",
            "hq_country",
            "origin_countries",
            "destination_countries",
            "sectors",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "about",
            "commits_to_code",
        ]
        labels = {
            "origin_countries": _("Countries you recruit workers from"),
            "destination_countries": _("Countries you place workers in"),
            "contact_name": _("Contact name"),
            "contact_email": _("Contact email"),
            "contact_phone": _("Contact phone (optional)"),
            "sectors": _("Sectors"),
            "website": _("Website"),
        }
        field_classes = {
            "hq_country": ReferenceChoiceField,
            "origin_countries": CountriesField,
            "destination_countries": CountriesField,
            "sectors": SmallTableMultipleChoiceField,
        }
        widgets = {
            "origin_countries": CountryChecklist,
            "destination_countries": CountryChecklist,
            "sectors": forms.CheckboxSelectMultiple,
            "about": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        }
        error_messages = {
            "organisation_name": {"required": _("Enter the name of your organisation.")},
            "organisation_type": {"required": _("Select the type of your organisation.")},
            "hq_country": {"required": _("Select the country of your headquarters.")},
            "contact_name": {"required": _("Enter the name of the person to contact.")},
            "contact_email": {"required": _("Enter the email address of the person to contact.")},
        }

    def clean_about(self):
        about = self.cleaned_data["about"]
        if len(about) > MAX_TEXT:
            raise forms.ValidationError(_("Keep this under 5,000 characters."))
        return about


class WatchForm(KeptFieldsForm, HumanCheckForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"required": _("Enter your email address.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        error_messages={"required": _("Select the language of the emails.")},
        choices=[(code, language_in_its_own_words(code)) for code, _name in settings.LANGUAGES],
        widget=KeptSelect(key="iris-watch-language"),
    )


# Officers' forms: staff pages are in English only, so their words are not in the catalogue.
class StaffRecruiterFilterForm(forms.Form):
    q = forms.CharField(label="Name, accreditation number or address", required=False)
    state = forms.ChoiceField(
        label="Standing today",
        required=False,
        choices=[("", "Any"), *[(s.value, s.value.capitalize()) for s in AccreditationState]],
    )


class DecisionForm(forms.Form):
    """The words an officer gives with a decision: required where the decision needs them (the
    service checks it again, and the database too)."""

    LABELS = {
        "grant": ("Note (optional)", False),
        "renew": ("Review note: what was checked for this renewal", True),
        "suspend": ("Reason for the suspension (officers only, never public)", True),
        "lift": ("Note (optional)", False),
        "withdraw": ("Reason for the withdrawal (officers only, never public)", True),
    }

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        label, required = self.LABELS[kind]
        self.fields["text"].label = label
        self.fields["text"].required = required
        self.fields["text"].error_messages["required"] = f"{label.split(':')[0]} is required."
