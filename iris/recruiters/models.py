import re
import secrets
import unicodedata

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from iomuk.references import code_random


def normalise_name(text: str) -> str:
    """Lower-case, accents stripped, punctuation collapsed: "Munkaerő Kft." -> "munkaero kft"."""
    # ł and đ do not decompose under NFKD; map the few that matter by hand.
    text = text.lower().translate(str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def language_in_its_own_words(code: str) -> str:
    """A language as its speakers write it ("Magyar", not "Hungarian"), so they can find it."""
    if code.startswith("en"):
        return "English"
    if code == "cs":
        return "Čeština"  # Django's own name for it is the adverb "česky"
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return code
    return name[:1].upper() + name[1:]


# An accreditation number as a person may write it, once its spaces, dashes and dots are gone:
# "IRIS", the series letter and the digits, any of the first two left out.
_ACCREDITATION_NUMBER = re.compile(r"(?:IRIS)?([A-Z])?([0-9]{1,9})")


def accreditation_number_normalise(text: str) -> str | None:
    """The number as issued ("IRIS-A-000001") from any way of writing it ("iris a 1",
    "IRISA000001", "IRIS–A–000001", "000001"); None if the text is not a number.

    Case, accents, full-width characters and every separator are set aside (other forms of
    digits, as "¼" or "①", make the text no number); a number given without its series is in
    series A, and its digits are padded to six as issued.
    """
    text = text[:100]
    # Compatibility forms of digits would otherwise become numbers: "¼" 14, "①" 1, "²" 2.
    # Only ASCII digits and their full-width forms (what some keyboards type) are digits.
    if any(ch.isnumeric() and not ("0" <= ch <= "9" or "０" <= ch <= "９") for ch in text):
        return None
    letters = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in letters if ch.isascii() and ch.isalnum()).upper()
    match = _ACCREDITATION_NUMBER.fullmatch(bare)
    if match is None:
        return None
    series, digits = match.group(1) or "A", match.group(2)
    return f"IRIS-{series}-{digits.zfill(6)}"


# A word typed shorter than this is not forgiven a slip: too many words are one slip from it.
FORGIVEN_LENGTH = 4


def one_letter_out(word: str) -> set[str]:
    """The word and every spelling of it with one letter left out: "care" -> care, are, cre..."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class Country(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        # The name in the reader's language, from django-countries (ISO 3166); the English name
        # stored, through our catalogue, for a code the library does not know.
        return countries.name(self.code) or gettext(self.name)


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


# What the roster's search reads of a recruiter: a change to any of them rewrites its words.
ROSTER_FIELDS = {
    "legal_name",
    "trading_names",
    "search_name",
    "state",
    "valid_until",
    "hq_country",
    "hq_country_id",
}


class RecruiterQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """As `QuerySet.update`, and the roster's search follows the recruiters changed. Their
        `updated_at` moves too (the API's Last-Modified reads it; `auto_now` does not apply to
        an update)."""
        kwargs.setdefault("updated_at", timezone.now())
        if not ROSTER_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        from .roster import roster_index  # the index module reads these models

        with transaction.atomic(using=self.db):
            # Read first: the update may take the recruiters out of this queryset's filter.
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            roster_index(recruiter_ids=ids)
        return count

    def touch(self) -> int:
        """Mark these recruiters changed: a row their public answer reads (a sector, a country
        of operation, a country's or sector's name) changed without the recruiter's own row."""
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
        """Accredited and suspended members whose accreditation has not lapsed."""
        return self.filter(state__in=DATED_STATES, valid_until__gte=timezone.localdate())


class Recruiter(models.Model):
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
    # sectors, countries and their names included (see `touch` and `iris.roster`).
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

    def save(self, *args, **kwargs):
        """Save, and the roster's search follows the names, state, dates and head office."""
        from .roster import roster_index  # the index module reads these models

        self.search_name = self.compute_search_name()
        if self.accreditation_number == "":
            self.accreditation_number = None
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_name", "updated_at"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if fields is None or ROSTER_FIELDS & set(fields):
                roster_index(recruiter_ids=[self.pk])

    def compute_search_name(self) -> str:
        return normalise_name(" ".join([self.legal_name, *self.trading_name_list]))

    @property
    def trading_name_list(self) -> list[str]:
        return [line.strip() for line in self.trading_names.splitlines() if line.strip()]

    def _operation_names(self, kind: str) -> str:
        # Iterates the prefetched operations: no query per recruiter on the roster.
        return ", ".join(str(op.country) for op in self.operations.all() if op.kind == kind)

    @property
    def origin_names(self) -> str:
        return self._operation_names("origin")

    @property
    def destination_names(self) -> str:
        return self._operation_names("destination")

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


class RecruiterCountryQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """As `QuerySet.update`, and the roster's search follows the countries changed (saves and
        deletions reach it through signals, see `iris.roster`)."""
        from .roster import roster_index  # the index module reads these models

        with transaction.atomic(using=self.db):
            ids = set(self.values_list("recruiter_id", flat=True))
            count = super().update(**kwargs)
            moved_to = kwargs.get("recruiter_id", kwargs.get("recruiter"))
            if moved_to is not None:
                ids.add(getattr(moved_to, "pk", moved_to))
            roster_index(recruiter_ids=ids)
            Recruiter.objects.filter(pk__in=ids).touch()
        return count


class RecruiterCountry(models.Model):
    class Kind(models.TextChoices):
        ORIGIN = "origin", _("Recruits workers from")
        DESTINATION = "destination", _("Places workers in")

    recruiter = models.ForeignKey(Recruiter, on_delete=models.CASCADE, related_name="operations")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind)

    objects = RecruiterCountryQuerySet.as_manager()

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


ROSTER_WORD_LENGTH = 100


class RosterWord(models.Model):
    """One word of a listed recruiter's names, with what the roster sorts and filters it by.

    The roster's search index: a search reads a few index entries per word, in name order, and
    never the recruiters themselves. Rewritten by `roster.roster_index` whenever a recruiter,
    its countries or its sectors change; only accredited and suspended recruiters have words
    (the date their accreditation lapses is checked at search time).
    """

    # Indexed by the unique constraint, which leads with it.
    recruiter = models.ForeignKey(
        Recruiter, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    word = models.CharField(max_length=ROSTER_WORD_LENGTH)
    legal_name = models.CharField(max_length=200)
    valid_until = models.DateField()
    # Space-separated and space-ended codes (" GB RO "): a filter is one `contains` on the index
    # entry itself. Countries are the head office's and every country of operation.
    countries = models.TextField()
    sectors = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recruiter", "word"],
                name="iris_rosterword_once",
                opclasses=["", "varchar_pattern_ops"],
            ),
        ]
        indexes = [
            # Words by prefix (the pattern operator class), then in the roster's order, with the
            # filters carried in the entry: a search is an index-only scan.
            models.Index(
                fields=["word", "legal_name", "recruiter"],
                name="iris_rosterword_search",
                opclasses=["varchar_pattern_ops", "", ""],
                include=["valid_until", "countries", "sectors"],
            ),
        ]

    def __str__(self) -> str:
        return self.word


class RosterSpelling(models.Model):
    """A spelling one slip away from a word on the roster: where a misspelt word finds it.

    Each word is stored under itself and under every spelling with one of its letters left out.
    A word typed with a letter dropped, added, changed or two swapped shares one of those
    spellings with the word meant, so one indexed lookup finds it, on either database. Only
    ever added to: a word nobody uses any more is offered as a spelling that finds no one.
    """

    variant = models.CharField(max_length=ROSTER_WORD_LENGTH)
    word = models.CharField(max_length=ROSTER_WORD_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="iris_rosterspelling_once")
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.word}"


def new_application_reference() -> str:
    return code_random("IRIS-J-######")


class Application(models.Model):
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

    Only a hash of the key is kept; the key itself is shown once, when it is issued.
    """

    name = models.CharField("partner", max_length=120)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="iris_apikey_hash_is_sha256"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_watch_token() -> str:
    return secrets.token_urlsafe(32)


class RecruiterWatch(models.Model):
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
