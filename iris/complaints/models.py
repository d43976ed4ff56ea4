"""The complaints mechanism's records: a complaint, its stages, messages, notes, additions,
referrals and evidence. The recruiters they may name live in iris.recruiters.models."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iomuk.choice_labels import ChoiceLabels
from iomuk.fields import EncryptedTextField
from iris.recruiters.models import Country, Recruiter, language_in_its_own_words


class ComplaintCategory(models.Model):
    code = models.SlugField(max_length=30, primary_key=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = _("complaint categories")

    def __str__(self) -> str:
        return gettext(self.name)


class Complaint(ChoiceLabels, models.Model):
    """A report about a recruiter; the complainant follows it with a reference and a secret code."""

    class Stage(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        REFERRED = "referred", _("Referred to an authority")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        # A complaint is withdrawn by the complainant; an accreditation by IRIS: words differ.
        WITHDRAWN = "withdrawn", pgettext_lazy("complaint stage", "Withdrawn")

    reference = models.CharField(max_length=20, unique=True, editable=False)
    tracking_code_hash = models.CharField(max_length=64, editable=False)
    # The hidden one-time token of the form that made it: a double submit makes one complaint.
    submission_token = models.CharField(max_length=64, unique=True, null=True, editable=False)
    stage = models.CharField(max_length=15, choices=Stage, default=Stage.RECEIVED)

    recruiter = models.ForeignKey(
        Recruiter, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    unlisted_name = models.CharField(_("recruiter's name"), max_length=200, blank=True)
    # What the person typed to name a recruiter they took to be on the roster, as they typed it.
    # With no recruiter linked, the complaint waits for an officer to find which one it means.
    recruiter_name_given = models.CharField(
        _("recruiter as the complainant named it"), max_length=250, blank=True
    )
    unlisted_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlisted_contact = EncryptedTextField(_("recruiter's contact details"), blank=True)

    categories = models.ManyToManyField(ComplaintCategory, related_name="complaints")
    happened_when = models.CharField(_("when it happened"), max_length=100, blank=True)
    recruitment_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = EncryptedTextField(_("what happened"))

    anonymous = models.BooleanField(default=False)
    name = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    safe_contact = EncryptedTextField(_("safe ways and times to contact"), blank=True)
    preferred_language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default="en-gb"
    )
    consent_to_referral = models.BooleanField(default=False)
    in_danger = models.BooleanField(_("someone is in danger now"), default=False)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When retention removed the complainant's data and the account of what happened.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the complainant was last emailed that there is news: another such email waits until
    # IRIS_NEWS_EMAIL_MINUTES have passed (see services._tell_complainant).
    news_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # That email, while the outbox holds it unsent it tells of any further change too.
    news_email = models.ForeignKey(
        "iomuk.OutboxMessage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The first change since then that no email has told of: the beat task iris-news-trailing
    # emails it when the window closes (see news.py). Null when no news waits.
    news_pending_since = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "tracking_code_hash",
            "submission_token",
            "news_emailed_at",
            "news_email",
            "news_pending_since",
        ]
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("download_complaintevidence", "Can download complaint evidence")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "received",
                        "under_review",
                        "referred",
                        "resolved",
                        "closed",
                        "withdrawn",
                    ]
                ),
                name="iris_complaint_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(name="", email="", phone="", safe_contact=""),
                name="iris_complaint_anonymous_has_no_contact",
            ),
            models.CheckConstraint(
                condition=Q(recruiter__isnull=False)
                | ~Q(unlisted_name="")
                | ~Q(recruiter_name_given=""),
                name="iris_complaint_names_a_recruiter",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def recruiter_display(self) -> str:
        if self.recruiter_id:
            return self.recruiter.legal_name
        return self.unlisted_name or self.recruiter_name_given

    @property
    def needs_matching(self) -> bool:
        """Named as a recruiter on the roster, but not yet linked to one."""
        return self.recruiter_id is None and bool(self.recruiter_name_given)

    @property
    def preferred_language_own_name(self) -> str:
        return language_in_its_own_words(self.preferred_language)


class ComplaintTransition(ChoiceLabels, models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=15, choices=Complaint.Stage)
    to_stage = models.CharField(max_length=15, choices=Complaint.Stage)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class ComplaintMessage(ChoiceLabels, models.Model):
    """A message from officers; the complainant sees it only when shared."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    body = EncryptedTextField()
    shared_with_complainant = models.BooleanField(default=False)
    # The language the body is written in: the complainant's for a template, the officer's word
    # for free text. The tracking page marks a message in another language than the reader's.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en-gb")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Message on {self.complaint_id}"

    @property
    def lang_attribute(self) -> str:
        """The body's language as an HTML lang attribute: "en" for British English."""
        return self.language.split("-")[0]


class ComplaintNote(models.Model):
    """An internal note: never shown to the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.complaint_id}"


class ComplaintAddition(models.Model):
    """Information the complainant added to their report later, from the tracking page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="additions")
    body = EncryptedTextField(_("what the complainant added"))
    # The hidden one-time token of the form that sent it: a second click adds nothing more.
    submission_token = models.CharField(max_length=64, unique=True, null=True, editable=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Added {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class Referral(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="referrals")
    authority = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    their_reference = models.CharField(max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["referred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.authority} ({self.country_id})"


def evidence_path(instance, filename: str) -> str:
    # Opaque: the uploaded name may itself be personal data.
    return f"iris/evidence/{uuid.uuid4().hex}"


class ComplaintEvidence(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    # Set for a file the complainant sent later with an addition, not with the report.
    addition = models.ForeignKey(
        ComplaintAddition,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("sent with"),
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("complaint evidence")

    def __str__(self) -> str:
        return f"Evidence {self.pk}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
            self.content_type, "bin"
        )


class OverdueDigest(models.Model):
    """A day's digest of overdue complaints to IRIS officers: the unique day makes it one a day,
    however often or on however many workers the task runs."""

    day = models.DateField(unique=True)
    # How many complaints it listed (none listed: no email went).
    complaints = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Overdue digest of {self.day}"
