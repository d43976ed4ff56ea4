"""Forms of the contact check: the public box, and officers' forms for contacts and impostors
(staff pages are in English, as the rest of the officers' pages)."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from iomuk.forms import DateInput, HumanCheckForm

from .contact_keys import LANGUAGE_REGIONS, REGIONS
from .contacts import ContactKind


def region_choices():
    return [(code, countries.name(code)) for code in REGIONS]


def region_for_language(language: str | None) -> str:
    """The country a number written the local way most likely comes from, by the page's
    language (a reader of the Romanian page pastes a Romanian number)."""
    return LANGUAGE_REGIONS.get((language or "").lower(), "GB")


class _CountryByLanguage:
    """The phone number's country defaults to the one the page's language suggests."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = region_for_language(translation.get_language())

    def clean_country(self) -> str:
        return self.cleaned_data.get("country") or region_for_language(translation.get_language())


class ContactCheckForm(_CountryByLanguage, HumanCheckForm):
    contact = forms.CharField(
        label=_("Paste the phone number, website, email or name of the person who contacted you"),
        max_length=200,
        error_messages={
            "required": _("Paste or type the contact you were given."),
            "max_length": _("This is too long for a contact: paste only the number or address."),
        },
        help_text=_("For example a WhatsApp number, a Facebook page or an email address."),
    )
    country = forms.TypedChoiceField(
        label=_("Country of the phone number, if it has no country code"),
        choices=region_choices,
        required=False,
    )


class ContactCheckWidgetForm(_CountryByLanguage, forms.Form):
    """The widget's box: read by GET, as the verify widget's (the throttle stops a script)."""

    contact = ContactCheckForm.base_fields["contact"]
    country = ContactCheckForm.base_fields["country"]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices)
    value = forms.CharField(
        label="Contact",
        max_length=200,
        help_text="A phone number (with its country code, or choose its country), a website, "
        "an email address or domain, a social media page, or an agent's full name.",
    )
    region = forms.ChoiceField(
        label="Country of a phone number written without its country code",
        choices=region_choices,
        initial="GB",
    )
    note = forms.CharField(
        label="Note for officers (optional)",
        max_length=200,
        required=False,
        help_text="Where it came from, for example: asked for by the recruiter by letter.",
    )


class ImpostorForm(ContactForm):
    kind = forms.ChoiceField(choices=[c for c in ContactKind.choices if c[0] != "agent"])
    reported_on = forms.DateField(label="Reported on", widget=DateInput)

    field_order = ["kind", "value", "region", "reported_on", "note"]
