import functools
from datetime import date

from django import forms
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from iomuk.forms import HumanCheckForm, KeptFieldsForm, KeptSelect

from . import services
from .models import AdaptedSessionRequest, Booking, Region, Sector, Session

# A month's name, written in the language the form is drawn in: the training pages are in
# English (base.html's `content_language`), whatever the visitor's language.
_month_name = lazy(lambda first: formats.date_format(first, "F Y"), str)


@functools.lru_cache(maxsize=4)
def _months(today: date) -> list[tuple[str, str]]:
    """The twelve months from today's, as choices: made once a day per process."""
    months = [("", _("Any month"))]
    year, month = today.year, today.month
    for _i in range(12):
        months.append((f"{year:04d}-{month:02d}", _month_name(date(year, month, 1))))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class SessionFilterForm(KeptFieldsForm, forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Any format")), *Session.Format.choices],
        widget=KeptSelect(key="training-filter-format"),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *Region.choices],
        widget=KeptSelect(key="training-filter-region"),
    )
    month = forms.ChoiceField(label=_("Month"), required=False)
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *Sector.choices],
        widget=KeptSelect(key="training-filter-audience"),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["month"].choices = _months(today)

    def kept_key(self) -> tuple:
        return (self.today,)  # the months offered start at today's

    def cleaned_filters(self) -> dict:
        if not self.is_valid():
            return {}
        filters = {k: v for k, v in self.cleaned_data.items() if v}
        if "month" in filters:
            year, month = filters["month"].split("-")
            filters["month"] = (int(year), int(month))
        return filters


class BookingForm(KeptFieldsForm, HumanCheckForm, forms.ModelForm):
    # No consent box: the emails about the session (confirmation, changes, reminder,
    # certificate) are the service the person asked for when they booked.
    class Meta:
        model = Booking
        fields = [
            "name",
            "email",
            "organisation",
            "sector",
            "job_title",
            "requirements",
        ]
        widgets = {
            "sector": KeptSelect(key="training-booking-sector"),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "email": _("We send your confirmation and the link to your booking here."),
            "requirements": _("For example step-free access, a hearing loop or dietary needs."),
        }
        error_messages = {
            "name": {"required": _("Enter your full name.")},
            "email": {
                "required": _("Enter your work email address."),
                "invalid": _("Enter an email address like name@example.org."),
            },
            "organisation": {"required": _("Enter the name of your organisation.")},
            "sector": {"required": _("Select your sector.")},
            "job_title": {"required": _("Enter your job title.")},
        }


class AdaptedSessionRequestForm(HumanCheckForm, forms.ModelForm):
    people = forms.IntegerField(
        label=_("How many people"),
        min_value=1,
        max_value=500,
        error_messages={"required": _("Enter how many people would come.")},
    )

    class Meta:
        model = AdaptedSessionRequest
        fields = [
            "organisation",
            "contact_name",
            "email",
            "phone",
            "sector",
            "people",
            "preferred_dates",
            "format",
            "needs",
        ]
        widgets = {"needs": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "preferred_dates": _("For example: any Tuesday in March, or the week of 14 April."),
            "needs": _("Who the team are, what they meet in their work, and anything to adapt."),
        }
        error_messages = {
            "organisation": {"required": _("Enter the name of your organisation.")},
            "contact_name": {"required": _("Enter the name of the person to contact.")},
            "email": {"required": _("Enter the email address to reply to.")},
            "sector": {"required": _("Select your sector.")},
            "preferred_dates": {"required": _("Enter the dates that would suit you.")},
            "format": {"required": _("Select a format.")},
            "needs": {"required": _("Tell us what you need.")},
        }


class CertificateCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=60,
        help_text=_("It is printed at the foot of the certificate, for example CPD-ABCD-2345."),
        error_messages={"required": _("Enter the code printed on the certificate.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AttendanceForm(forms.Form):
    """One present/absent/unknown choice for each confirmed booking of a session."""

    CHOICES = [("", _("Not marked")), ("yes", _("Present")), ("no", _("Absent"))]

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            initial = {True: "yes", False: "no"}.get(booking.attended, "")
            self.fields[f"b{booking.pk}"] = forms.ChoiceField(
                label=booking.name,
                choices=self.CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def rows(self):
        return [(booking, self[f"b{booking.pk}"]) for booking in self.bookings]

    def attended(self) -> dict[int, bool | None]:
        values = {"yes": True, "no": False, "": None}
        return {b.pk: values[self.cleaned_data[f"b{b.pk}"]] for b in self.bookings}


# Paths under /training/ that a session's slug must not take.
RESERVED_SLUGS = {"request", "bookings", "certificates"}


# What a coordinator edits, listed once and grouped as the admin page shows it.
SESSION_EDIT_GROUPS = [
    (None, ["course", "slug"]),
    (_("When"), ["starts_at", "ends_at", "booking_deadline"]),
    (_("Where"), ["format", "venue", "address", "region", "online_link"]),
    (_("Seats"), ["capacity"]),
]


class SessionAdminForm(forms.ModelForm):
    # The version this coordinator saw; a colleague's save in between is not overwritten.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.version

    class Meta:
        model = Session
        fields = [name for _group, names in SESSION_EDIT_GROUPS for name in names]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is used by another page; choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            held = self.instance.bookings.filter(state__in=Booking.SEAT_STATES).count()
            if capacity < held:
                self.add_error(
                    "capacity",
                    _("%(held)s seats are already taken or offered; cancel bookings first.")
                    % {"held": held},
                )
        fmt = cleaned.get("format")
        if fmt == Session.Format.IN_PERSON and not (cleaned.get("venue") and cleaned.get("region")):
            self.add_error("venue", _("An in-person session needs a venue and a region."))
        if fmt == Session.Format.ONLINE and not cleaned.get("online_link"):
            self.add_error("online_link", _("An online session needs a joining link."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        deadline = cleaned.get("booking_deadline")
        if starts and deadline and deadline > starts:
            self.add_error("booking_deadline", _("Booking must close before the session starts."))
        if self.instance.pk:
            # The admin saves inside the same transaction, so this row lock lasts until the save.
            try:
                services.session_lock_at_version(
                    session_id=self.instance.pk, expected_version=cleaned.get("loaded_version") or 0
                )
            except services.SessionConflict as exc:
                raise forms.ValidationError(str(exc)) from exc
        return cleaned
