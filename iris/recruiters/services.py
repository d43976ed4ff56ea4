"""IRIS business rules for the roster: recruiters and their accreditation decisions,
applications to join and their retention, API keys (the roster's search index is in `roster.py`;
complaints are in iris.complaints).

Over 400 lines on purpose: every rule of the roster half is in this one file, in four sections
(recruiters and decisions, applications, retention, API keys), so a reader finds any of them by
opening it, and these services are the only writers of a recruiter.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from iomuk.anonymise import anonymise_each
from iomuk.audit import access_record
from iomuk.outbox import outbox_enqueue

from .models import (
    AccreditationDecision,
    AccreditationState,
    ApiKey,
    Application,
    Country,
    Recruiter,
    RecruiterCountry,
    new_application_reference,
)
from .roster import roster_index
from .text import normalise_name
from .watch import watchers_notify


class RecruiterError(Exception):
    pass


class ApplicationError(Exception):
    pass


# ---------------------------------------------------------------------------
# Recruiters and accreditation
# ---------------------------------------------------------------------------
def _unique_slug(name: str) -> str:
    base = slugify(normalise_name(name))[:200] or "recruiter"
    slug, n = base, 2
    while Recruiter.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _recruiter_saved(recruiter: Recruiter) -> None:
    """Save a recruiter changed by a service: its search text, its `updated_at` (the API's
    Last-Modified) and its roster words follow, in the caller's transaction."""
    recruiter.search_name = recruiter.compute_search_name()
    recruiter.accreditation_number = recruiter.accreditation_number or None
    recruiter.updated_at = timezone.now()
    recruiter.full_clean()
    recruiter.save()
    roster_index(recruiter_ids=[recruiter.pk])


def _operations_set(recruiter: Recruiter, kind: str, countries) -> None:
    countries = {country.pk for country in countries}
    recruiter.operations.filter(kind=kind).exclude(country__in=countries).delete()
    held = set(recruiter.operations.filter(kind=kind).values_list("country_id", flat=True))
    RecruiterCountry.objects.bulk_create(
        [
            RecruiterCountry(recruiter=recruiter, country_id=code, kind=kind)
            for code in sorted(countries - held)
        ]
    )


@transaction.atomic
def recruiter_create(
    *,
    legal_name: str,
    hq_country: Country,
    trading_names: str = "",
    registration_number: str = "",
    origin_countries=(),
    destination_countries=(),
    sectors=(),
    website: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    slug: str = "",
) -> Recruiter:
    """Create a recruiter as an applicant, with a unique slug and its search text (an applicant
    is not on the roster, so has no roster words yet)."""
    recruiter = Recruiter(
        legal_name=legal_name,
        trading_names=trading_names,
        slug=slug or _unique_slug(legal_name),
        registration_number=registration_number,
        hq_country=hq_country,
        website=website,
        contact_email=contact_email,
        contact_phone=contact_phone,
        state=AccreditationState.APPLICANT,
    )
    _recruiter_saved(recruiter)
    _operations_set(recruiter, "origin", origin_countries)
    _operations_set(recruiter, "destination", destination_countries)
    recruiter.sectors.set(sectors)
    return recruiter


@transaction.atomic
def recruiter_update(
    *,
    recruiter: Recruiter,
    sectors=None,
    origin_countries=None,
    destination_countries=None,
    **fields,
) -> Recruiter:
    """Change a recruiter's details, sectors or countries of operation (None: unchanged); its
    search text and roster words follow. Its standing changes only by a decision below."""
    standing = {"state", "accreditation_number", "granted_on", "valid_until"} & fields.keys()
    if standing:
        raise RecruiterError(_("The accreditation changes only by a decision."))
    for name, value in fields.items():
        setattr(recruiter, name, value)
    if sectors is not None:
        recruiter.sectors.set(sectors)
    if origin_countries is not None:
        _operations_set(recruiter, "origin", origin_countries)
    if destination_countries is not None:
        _operations_set(recruiter, "destination", destination_countries)
    _recruiter_saved(recruiter)
    return recruiter


# ---------------------------------------------------------------------------
# Accreditation decisions: each one a service, a history row, an access log entry
# ---------------------------------------------------------------------------
def _accreditation_number(recruiter: Recruiter) -> str:
    return f"IRIS-A-{recruiter.pk:06d}"


def _recruiter_locked(recruiter: Recruiter) -> Recruiter:
    # Two officers deciding at once: the second decides on what the first left.
    list(Recruiter.objects.select_for_update().filter(pk=recruiter.pk).values_list("pk"))
    recruiter.refresh_from_db()
    return recruiter


def _decided(
    recruiter: Recruiter, *, kind: str, by, reason: str = "", request=None
) -> AccreditationDecision:
    """Save the recruiter as the decision left it, and write the decision and the access log."""
    if kind in AccreditationDecision.NEEDS_REASON and not reason.strip():
        raise RecruiterError(_("Say why: the reason is kept with the decision."))
    _recruiter_saved(recruiter)
    decision = AccreditationDecision.objects.create(
        recruiter=recruiter,
        kind=kind,
        state=recruiter.state,
        granted_on=recruiter.granted_on,
        valid_until=recruiter.valid_until,
        reason=reason.strip(),
        decided_by=by,
    )
    access_record(
        request=request,
        action=kind,
        object_type="iris.recruiter",
        object_ref=recruiter.accreditation_number or recruiter.slug[:50],
        detail=f"accreditation {decision.get_kind_display().lower()}",
    )
    return decision


def _period(recruiter: Recruiter, granted_on: date | None, months: int) -> None:
    recruiter.granted_on = granted_on or timezone.localdate()
    recruiter.valid_until = recruiter.granted_on + timedelta(days=round(months * 30.44))


@transaction.atomic
def recruiter_accredit(
    *,
    recruiter: Recruiter,
    by=None,
    note: str = "",
    granted_on: date | None = None,
    months: int = 12,
    request=None,
) -> Recruiter:
    """Grant an applicant its first accreditation: it goes on the roster until valid_until."""
    recruiter = _recruiter_locked(recruiter)
    if recruiter.state != AccreditationState.APPLICANT:
        raise RecruiterError(_("Only an applicant is accredited; a current one is renewed."))
    recruiter.state = AccreditationState.ACCREDITED
    recruiter.accreditation_number = recruiter.accreditation_number or _accreditation_number(
        recruiter
    )
    _period(recruiter, granted_on, months)
    _decided(recruiter, kind="grant", by=by, reason=note, request=request)
    return recruiter


@transaction.atomic
def recruiter_renew(
    *,
    recruiter: Recruiter,
    by=None,
    note: str,
    granted_on: date | None = None,
    months: int = 12,
    request=None,
) -> Recruiter:
    """Renew a current or expired accreditation after a review, whose note is required: a new
    period from today. A suspended one is lifted or withdrawn first; a withdrawn one re-applies."""
    recruiter = _recruiter_locked(recruiter)
    was = recruiter.effective_state
    if was not in (AccreditationState.ACCREDITED, AccreditationState.EXPIRED):
        raise RecruiterError(_("Only a current or expired accreditation can be renewed."))
    if not note.strip():
        raise RecruiterError(_("A renewal needs the note of its review."))
    recruiter.state = AccreditationState.ACCREDITED
    _period(recruiter, granted_on, months)
    _decided(recruiter, kind="renew", by=by, reason=note, request=request)
    watchers_notify(recruiter=recruiter, change="renewed")
    return recruiter


@transaction.atomic
def recruiter_suspend(*, recruiter: Recruiter, by=None, reason: str, request=None) -> Recruiter:
    """Suspend a current accreditation, for a reason officers see and the public never does:
    it stays listed, clearly marked, and is not valid."""
    recruiter = _recruiter_locked(recruiter)
    if recruiter.effective_state != AccreditationState.ACCREDITED:
        raise RecruiterError(_("Only a current accreditation can be suspended."))
    recruiter.state = AccreditationState.SUSPENDED
    _decided(recruiter, kind="suspend", by=by, reason=reason, request=request)
    watchers_notify(recruiter=recruiter, change="suspended")
    return recruiter


@transaction.atomic
def recruiter_lift(*, recruiter: Recruiter, by=None, note: str = "", request=None) -> Recruiter:
    """Lift a suspension: the accreditation is valid again with the dates it had."""
    recruiter = _recruiter_locked(recruiter)
    if recruiter.effective_state != AccreditationState.SUSPENDED:
        raise RecruiterError(_("Only a suspension still in its dates can be lifted."))
    recruiter.state = AccreditationState.ACCREDITED
    _decided(recruiter, kind="lift", by=by, reason=note, request=request)
    watchers_notify(recruiter=recruiter, change="reinstated")
    return recruiter


@transaction.atomic
def recruiter_withdraw(*, recruiter: Recruiter, by=None, reason: str, request=None) -> Recruiter:
    """Withdraw an accreditation, for a reason officers see: the recruiter leaves the roster."""
    recruiter = _recruiter_locked(recruiter)
    if recruiter.state == AccreditationState.APPLICANT:
        raise RecruiterError(_("An applicant has no accreditation to withdraw."))
    if recruiter.state == AccreditationState.WITHDRAWN:
        raise RecruiterError(_("This accreditation is already withdrawn."))
    recruiter.state = AccreditationState.WITHDRAWN
    _decided(recruiter, kind="withdraw", by=by, reason=reason, request=request)
    watchers_notify(recruiter=recruiter, change="withdrawn")
    return recruiter


def recruiter_decisions_open(recruiter: Recruiter) -> list[str]:
    """The decisions an officer may take on this recruiter's standing today."""
    state = recruiter.effective_state
    return {
        AccreditationState.APPLICANT: ["grant"],
        AccreditationState.ACCREDITED: ["renew", "suspend", "withdraw"],
        AccreditationState.SUSPENDED: ["lift", "withdraw"],
        AccreditationState.EXPIRED: ["renew", "withdraw"],
        AccreditationState.WITHDRAWN: [],
    }[state]


def accreditations_expire() -> int:
    """Store `expired` on every accreditation past its date (pages already show it as expired)."""
    now = timezone.now()
    lapsed = list(
        Recruiter.objects.filter(
            state__in=[AccreditationState.ACCREDITED, AccreditationState.SUSPENDED],
            valid_until__lt=timezone.localdate(),
        )
    )
    for recruiter in lapsed:
        recruiter.state, recruiter.updated_at = AccreditationState.EXPIRED, now
    with transaction.atomic():
        bulk_update_with_history(
            lapsed,
            Recruiter,
            ["state", "updated_at"],
            default_change_reason="accreditation date passed",
        )
        AccreditationDecision.objects.bulk_create(
            AccreditationDecision(
                recruiter=recruiter,
                kind="expire",
                state=recruiter.state,
                granted_on=recruiter.granted_on,
                valid_until=recruiter.valid_until,
                decided_at=now,
            )
            for recruiter in lapsed
        )
        roster_index(recruiter_ids=[recruiter.pk for recruiter in lapsed])
        for recruiter in lapsed:
            watchers_notify(recruiter=recruiter, change="expired")
    return len(lapsed)


# ---------------------------------------------------------------------------
# Applications to join
# ---------------------------------------------------------------------------
def _unique_application_reference() -> str:
    """A fresh reference no application has yet (31**6 of them: a clash is rare, not never)."""
    for _attempt in range(10):
        reference = new_application_reference()
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise ApplicationError(_("Could not make a unique reference."))  # pragma: no cover


def application_submit(
    *,
    organisation_name: str,
    organisation_type: str,
    hq_country: Country,
    contact_name: str,
    contact_email: str,
    commits_to_code: bool,
    registration_number: str = "",
    origin_countries=(),
    destination_countries=(),
    sectors=(),
    website: str = "",
    contact_phone: str = "",
    about: str = "",
    language: str = "en-gb",
) -> Application:
    """Record an application to join; it needs an explicit commitment to the code of conduct."""
    if not commits_to_code:
        raise ApplicationError(_("An application needs a commitment to the code of conduct."))
    with transaction.atomic():
        application = Application(
            reference=_unique_application_reference(),
            organisation_name=organisation_name,
            organisation_type=organisation_type,
            hq_country=hq_country,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            registration_number=registration_number,
            website=website,
            about=about,
            commits_to_code=True,
            language=language,
        )
        application.full_clean()
        application.save()
        application.origin_countries.set(origin_countries)
        application.destination_countries.set(destination_countries)
        application.sectors.set(sectors)
        outbox_enqueue(
            to=contact_email,
            template="iris-application-received",
            context={"application": application},
            language=language,
        )
    return application


def application_accept(*, application: Application, by) -> Application:
    """Accept an application; a recruiter's creates its record as an applicant for accreditation."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != Application.State.PENDING:
            raise ApplicationError(_("This application has already been decided."))
        if application.organisation_type == Application.OrgType.RECRUITER:
            application.recruiter = recruiter_create(
                legal_name=application.organisation_name,
                hq_country=application.hq_country,
                registration_number=application.registration_number,
                origin_countries=application.origin_countries.all(),
                destination_countries=application.destination_countries.all(),
                sectors=application.sectors.all(),
                website=application.website,
                # Not the applicant's contact: that names a person and goes with the
                # application's retention. The recruiter's business contact, if any, is
                # entered by an officer.
            )
        application.state = Application.State.ACCEPTED
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save()
        outbox_enqueue(
            to=application.contact_email,
            template="iris-application-accepted",
            context={"application": application},
            language=application.language,
        )
    return application


def application_reject(*, application: Application, by) -> Application:
    """Reject a pending application and tell the applicant."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != Application.State.PENDING:
            raise ApplicationError(_("This application has already been decided."))
        application.state = Application.State.REJECTED
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save()
        outbox_enqueue(
            to=application.contact_email,
            template="iris-application-rejected",
            context={"application": application},
            language=application.language,
        )
    return application


# ---------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------
# The organisation's own details stay (and, once accepted, its recruiter record).
APPLICATION_PERSONAL_DATA = {
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "about": "",
}


def applications_due_for_anonymising(*, now=None):
    """Applications decided over IRIS_RETENTION_DAYS ago (never one waiting for review)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IRIS_RETENTION_DAYS)
    return Application.objects.filter(
        state__in=[Application.State.ACCEPTED, Application.State.REJECTED],
        decided_at__lt=cutoff,
        anonymised_at__isnull=True,
    ).order_by("pk")


# Accepting once copied the contact's email and phone onto the recruiter (and so into its
# history): anonymising the application clears those copies wherever they still match.
APPLICATION_COPIED_TO_RECRUITER = ("contact_email", "contact_phone")


def application_copies_cleared(application: Application) -> str:
    if application.recruiter_id is None:
        return ""
    cleared = 0
    for name in APPLICATION_COPIED_TO_RECRUITER:
        value = getattr(application, name)
        if not value:
            continue
        same = {"id": application.recruiter_id, name: value}
        # UPDATEs, not save(): clearing a copy writes no new version holding the rest.
        cleared += Recruiter.objects.filter(**same).update(**{name: ""}, updated_at=timezone.now())
        cleared += Recruiter.history.filter(**same).update(**{name: ""})
    return "; the contact's details copied onto the recruiter too" if cleared else ""


def applications_anonymise_expired(*, dry_run: bool = False) -> list[str]:
    """Remove the contact's details and the free text from applications decided long ago, and
    any copy of the contact's details on the recruiter an acceptance made."""
    return anonymise_each(
        applications_due_for_anonymising(),
        key="pk",
        blanks=APPLICATION_PERSONAL_DATA,
        object_type="iris.application",
        detail=f"decided over {settings.IRIS_RETENTION_DAYS} days ago",
        dry_run=dry_run,
        related=application_copies_cleared,
    )


def api_key_hash(token: str) -> str:
    """What is stored of an API key: its SHA-256 (the key is 32 random bytes, so no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


API_KEY_PREFIX_TRIES = 5


def api_key_issue(*, name: str) -> tuple[ApiKey, str]:
    """A new key for a partner, `iris_<prefix>_<secret>`: the key itself is returned once and
    never stored; its prefix, kept in clear, is unique among keys."""
    for _try in range(API_KEY_PREFIX_TRIES):
        prefix = secrets.token_hex(3)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    token = f"iris_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, prefix=prefix, key_hash=api_key_hash(token))
    key.full_clean()
    key.save()
    return key, token


def api_key_note_use(*, key: ApiKey) -> None:
    """Note that a key was used, at most once every API_KEY_USE_NOTED_EVERY: a partner's
    requests do not each write to the database."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < settings.API_KEY_USE_NOTED_EVERY:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - settings.API_KEY_USE_NOTED_EVERY)
    ).update(last_used_at=now)


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """A revoked key is refused from the next request on; revoking twice keeps the first date."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key
