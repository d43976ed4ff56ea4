"""The roster's records: recruiters, their countries and sectors, their accreditation decisions,
applications to join, watches and API keys. Fields, constraints and properties only: every
change is made by iris.recruiters.services (the search index, in roster_models.py, included)."""

import functools
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from iomuk.choice_labels import ChoiceLabels
from iomuk.references import code_random

# Named here for the modules that read them from the models (iris.complaints among them).
from .text import (  # noqa: F401
    accreditation_number_normalise,
    language_in_its_own_words,
    normalise_name,
)


class Country(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        # The name in the reader's language, from django-countries (ISO 3166); the English name
        # stored, through our catalogue, for a code the library does not know.
        return _library_country_name(self.code, get_language()) or gettext(self.name)


@functools.cache
def _library_country_name(code: str, language: str | None) -> str:
    """django-countries' name for `code` in `language` (the active one): the library's names
    are fixed for the life of a process, so each is looked up and translated once."""
    return countries.name(code)


class Sector(models.Model):
    code = models.SlugField(max_length=30, primary_key=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return gettext(self.name)


class AccreditationState(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACCREDITED = "accredited", _("Accredited")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# States in which an accreditation carries dates and a number, and can lapse by date.
DATED_STATES = [AccreditationState.ACCREDITED, AccreditationState.SUSPENDED]


class RecruiterQuerySet(models.QuerySet):
    def touch(self) -> int:
        """Mark these recruiters changed (the API's Last-Modified reads `updated_at`): called by
        the services, as a row their public answer reads changed without their own row."""
        return self.update(updated_at=timezone.now())

    def with_current_state(self):
        """Annotate `current_state`: the stored state, or expired once valid_until has passed."""
        return self.annotate(
            current_state=Case(
                When(
                    state__in=DATED_STATES,
                    valid_until__lt=timezone.localdate(),
                    then=Value(AccreditationState.EXPIRED.value),
                ),
                default=F("state"),
                output_field=models.CharField(),
            )
        )

    def on_roster(self):
        """Accredited and suspended recruiters whose accreditation has not lapsed."""
        return self.filter(state__in=DATED_STATES, valid_until__gte=timezone.localdate())


class Recruiter(ChoiceLabels, models.Model):
    """A recruitment agency or employer and its IRIS accreditation."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_names = models.TextField(
        _("other trading names"), blank=True, help_text=_("One per line.")
    )
    slug = models.SlugField(max_length=220, unique=True)
    registration_number = models.CharField(
        _("registration or licence number"), max_length=80, blank=True
    )
    hq_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("headquarters country")
    )
    countries = models.ManyToManyField(
        Country, through="RecruiterCountry", related_name="recruiters", blank=True
    )
    sectors = models.ManyToManyField(Sector, related_name="recruiters", blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Legal and trading names, normalised, so both databases search the same text.
    search_name = models.TextField(editable=False, default="")

    state = models.CharField(
        max_length=12, choices=AccreditationState, default=AccreditationState.APPLICANT
    )
    accreditation_number = models.CharField(max_length=30, null=True, blank=True, unique=True)
    granted_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every change to what the recruiter's public page and API answer show, its
    # sectors, countries and their names included: the services set it (see `touch`).
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecruiterQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["legal_name"]
        indexes = [
            models.Index(fields=["state", "valid_until", "legal_name"]),
            # The roster's order: its first page is read off this index, not sorted from 100,000.
            models.Index(fields=["legal_name", "id"], name="iris_recruiter_roster_order"),
            # The roster's newest change (the API's Last-Modified) read off an index.
            models.Index(fields=["updated_at"], name="iris_recruiter_updated_at"),
            # How many are on the roster (the API's `count`, on each page) read off this narrow
            # index of the listed alone, not counted from every recruiter's row.
            models.Index(
                fields=["valid_until"],
                include=["id"],  # what the count counts: the rows are never read
                condition=Q(state__in=DATED_STATES),
                name="iris_recruiter_listed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AccreditationState.values), name="iris_recruiter_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=DATED_STATES)
                | Q(
                    accreditation_number__isnull=False,
                    granted_on__isnull=False,
                    valid_until__isnull=False,
                ),
                name="iris_recruiter_accredited_has_number_and_dates",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(granted_on__isnull=True)
                | Q(valid_until__gte=F("granted_on")),
                name="iris_recruiter_valid_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def compute_search_name(self) -> str:
        return normalise_name(" ".join([self.legal_name, *self.trading_name_list]))

    @property
    def trading_name_list(self) -> list[str]:
        return [line.strip() for line in self.trading_names.splitlines() if line.strip()]

    @property
    def effective_state(self) -> str:
        """The state as of today: an accreditation past its date is expired."""
        if (
            self.state in DATED_STATES
            and self.valid_until
            and self.valid_until < timezone.localdate()
        ):
            return AccreditationState.EXPIRED.value
        return self.state

    @property
    def effective_state_label(self) -> str:
        return AccreditationState(self.effective_state).label

    @property
    def is_valid_today(self) -> bool:
        return self.effective_state == AccreditationState.ACCREDITED


class RecruiterCountry(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        ORIGIN = "origin", _("Recruits workers from")
        DESTINATION = "destination", _("Places workers in")

    recruiter = models.ForeignKey(Recruiter, on_delete=models.CASCADE, related_name="operations")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind)

    class Meta:
        verbose_name = _("country of operation")
        verbose_name_plural = _("countries of operation")
        constraints = [
            models.UniqueConstraint(
                fields=["recruiter", "country", "kind"], name="iris_recruitercountry_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["origin", "destination"]), name="iris_recruitercountry_kind"
            ),
        ]
        indexes = [models.Index(fields=["country", "recruiter"])]

    def __str__(self) -> str:
        return f"{self.country} ({self.get_kind_display()})"


class AccreditationDecision(ChoiceLabels, models.Model):
    """One decision on a recruiter's accreditation, as IRIS took it: the standing's history.

    The state and dates it left are public (the recruiter's page and the API show them); the
    reason or review note is for IRIS officers only. Written only by the decision services.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", _("Accredited")
        RENEW = "renew", _("Renewed")
        SUSPEND = "suspend", _("Suspended")
        LIFT = "lift", _("Suspension lifted")
        WITHDRAW = "withdraw", _("Withdrawn")
        EXPIRE = "expire", _("Expired")

    # The decisions that must say why: a suspension, a withdrawal, and a renewal's review.
    NEEDS_REASON = [Kind.SUSPEND, Kind.RENEW, Kind.WITHDRAW]

    recruiter = models.ForeignKey(Recruiter, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind)
    # The standing the decision left: what the public history shows.
    state = models.CharField(max_length=12, choices=AccreditationState)
    granted_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    # None when the system decided (an accreditation past its date expires by itself).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["recruiter", "decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["grant", "renew", "suspend", "lift", "withdraw", "expire"]),
                name="iris_decision_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["suspend", "renew", "withdraw"]) | ~Q(reason=""),
                name="iris_decision_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_at:%Y-%m-%d})"


def new_application_reference() -> str:
    return code_random("IRIS-J-######")


class Application(ChoiceLabels, models.Model):
    """A request to join the IRIS alliance, reviewed by an IRIS officer."""

    class OrgType(models.TextChoices):
        RECRUITER = "recruiter", _("Recruiter or labour provider")
        EMPLOYER = "employer", _("Employer")
        GOVERNMENT = "government", _("Government body")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    # Given to the applicant on the confirmation page and in its email, to quote when writing.
    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        editable=False,
        default=new_application_reference,
    )
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    organisation_type = models.CharField(_("type"), max_length=20, choices=OrgType)
    registration_number = models.CharField(
        _("registration or licence number"), max_length=80, blank=True
    )
    hq_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("headquarters country")
    )
    origin_countries = models.ManyToManyField(Country, related_name="+", blank=True)
    destination_countries = models.ManyToManyField(Country, related_name="+", blank=True)
    sectors = models.ManyToManyField(Sector, related_name="+", blank=True)
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40, blank=True)
    about = models.TextField(_("about the organisation"), blank=True)
    commits_to_code = models.BooleanField(_("commits to the IRIS code of conduct"))
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en-gb")
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recruiter = models.ForeignKey(
        Recruiter, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(commits_to_code=True), name="iris_app_commits"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "accepted", "rejected"]),
                name="iris_app_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation_name


class ApiKey(models.Model):
    """A registered partner's key to the open roster API: a higher rate limit, nothing more.

    Only a hash of the key is kept; the key itself is shown once, when it is issued. A key reads
    `iris_<prefix>_<secret>`: the prefix, kept in clear, tells staff and the partner which key
    is which (in a log, a leak report, the list of keys) without revealing it.
    """

    name = models.CharField("partner", max_length=120)
    # Blank for a key issued before keys had one.
    prefix = models.CharField(max_length=6, blank=True, default="", editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Noted at most once an hour (API_KEY_USE_NOTED_EVERY), not on every request.
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="iris_apikey_hash_is_sha256"
            ),
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^([0-9a-f]{6})?$"), name="iris_apikey_prefix_is_hex"
            ),
            models.UniqueConstraint(
                fields=["prefix"], condition=~Q(prefix=""), name="iris_apikey_prefix_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_watch_token() -> str:
    return secrets.token_urlsafe(32)


class RecruiterWatch(ChoiceLabels, models.Model):
    """Someone who asked to be told when a recruiter's standing changes.

    The token in every link is random: it names no one. An unconfirmed watch is sent nothing
    but its confirmation link, and is deleted after IRIS_WATCH_UNCONFIRMED_DAYS.
    """

    recruiter = models.ForeignKey(Recruiter, on_delete=models.CASCADE, related_name="watches")
    email = models.EmailField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en-gb")
    token = models.CharField(max_length=64, unique=True, default=new_watch_token)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last notice written for this watch: a notice task run twice writes it once.
    last_notice = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("recruiter", Lower("email"), name="iris_watch_one_per_address"),
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]

    def __str__(self) -> str:
        return f"watch #{self.pk} of {self.recruiter_id}"


# The contact check's records, kept in their own module (see contacts.py).
from .contacts import ContactKind, ImpostorContact, RecruiterContact  # noqa: E402, F401
