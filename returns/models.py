"""Voluntary return and reintegration cases: special-category data about survivors.

The four return countries, the stages and the consent to return are held by database
check constraints as well as by the forms, so no path (form, admin, import, shell) can
store a case IOM UK cannot serve.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iomuk.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)


class Country(models.TextChoices):
    BULGARIA = "BG", _("Bulgaria")
    CZECHIA = "CZ", _("Czech Republic (Czechia)")
    HUNGARY = "HU", _("Hungary")
    ROMANIA = "RO", _("Romania")


class Stage(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ELIGIBILITY_CHECKED = "eligibility_checked", _("Eligibility checked")
    APPROVED = "approved", _("Approved")
    TRAVEL_ARRANGED = "travel_arranged", _("Travel arranged")
    DEPARTED = "departed", _("Departed")
    REINTEGRATION = "reintegration_support", _("Reintegration support")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


CLOSED_STAGES = [Stage.CLOSED, Stage.WITHDRAWN, Stage.NOT_ELIGIBLE]


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReferrerType(models.TextChoices):
    CHARITY = "charity", _("Charity")
    POLICE = "police", _("Police")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    FIRST_RESPONDER = "first_responder", _("Other first responder")
    SELF = "self", _("Self-referral")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    NOT_SAID = "not_said", _("Prefers not to say")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    VERBAL_INTERPRETER = "verbal_interpreter", _("Verbal, with an interpreter")
    VERBAL = "verbal", _("Verbal, in a language the person understands")


class NrmStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    NOT_REFERRED = "not_referred", _("Not referred to the NRM")
    AWAITING = "awaiting", _("Referred, awaiting a decision")
    POSITIVE_REASONABLE = "positive_reasonable", _("Positive reasonable grounds decision")
    POSITIVE_CONCLUSIVE = "positive_conclusive", _("Positive conclusive grounds decision")
    NEGATIVE = "negative", _("Negative decision")


class TravelDocument(models.TextChoices):
    PASSPORT = "passport", _("Valid passport")
    ID_CARD = "id_card", _("Valid identity card")
    EXPIRED = "expired", _("Expired document")
    NONE = "none", _("None: an emergency travel document is needed")


class FitToFly(models.TextChoices):
    FIT = "fit", _("Fit to fly")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs a medical assessment")
    NOT_FIT = "not_fit", _("Not fit to fly at present")


def _choice_values(choices) -> list[str]:
    return [value for value, _label in choices.choices]


class ReturnCase(models.Model):
    """One survivor's voluntary return, made from one referral."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage, default=Stage.REFERRED)
    # Optimistic locking: every change names the version it was made from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_referrals"
    )
    assigned_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_return_cases",
        verbose_name=_("assigned caseworker"),
    )

    # The referrer
    referrer_type = models.CharField(_("organisation type"), max_length=20, choices=ReferrerType)
    referrer_name = models.CharField(_("referrer's name"), max_length=150)
    referrer_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    referrer_contact = models.CharField(
        _("referrer's phone or email"), max_length=200, help_text=_("How we reach you.")
    )

    # The person
    full_name = EncryptedCharField(_("full name"), max_length=200)
    # Keyed hashes of the name's words: the case list finds a case by whole words of the name,
    # which is encrypted. Not kept in the history, which is never searched.
    name_index = BlindIndexField(source="full_name")
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender)
    nationality = EncryptedCharField(_("nationality"), max_length=100)
    languages = EncryptedCharField(_("languages spoken"), max_length=200)
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    safe_contact_details = EncryptedTextField(
        _("safe contact details"),
        help_text=_("Only a phone number or address that is safe to use."),
    )
    safe_times_to_call = models.CharField(_("when it is safe to call"), max_length=200, blank=True)

    # The return
    country = models.CharField(_("country of return"), max_length=2, choices=Country)
    destination_town = models.CharField(_("destination town"), max_length=100)

    # Consent
    consent_to_return = models.BooleanField(_("the person consents to return"), default=False)
    consent_to_share = models.BooleanField(
        _("the person consents to sharing their data with the named partners"), default=False
    )
    consent_partners = models.CharField(
        _("named partners"), max_length=300, blank=True, help_text=_("Who the data may go to.")
    )
    consent_method = models.CharField(
        _("how consent was given"), max_length=20, choices=ConsentMethod
    )
    consent_given_on = models.DateField(_("date consent was given"))
    consent_wording = EncryptedTextField(_("consent wording shown to the person"))

    # Status and risk
    nrm_status = models.CharField(
        _("National Referral Mechanism status"),
        max_length=20,
        choices=NrmStatus,
        default=NrmStatus.UNKNOWN,
    )
    risk = models.CharField(_("risk of re-trafficking"), max_length=6, choices=Risk)
    safeguarding_notes = EncryptedTextField(_("safeguarding notes"), blank=True)
    dependants_travelling = models.PositiveSmallIntegerField(_("dependants travelling"), default=0)

    # Needs
    travel_document = models.CharField(_("travel document"), max_length=10, choices=TravelDocument)
    departure_airport = models.CharField(_("departure airport"), max_length=100, blank=True)
    earliest_travel_date = models.DateField(_("earliest travel date"), null=True, blank=True)
    escort_needed = models.BooleanField(_("an escort is needed for the journey"), default=False)
    fit_to_fly = models.CharField(
        _("fitness to fly"), max_length=20, choices=FitToFly, default=FitToFly.FIT
    )
    fitness_to_fly_notes = EncryptedTextField(_("fitness to fly notes"), blank=True)
    land_transport_needed = models.BooleanField(
        _("land transport to the destination town is needed"), default=True
    )
    health_notes = EncryptedTextField(_("health and medical notes"), blank=True)
    reintegration_notes = EncryptedTextField(_("reintegration notes"), blank=True)
    # When retention removed the person's data; stage, country and dates stay for the figures.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["name_index"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("return case")
        default_permissions = ("view", "change")
        permissions = [
            ("view_all_cases", "Can see every return case"),
            ("assign_case", "Can assign return cases to caseworkers"),
            ("approve_case", "Can approve a return"),
            ("submit_referral", "Can submit a return referral"),
            ("view_case_access_log", "Can read who saw and changed a case"),
        ]
        indexes = [models.Index(fields=["stage", "country"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__in=_choice_values(Country)),
                name="returns_case_country_is_served",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=_choice_values(Stage)),
                name="returns_case_stage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk__in=_choice_values(Risk)),
                name="returns_case_risk_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_to_return=True),
                name="returns_case_has_consent_to_return",
            ),
        ]

    def __str__(self) -> str:
        # References only: names never go into admin messages, logs or breadcrumbs.
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


class ReferenceCounter(models.Model):
    """The last case number used in a year; locked while a reference is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class CaseTransition(models.Model):
    """One move of a case between stages: who, when and why."""

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=30, choices=Stage, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = EncryptedTextField()

    class Meta:
        ordering = ["at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage or '-'} → {self.to_stage}"


class Service(models.TextChoices):
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    FLIGHT = "flight", _("Flight")
    LAND_TRANSPORT = "land_transport", _("Land transport")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial care")
    LABOUR_MARKET = "labour_market", _("Labour market orientation")


REINTEGRATION_SERVICES = [
    Service.SHELTER,
    Service.MEDICAL,
    Service.PSYCHOSOCIAL,
    Service.LABOUR_MARKET,
]


class PlanStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


class ReturnPlanItem(models.Model):
    """One service in a case's return plan."""

    Status = PlanStatus
    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="plan_items")
    service = models.CharField(_("service"), max_length=20, choices=Service)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus, default=PlanStatus.TO_DO
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        default_permissions = ("view", "change")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"], name="returns_plan_one_per_service"
            ),
            models.CheckConstraint(
                condition=models.Q(service__in=_choice_values(Service)),
                name="returns_plan_service_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=_choice_values(PlanStatus)),
                name="returns_plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.status})"


class CaseNote(models.Model):
    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"note {self.pk}"


def _opaque_name(instance, filename: str) -> str:
    # The stored name says nothing about the person or the file: the original is kept in the row.
    return f"returns/{secrets.token_hex(20)}"


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity or travel document")
        CONSENT = "consent", _("Signed consent")
        MEDICAL = "medical", _("Medical or fitness to fly")
        TRAVEL = "travel", _("Tickets and itinerary")
        OTHER = "other", _("Other")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind of document"), max_length=10, choices=Kind)
    # File names name people ("Elena_Popescu_passport_RO.pdf"): encrypted, as the name is.
    original_name = EncryptedCharField(max_length=200)
    file = models.FileField(upload_to=_opaque_name, max_length=100)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=50)

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view", "add")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="returns_document_type_allowed",
            )
        ]

    def __str__(self) -> str:
        return f"document {self.pk}"
