"""Voluntary return and reintegration cases: special-category data about survivors.

The four return countries, the stages and the consent to return are held by database
check constraints as well as by the forms, so no path (form, admin, import, shell) can
store a case IOM UK cannot serve.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iomuk.choice_labels import ChoiceLabels
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


class NotEligibleReason(models.TextChoices):
    """Why a referral was not eligible, as a category a referrer may be told (never the free
    text of the move's reason)."""

    COUNTRY = "country", _("The return is to a country this programme does not serve")
    CIRCUMSTANCES = "circumstances", _("The person's circumstances do not fit this programme")
    OTHER_ROUTE = "other_route", _("Another return route suits the person better")
    OTHER = "other", _("Another reason")


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


class ReturnCase(ChoiceLabels, models.Model):
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
    not_eligible_reason = models.CharField(
        _("why not eligible"), max_length=20, choices=NotEligibleReason, blank=True
    )
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
            ("subject_access", "Can export, or erase, everything held about a case's person"),
        ]
        indexes = [
            models.Index(fields=["stage", "country"]),
            # The case list, newest first: its page is read from here, not sorted from every case.
            models.Index(fields=["created_at", "id"], name="returns_case_newest"),
        ]
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
            models.CheckConstraint(
                condition=models.Q(
                    not_eligible_reason__in=["", *_choice_values(NotEligibleReason)]
                ),
                name="returns_case_not_eligible_reason_valid",
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


class CaseTransition(ChoiceLabels, models.Model):
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


class ReturnPlanItem(ChoiceLabels, models.Model):
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


class CaseDocument(ChoiceLabels, models.Model):
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


# After the return: consent per purpose and partner, follow-ups and the sustainability survey.


class ConsentPurpose(models.TextChoices):
    RETURN = "return", _("Return")
    REINTEGRATION = "reintegration", _("Reintegration services in the country of return")
    FOLLOW_UP = "follow_up", _("Follow-up calls")


class CaseConsent(ChoiceLabels, models.Model):
    """What the person agreed to share, for one purpose with one partner; withdrawn, it stays
    on record with who recorded the withdrawal and when."""

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose)
    partner = models.CharField(
        _("partner"), max_length=200, help_text=_("The organisation the data may go to.")
    )
    wording = EncryptedTextField(_("wording shown to the person"))
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("date withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["purpose", "pk"]
        default_permissions = ("view", "change")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=_choice_values(ConsentPurpose)),
                name="returns_consent_purpose_valid",
            ),
            # A withdrawal is recorded whole: its date and who recorded it, or neither.
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | models.Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="returns_consent_withdrawal_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class FollowUpState(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    PARTNER_VISIT = "partner_visit", _("Visit by a partner")
    MESSAGE = "message", _("Message")
    NOT_REACHED = "not_reached", _("Could not reach the person")


class FollowUp(ChoiceLabels, models.Model):
    """One follow-up after departure (3, 6 or 12 months by default), due on a date."""

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after departure"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=FollowUpState, default=FollowUpState.DUE
    )
    contact = models.CharField(
        _("how contact was made"), max_length=20, choices=ContactMethod, blank=True
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The caseworker's reminder goes once: this is set in the transaction that queues it.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        default_permissions = ("view", "change")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "months"], name="returns_followup_one_per_time"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=_choice_values(FollowUpState)),
                name="returns_followup_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(contact__in=["", *_choice_values(ContactMethod)]),
                name="returns_followup_contact_valid",
            ),
            # Done means recorded: how contact was made and when.
            models.CheckConstraint(
                condition=~models.Q(state=FollowUpState.DONE)
                | (~models.Q(contact="") & models.Q(done_on__isnull=False)),
                name="returns_followup_done_is_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.months} months"

    @property
    def reached(self) -> bool:
        return self.state == FollowUpState.DONE and self.contact != ContactMethod.NOT_REACHED


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class SurveyIndicator(ChoiceLabels, models.Model):
    """One indicator of the Reintegration Sustainability Survey: its question, dimension,
    answer scale (worst first) and weight. Data, not code: edited in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    dimension = models.CharField(max_length=20, choices=Dimension)
    position = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=300)
    # The answers a person may give, from the least to the most sustainable.
    scale = models.JSONField()
    weight = models.DecimalField(max_digits=5, decimal_places=3, default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["dimension", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dimension__in=_choice_values(Dimension)),
                name="returns_indicator_dimension_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="returns_indicator_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        # A scale needs two answers at least for an answer's place on it to mean anything.
        scale = self.scale
        if not (
            isinstance(scale, list)
            and len(scale) >= 2
            and all(isinstance(label, str) and label.strip() for label in scale)
        ):
            raise ValidationError(
                {"scale": "A list of at least two answers, least sustainable first."}
            )


class SurveyAnswer(models.Model):
    """The person's answer to one indicator at one follow-up: the position on its scale,
    encrypted as the other personal fields are."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(SurveyIndicator, on_delete=models.PROTECT, related_name="+")
    answer = EncryptedCharField(max_length=10)

    class Meta:
        default_permissions = ("view", "add")
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "indicator"], name="returns_answer_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class SupportAction(models.TextChoices):
    REOPENED = "reopened", _("Reopened")
    ADDED = "added", _("Added")


class FollowUpSupport(ChoiceLabels, models.Model):
    """What support a follow-up led to: a return-plan service reopened or added."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="support")
    service = models.CharField(max_length=20, choices=Service)
    action = models.CharField(max_length=10, choices=SupportAction)

    class Meta:
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.service} {self.action}"


class ReferrerOutcomeEmail(models.Model):
    """The referrer asked to be emailed when the outcome of this referral changes."""

    case = models.OneToOneField(
        ReturnCase, on_delete=models.CASCADE, related_name="outcome_email", primary_key=True
    )
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id}"
