"""Courses, their sessions, the bookings for them, and what follows: certificates and requests."""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iomuk.choice_labels import ChoiceLabels


class Sector(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social work")
    POLICE = "police", _("Police")
    HEALTH = "health", _("NHS and health")
    HOUSING = "housing", _("Housing")
    FAITH = "faith", _("Faith communities")
    HOME_OFFICE = "home_office", _("Home Office")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    CHARITY = "charity", _("Charity or NGO")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    EAST = "east", _("East of England")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    NORTH_WEST = "north_west", _("North West")
    NORTH_EAST = "north_east", _("North East")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


class Audience(ChoiceLabels, models.Model):
    """One of the fixed audiences a course suits (rows made by a data migration)."""

    code = models.CharField(max_length=30, unique=True, choices=Sector.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(unique=True, max_length=100)
    summary = models.TextField(_("summary"))
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=4, decimal_places=1)
    topics = models.TextField(_("topics covered"), help_text=_("One topic a line."))
    audiences = models.ManyToManyField(Audience, related_name="courses", blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cpd_hours__gte=0), name="course_cpd_hours_gte_0"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class Session(ChoiceLabels, models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    slug = models.SlugField(unique=True, max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    online_link = models.URLField(
        _("joining link"), blank=True, help_text=_("Shown only to confirmed attendees.")
    )
    capacity = models.IntegerField(_("capacity"))
    booking_deadline = models.DateTimeField(_("booking deadline"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.SCHEDULED)
    # Optimistic locking, as on ReturnCase: every save through the service moves it on.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["starts_at"]
        # The public list: upcoming sessions in date order, read off the index a page at a time.
        indexes = [models.Index(fields=["starts_at", "id"], name="training_session_start_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=0), name="session_capacity_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="session_version_gte_1"
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title} — {local:%d %b %Y %H:%M}"

    @property
    def place(self) -> str:
        if self.format == self.Format.ONLINE:
            return str(_("Online"))
        return ", ".join(p for p in [self.venue, self.get_region_display()] if p)


class Booking(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", _("Cancelled")

    # A seat is held by confirmed bookings and by open offers.
    SEAT_STATES = (State.CONFIRMED, State.OFFERED)
    ACTIVE_STATES = (State.CONFIRMED, State.WAITING, State.OFFERED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    reference = models.CharField(max_length=12, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("work email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    job_title = models.CharField(_("job title"), max_length=120)
    requirements = models.TextField(_("access or other requirements"), max_length=1000, blank=True)
    state = models.CharField(max_length=20, choices=State.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # When retention removed the attendee's personal data; the booking still counts.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["created_at", "id"]
        # Seats taken and the waiting line of a session are counted by state.
        indexes = [models.Index(fields=["session", "state"], name="training_booking_session_state")]
        constraints = [
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=models.Q(state__in=["confirmed", "waiting", "offered"]),
                name="booking_one_active_per_email_and_session",
                violation_error_message=_("This email already has a booking for this session."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="offered") | models.Q(offer_expires_at__isnull=False),
                name="booking_offer_has_expiry",
            ),
        ]

    def __str__(self):
        return self.reference


class Certificate(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=20, unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    def __str__(self):
        return self.code


class AdaptedSessionRequest(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")

    reference = models.CharField(max_length=12, unique=True, editable=False)
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    people = models.PositiveIntegerField(_("how many people"))
    preferred_dates = models.CharField(_("preferred dates"), max_length=300)
    format = models.CharField(_("format"), max_length=20, choices=Session.Format.choices)
    needs = models.TextField(_("what you need"), max_length=3000)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    answer_notes = models.TextField(_("answer notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(people__gte=1), name="request_people_gte_1")
        ]

    def __str__(self):
        return self.reference
