"""The contact check's rules: officers record a recruiter's authorised contacts and the
impostors pretending to be one; anyone checks a contact they were given.

These services are the only writers of RecruiterContact and ImpostorContact. Each act is in
the access log and the contact's history; a watcher of the recruiter is told (through the
outbox, after commit) when one of its contacts is removed or an impostor of it is listed.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iomuk.audit import access_record

from .contact_keys import AGENT, REGIONS, agent_key, contact_guess, contact_key, kind_of
from .contacts import ImpostorContact, RecruiterContact
from .models import Recruiter
from .watch import watchers_notify

OBJECT_TYPE = "iris.contact"


class ContactError(Exception):
    pass


def _key(kind: str, value: str, region: str) -> tuple[str, str]:
    """The contact's key, and its kind as the key says (a Facebook address typed as a website
    is a social page)."""
    if region not in REGIONS:
        region = "GB"
    key = contact_key(kind, value, region)
    if key is None:
        raise ContactError(
            {
                "phone": _(
                    "This is not a phone number we can read. Write it with its country "
                    "code, for example +40 721 000 111."
                ),
                "agent": _("Write the agent's name."),
            }.get(kind, _("This is not a web address, email address or page we can read."))
        )
    return key, kind_of(key)


def _logged(request, *, action: str, ref: str, detail: str, by=None) -> None:
    access_record(
        request=request,
        action=action,
        object_type=OBJECT_TYPE,
        object_ref=ref,
        detail=detail,
        user=by,
    )


@transaction.atomic
def contact_add(
    *,
    recruiter: Recruiter,
    kind: str,
    value: str,
    region: str = "GB",
    note: str = "",
    by=None,
    request=None,
) -> RecruiterContact:
    """Record a contact a recruiter has authorised: refused when it is already one of its own or
    on the warning list (an officer removes the warning first, saying why in its history)."""
    value = " ".join(value.split())
    key, kind = _key(kind, value, region)
    if ImpostorContact.objects.filter(key=key, removed_at__isnull=True).exists():
        raise ContactError(_("This contact is on the warning list of impostors."))
    contact = RecruiterContact(
        recruiter=recruiter, kind=kind, value=value, key=key, note=note.strip(), added_by=by
    )
    contact.full_clean(exclude=["key"], validate_constraints=False)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise ContactError(_("This contact is already one of this recruiter's.")) from None
    _logged(
        request,
        action="add",
        ref=f"contact #{contact.pk}",
        detail=f"for {recruiter.slug}"[:200],
        by=by,
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: RecruiterContact, by=None, request=None) -> RecruiterContact:
    """Take a contact off a recruiter's list (it stays in the history); its watchers are told."""
    contact = RecruiterContact.objects.select_for_update().get(pk=contact.pk)
    if contact.removed_at is not None:
        raise ContactError(_("This contact was already removed."))
    contact.removed_at = timezone.now()
    contact.removed_by = by
    contact.save(update_fields=["removed_at", "removed_by"])
    _logged(
        request, action="remove", ref=f"contact #{contact.pk}", detail="authorised contact", by=by
    )
    watchers_notify(recruiter=contact.recruiter, change="contact_removed")
    return contact


@transaction.atomic
def impostor_add(
    *,
    kind: str,
    value: str,
    imitates: Recruiter | None,
    region: str = "GB",
    reported_on: date | None = None,
    note: str = "",
    source: str = ImpostorContact.Source.OFFICER,
    by=None,
    request=None,
) -> ImpostorContact:
    """Put a contact on the warning list: refused when a recruiter has authorised it. The
    watchers of the recruiter it imitates are told."""
    value = " ".join(value.split())
    key, kind = _key(kind, value, region)
    if kind == AGENT:
        # A name is not a contact anyone can own: two people share one.
        raise ContactError(_("A name cannot go on the warning list: add their number or page."))
    if RecruiterContact.objects.filter(key=key, removed_at__isnull=True).exists():
        raise ContactError(
            _("A recruiter has authorised this contact: remove it from its contacts first.")
        )
    impostor = ImpostorContact(
        kind=kind,
        value=value,
        key=key,
        imitates=imitates,
        reported_on=reported_on or timezone.localdate(),
        note=note.strip(),
        source=source,
        added_by=by,
    )
    impostor.full_clean(exclude=["key"], validate_constraints=False)
    try:
        with transaction.atomic():
            impostor.save()
    except IntegrityError:
        raise ContactError(_("This contact is already on the warning list.")) from None
    _logged(request, action="add", ref=f"impostor #{impostor.pk}", detail=f"source {source}", by=by)
    if imitates is not None:
        watchers_notify(recruiter=imitates, change="impostor_listed")
    return impostor


@transaction.atomic
def impostor_remove(*, impostor: ImpostorContact, by=None, request=None) -> ImpostorContact:
    """Take a contact off the warning list (it stays in the history)."""
    impostor = ImpostorContact.objects.select_for_update().get(pk=impostor.pk)
    if impostor.removed_at is not None:
        raise ContactError(_("This contact was already taken off the warning list."))
    impostor.removed_at = timezone.now()
    impostor.removed_by = by
    impostor.save(update_fields=["removed_at", "removed_by"])
    _logged(request, action="remove", ref=f"impostor #{impostor.pk}", detail="warning list", by=by)
    return impostor


# ---------------------------------------------------------------------------
# The check (a read: a selector, kept beside the rules it answers for)
# ---------------------------------------------------------------------------
AUTHORISED, NOT_VALID, WARNING, UNKNOWN, NAME = (
    "authorised",
    "not_valid",
    "warning",
    "unknown",
    "name",
)
ANSWERS = (AUTHORISED, NOT_VALID, WARNING, UNKNOWN, NAME)


@dataclass(frozen=True)
class ContactCheck:
    """What the check answers: the contact as read, and whose it is or whom it imitates."""

    text: str
    key: str | None
    answer: str
    recruiter: Recruiter | None = None
    reported_on: date | None = None


def contact_check(*, text: str, region: str = "GB") -> ContactCheck:
    """Whose is this contact: a listed recruiter's (authorised, or not valid today), an
    impostor's (warning), nobody's we know (unknown); a name is looked up among named agents,
    else answered with the roster's search."""
    text = " ".join(text.split())
    if region not in REGIONS:
        region = "GB"
    key = contact_guess(text, region)
    is_name = key is None
    if is_name:
        key = agent_key(text)
        if key is None:
            return ContactCheck(text=text, key=None, answer=NAME)
    impostor = (
        ImpostorContact.objects.filter(key=key, removed_at__isnull=True)
        .select_related("imitates")
        .first()
    )
    if impostor is not None:
        return ContactCheck(
            text=text,
            key=key,
            answer=WARNING,
            recruiter=impostor.imitates if _public(impostor.imitates) else None,
            reported_on=impostor.reported_on,
        )
    contact = (
        RecruiterContact.objects.filter(key=key, removed_at__isnull=True)
        .exclude(recruiter__state="applicant")
        .select_related("recruiter")
        .order_by("pk")
        .first()
    )
    if contact is not None:
        recruiter = contact.recruiter
        answer = AUTHORISED if recruiter.is_valid_today else NOT_VALID
        return ContactCheck(text=text, key=key, answer=answer, recruiter=recruiter)
    return ContactCheck(text=text, key=key, answer=NAME if is_name else UNKNOWN)


def _public(recruiter: Recruiter | None) -> bool:
    return recruiter is not None and recruiter.state != "applicant"


def contacts_for_public(*, recruiter: Recruiter) -> list[RecruiterContact]:
    """The contacts a recruiter's public page lists: those in force, by kind."""
    return list(
        recruiter.contacts.filter(removed_at__isnull=True)
        .only("kind", "value")
        .order_by("kind", "value")
    )


def contacts_of(*, recruiter: Recruiter):
    """A recruiter's contacts for its officers: those in force first, then those removed."""
    return recruiter.contacts.select_related("added_by", "removed_by").order_by(
        "removed_at", "kind", "value"
    )


def impostors_listed():
    """The warning list as officers see it, newest report first."""
    return ImpostorContact.objects.filter(removed_at__isnull=True).select_related("imitates")
