"""IRIS business rules: recruiters and their accreditation, applications, complaints."""

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from iomuk.anonymise import anonymise, anonymise_each, anonymise_related
from iomuk.audit import access_record
from iomuk.outbox import outbox_enqueue

from .models import (
    DATED_STATES,
    FORGIVEN_LENGTH,
    ROSTER_WORD_LENGTH,
    AccreditationState,
    ApiKey,
    Application,
    Complaint,
    ComplaintAddition,
    ComplaintEvidence,
    ComplaintMessage,
    ComplaintNote,
    ComplaintTransition,
    Country,
    Recruiter,
    RecruiterCountry,
    Referral,
    RosterSpelling,
    RosterWord,
    new_application_reference,
    normalise_name,
    one_letter_out,
)

# No 0/O, 1/I/L: a reference read over the phone cannot be misheard.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

EVIDENCE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


class RecruiterError(Exception):
    pass


class ApplicationError(Exception):
    pass


class ComplaintError(Exception):
    pass


class DuplicateSubmission(ComplaintError):
    pass


class EvidenceError(Exception):
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
    recruiter.search_name = recruiter.compute_search_name()
    recruiter.full_clean()
    recruiter.save()
    RecruiterCountry.objects.bulk_create(
        [RecruiterCountry(recruiter=recruiter, country=c, kind="origin") for c in origin_countries]
        + [
            RecruiterCountry(recruiter=recruiter, country=c, kind="destination")
            for c in destination_countries
        ]
    )
    recruiter.sectors.set(sectors)
    return recruiter


@transaction.atomic
def recruiter_update(*, recruiter: Recruiter, **fields) -> Recruiter:
    """Change a recruiter's details; its search text follows its names."""
    for name, value in fields.items():
        setattr(recruiter, name, value)
    recruiter.full_clean()
    recruiter.save()
    roster_index(recruiter_ids=[recruiter.pk])
    return recruiter


def roster_index(*, recruiter_ids) -> None:
    """Rewrite the roster's search words of these recruiters: each word of a listed recruiter's
    names, with its countries and sectors; none for a recruiter off the roster."""
    with transaction.atomic():
        # The recruiters' row locks, in one order: two rewrites of one recruiter queue.
        locked = list(
            Recruiter.objects.select_for_update()
            .filter(pk__in=recruiter_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        RosterWord.objects.filter(recruiter_id__in=locked).delete()
        listed = (
            Recruiter.objects.filter(pk__in=locked, state__in=DATED_STATES)
            .only("legal_name", "search_name", "valid_until", "hq_country_id")
            .prefetch_related("operations", "sectors")
        )
        words = [word for recruiter in listed for word in _roster_words(recruiter)]
        RosterWord.objects.bulk_create(words, batch_size=2000)
        _roster_spellings_add({word.word for word in words})


def _roster_spellings_add(words: set[str]) -> None:
    """Store the spellings of the words the roster has not held before."""
    held = RosterSpelling.objects.filter(variant__in=words, word=F("variant"))
    new = words - set(held.values_list("word", flat=True))
    RosterSpelling.objects.bulk_create(
        [
            RosterSpelling(variant=variant, word=word)
            for word in new
            if len(word) >= FORGIVEN_LENGTH - 1  # a slip may have added a letter
            for variant in one_letter_out(word)
        ],
        batch_size=5000,
        ignore_conflicts=True,  # another rewrite may be adding the same new word
    )


def _roster_words(recruiter: Recruiter) -> list[RosterWord]:
    countries = {recruiter.hq_country_id, *(op.country_id for op in recruiter.operations.all())}
    sectors = {sector.pk for sector in recruiter.sectors.all()}
    return [
        RosterWord(
            recruiter=recruiter,
            word=word,
            legal_name=recruiter.legal_name,
            valid_until=recruiter.valid_until,
            countries=f" {' '.join(sorted(countries))} ",
            sectors=f" {' '.join(sorted(sectors))} ",
        )
        for word in {w[:ROSTER_WORD_LENGTH] for w in recruiter.search_name.split()}
    ]


def _accreditation_number(recruiter: Recruiter) -> str:
    return f"IRIS-A-{recruiter.pk:06d}"


@transaction.atomic
def recruiter_accredit(
    *, recruiter: Recruiter, granted_on: date | None = None, months: int = 12
) -> Recruiter:
    """Grant (or renew) accreditation: the recruiter goes on the roster until valid_until."""
    if recruiter.state == AccreditationState.WITHDRAWN:
        raise RecruiterError(
            "A withdrawn accreditation cannot be renewed; the recruiter re-applies."
        )
    granted_on = granted_on or timezone.localdate()
    recruiter.state = AccreditationState.ACCREDITED
    recruiter.accreditation_number = recruiter.accreditation_number or _accreditation_number(
        recruiter
    )
    recruiter.granted_on = granted_on
    recruiter.valid_until = granted_on + timedelta(days=round(months * 30.44))
    recruiter.full_clean()
    recruiter.save()
    roster_index(recruiter_ids=[recruiter.pk])
    return recruiter


@transaction.atomic
def recruiter_suspend(*, recruiter: Recruiter) -> Recruiter:
    """Suspend a current accreditation: it stays listed, clearly marked, and is not valid."""
    if recruiter.effective_state != AccreditationState.ACCREDITED:
        raise RecruiterError("Only a current accreditation can be suspended.")
    recruiter.state = AccreditationState.SUSPENDED
    recruiter.save(update_fields=["state", "updated_at"])
    roster_index(recruiter_ids=[recruiter.pk])
    return recruiter


@transaction.atomic
def recruiter_withdraw(*, recruiter: Recruiter) -> Recruiter:
    """Withdraw an accreditation: the recruiter leaves the roster."""
    if recruiter.state == AccreditationState.APPLICANT:
        raise RecruiterError("An applicant has no accreditation to withdraw.")
    recruiter.state = AccreditationState.WITHDRAWN
    recruiter.save(update_fields=["state", "updated_at"])
    roster_index(recruiter_ids=[recruiter.pk])
    return recruiter


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
        roster_index(recruiter_ids=[recruiter.pk for recruiter in lapsed])
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
    raise ApplicationError("Could not make a unique reference.")  # pragma: no cover


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
        raise ApplicationError("An application needs a commitment to the code of conduct.")
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
            raise ApplicationError("This application has already been decided.")
        if application.organisation_type == Application.OrgType.RECRUITER:
            application.recruiter = recruiter_create(
                legal_name=application.organisation_name,
                hq_country=application.hq_country,
                registration_number=application.registration_number,
                origin_countries=application.origin_countries.all(),
                destination_countries=application.destination_countries.all(),
                sectors=application.sectors.all(),
                website=application.website,
                contact_email=application.contact_email,
                contact_phone=application.contact_phone,
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
            raise ApplicationError("This application has already been decided.")
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
# Complaints
# ---------------------------------------------------------------------------
def _new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_tracking_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_tracking_code(code).encode(), hashlib.sha256).hexdigest()


def evidence_content_type(upload: UploadedFile) -> str:
    """The real type of an upload by its first bytes; raises EvidenceError if not PDF/PNG/JPEG."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise EvidenceError("too-large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise EvidenceError("wrong-type")


def complaint_submit(
    *,
    description: str,
    categories,
    recruiter: Recruiter | None = None,
    recruiter_name_given: str = "",
    unlisted_name: str = "",
    unlisted_country: Country | None = None,
    unlisted_contact: str = "",
    happened_when: str = "",
    recruitment_country: Country | None = None,
    destination_country: Country | None = None,
    anonymous: bool = False,
    name: str = "",
    email: str = "",
    phone: str = "",
    safe_contact: str = "",
    preferred_language: str = "en-gb",
    consent_to_referral: bool = False,
    in_danger: bool = False,
    evidence: tuple[UploadedFile, ...] = (),
    submission_token: str | None = None,
) -> tuple[Complaint, str]:
    """Store a complaint (with no contact details if anonymous); returns it and its tracking code.

    A recruiter named as on the roster but not found there (`recruiter_name_given` with no
    `recruiter`) is stored as named, for an officer to match. Officers are alerted at once if
    someone is in danger now.
    """
    if anonymous:
        name = email = phone = safe_contact = ""
    recruiter_name_given = " ".join(recruiter_name_given.split())
    if recruiter is None and not (unlisted_name.strip() or recruiter_name_given):
        raise ComplaintError("Say which recruiter the report is about.")
    code = _new_code(12)
    with transaction.atomic():
        complaint = Complaint(
            tracking_code_hash=tracking_code_hash(code),
            submission_token=submission_token,
            recruiter=recruiter,
            recruiter_name_given=recruiter_name_given,
            unlisted_name="" if recruiter else unlisted_name.strip(),
            unlisted_country=None if recruiter else unlisted_country,
            unlisted_contact="" if recruiter else unlisted_contact,
            happened_when=happened_when,
            recruitment_country=recruitment_country,
            destination_country=destination_country,
            description=description,
            anonymous=anonymous,
            name=name,
            email=email,
            phone=phone,
            safe_contact=safe_contact,
            preferred_language=preferred_language,
            consent_to_referral=consent_to_referral,
            in_danger=in_danger,
        )
        for _attempt in range(10):
            complaint.reference = f"IRIS-C-{_new_code(6)}"
            try:
                with transaction.atomic():  # a savepoint: a clash leaves the transaction usable
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
                if (
                    submission_token
                    and Complaint.objects.filter(submission_token=submission_token).exists()
                ):
                    raise DuplicateSubmission("This form was already sent.") from None
        else:  # pragma: no cover - 31**6 references; ten clashes in a row do not happen
            raise ComplaintError("Could not make a unique reference.")
        complaint.categories.set(categories)
        ComplaintTransition.objects.create(
            complaint=complaint, from_stage="", to_stage=Complaint.Stage.RECEIVED, by=None
        )
        for upload in evidence:
            content_type = evidence_content_type(upload)
            ComplaintEvidence.objects.create(
                complaint=complaint, file=upload, content_type=content_type, size=upload.size
            )
        if in_danger:
            outbox_enqueue(
                to=settings.IRIS_OFFICERS_EMAIL,
                template="iris-urgent",
                context={"complaint": complaint},
            )
        if email:
            outbox_enqueue(
                to=email,
                template="iris-complaint-received",
                context={"complaint": complaint, "tracking_code": code},
                language=preferred_language,
            )
    return complaint, code


def complaint_recruiter_match(*, complaint: Complaint, recruiter: Recruiter, by) -> Complaint:
    """Link a complaint to the recruiter an officer found it is about: only one not linked yet."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.recruiter_id is not None:
            raise ComplaintError("This complaint is already linked to a recruiter.")
        complaint.recruiter = recruiter
        complaint._history_user = by
        complaint.save(update_fields=["recruiter", "updated_at"])
    return complaint


def complaint_find(*, reference: str, code: str) -> Complaint | None:
    """The complaint with this reference if the tracking code matches; else None, alike."""
    reference = "".join(reference.upper().split())
    complaint = Complaint.objects.filter(reference=reference).first()
    given = tracking_code_hash(code)
    # Compare even when the reference is unknown, so the answer takes the same time.
    stored = complaint.tracking_code_hash if complaint else "0" * 64
    if hmac.compare_digest(given, stored) and complaint is not None:
        return complaint
    return None


# Where each stage may go next. "referred" is reached only through complaint_refer.
NEXT_STAGES = {
    Complaint.Stage.RECEIVED: {
        Complaint.Stage.UNDER_REVIEW,
        Complaint.Stage.CLOSED,
        Complaint.Stage.WITHDRAWN,
    },
    Complaint.Stage.UNDER_REVIEW: {
        Complaint.Stage.RESOLVED,
        Complaint.Stage.CLOSED,
        Complaint.Stage.WITHDRAWN,
    },
    Complaint.Stage.REFERRED: {
        Complaint.Stage.RESOLVED,
        Complaint.Stage.CLOSED,
        Complaint.Stage.WITHDRAWN,
    },
}


def _tell_complainant(complaint: Complaint) -> None:
    if complaint.email:
        outbox_enqueue(
            to=complaint.email,
            template="iris-complaint-update",
            context={"complaint": complaint},
            language=complaint.preferred_language,
        )


def _move(complaint: Complaint, to_stage: str, by) -> None:
    ComplaintTransition.objects.create(
        complaint=complaint, from_stage=complaint.stage, to_stage=to_stage, by=by
    )
    complaint.stage = to_stage
    complaint._history_user = by
    complaint.save(update_fields=["stage", "updated_at"])


class StageMovedMeanwhile(ComplaintError):
    pass


def complaint_next_stages(complaint: Complaint) -> list[str]:
    """The stages an officer may move this complaint to, in the workflow's order."""
    allowed = NEXT_STAGES.get(complaint.stage, set())
    return [stage for stage in Complaint.Stage.values if stage in allowed]


def complaint_advance(
    *, complaint: Complaint, to_stage: str, by, from_stage: str | None = None
) -> Complaint:
    """Move a complaint one step along its workflow, recording who and when, and tell them.

    With `from_stage` (the stage the officer saw), a move made meanwhile by someone else is
    not overwritten: StageMovedMeanwhile is raised instead.
    """
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if from_stage is not None and complaint.stage != from_stage:
            raise StageMovedMeanwhile(
                f"{complaint.reference} was moved to {complaint.get_stage_display()} meanwhile. "
                "Check it and choose again."
            )
        if to_stage not in NEXT_STAGES.get(complaint.stage, set()):
            wanted = Complaint.Stage(to_stage).label if to_stage in Complaint.Stage else to_stage
            raise ComplaintError(
                f"A complaint that is {complaint.get_stage_display()} cannot move to {wanted}."
            )
        _move(complaint, to_stage, by)
        _tell_complainant(complaint)
    return complaint


def complaint_refer(
    *,
    complaint: Complaint,
    authority: str,
    country: Country,
    referred_on: date,
    their_reference: str = "",
    by,
) -> Referral:
    """Record a referral to an authority (only with the complainant's consent); stage: referred."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint.consent_to_referral:
            raise ComplaintError("The complainant did not consent to a referral.")
        if complaint.stage not in (Complaint.Stage.UNDER_REVIEW, Complaint.Stage.REFERRED):
            raise ComplaintError("Review a complaint before referring it.")
        if referred_on > timezone.localdate():
            raise ComplaintError("A referral cannot be dated in the future.")
        referral = Referral(
            complaint=complaint,
            authority=authority.strip(),
            country=country,
            referred_on=referred_on,
            their_reference=their_reference.strip(),
            by=by,
        )
        referral.full_clean()
        referral.save()
        if complaint.stage != Complaint.Stage.REFERRED:
            _move(complaint, Complaint.Stage.REFERRED, by)
        _tell_complainant(complaint)
    return referral


def complaint_message_add(
    *, complaint: Complaint, body: str, shared_with_complainant: bool, by
) -> ComplaintMessage:
    """Add an officer's message; if shared, the complainant sees it when tracking and is told."""
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint, body=body, shared_with_complainant=shared_with_complainant, by=by
        )
        if shared_with_complainant:
            _tell_complainant(complaint)
    return message


def complaint_note_add(*, complaint: Complaint, body: str, by) -> ComplaintNote:
    """Add an internal note: officers only, never the complainant."""
    return ComplaintNote.objects.create(complaint=complaint, body=body, by=by)


class ComplaintFinished(ComplaintError):
    pass


def complaint_is_open(complaint: Complaint) -> bool:
    """Whether the complainant can still add to the report: not finished, not anonymised."""
    return complaint.stage not in FINISHED_STAGES and complaint.anonymised_at is None


def complaint_addition_add(
    *,
    complaint: Complaint,
    body: str,
    evidence: tuple[UploadedFile, ...] = (),
    submission_token: str | None = None,
) -> ComplaintAddition:
    """Store what the complainant adds to an open report, with its files, and alert the officers.

    The alert names the report by reference and link only; what was added stays in the portal.
    The same form sent twice adds it once (DuplicateSubmission).
    """
    body = body.strip()
    if not body:
        raise ComplaintError("Say what you want to add.")
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint_is_open(complaint):
            raise ComplaintFinished("This report is finished: nothing more can be added.")
        try:
            with transaction.atomic():  # a savepoint: a second click leaves the first one stored
                addition = ComplaintAddition.objects.create(
                    complaint=complaint, body=body, submission_token=submission_token
                )
        except IntegrityError:
            raise DuplicateSubmission("This form was already sent.") from None
        for upload in evidence:
            ComplaintEvidence.objects.create(
                complaint=complaint,
                addition=addition,
                file=upload,
                content_type=evidence_content_type(upload),
                size=upload.size,
            )
        access_record(
            request=None,
            action="add",
            object_type="iris.complaint",
            object_ref=complaint.reference,
            detail=f"the complainant added information and {len(evidence)} file(s)",
        )
        outbox_enqueue(
            to=settings.IRIS_OFFICERS_EMAIL,
            template="iris-complaint-addition",
            context={"complaint": complaint, "files": len(evidence)},
        )
    return addition


# ---------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------
FINISHED_STAGES = [Complaint.Stage.RESOLVED, Complaint.Stage.CLOSED, Complaint.Stage.WITHDRAWN]
# Who complained and what they told us; reference, stage, recruiter, countries and
# categories stay for the figures and the recruiter's record.
COMPLAINT_PERSONAL_DATA = {
    "name": "",
    "email": "",
    "phone": "",
    "safe_contact": "",
    "description": "",
    "happened_when": "",
    "unlisted_contact": "",
}
# The complaint's rows that hold what people wrote: blanked, or deleted with their files.
COMPLAINT_RELATED_BLANKS = {
    "messages": {"body": ""},
    "notes": {"body": ""},
    "additions": {"body": ""},
}
COMPLAINT_RELATED_DELETED = ("evidence",)


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


def applications_anonymise_expired(*, dry_run: bool = False) -> list[str]:
    """Remove the contact's details and the free text from applications decided long ago."""
    return anonymise_each(
        applications_due_for_anonymising(),
        key="pk",
        blanks=APPLICATION_PERSONAL_DATA,
        object_type="iris.application",
        detail=f"decided over {settings.IRIS_RETENTION_DAYS} days ago",
        dry_run=dry_run,
    )


def complaints_due_for_anonymising(*, now=None):
    """Finished complaints whose last stage move is older than IRIS_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IRIS_RETENTION_DAYS)
    return (
        Complaint.objects.filter(stage__in=FINISHED_STAGES, anonymised_at__isnull=True)
        .annotate(finished_at=Coalesce(Max("transitions__at"), "updated_at"))
        .filter(finished_at__lt=cutoff)
        .order_by("pk")
    )


def complaints_anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Anonymise finished complaints past retention; messages, notes, what the complainant added
    and evidence files go too."""
    references = list(complaints_due_for_anonymising(now=now).values_list("reference", flat=True))
    if dry_run:
        return references
    for reference in references:
        _complaint_anonymise(reference=reference, now=now or timezone.now())
    return references


def _complaint_anonymise(*, reference: str, now) -> None:
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(reference=reference)
        anonymise_related(complaint, blanks=COMPLAINT_RELATED_BLANKS)
        names = [evidence.file.name for evidence in complaint.evidence.all()]
        for related in COMPLAINT_RELATED_DELETED:
            getattr(complaint, related).all().delete()
        anonymise(
            complaint,
            blanks=COMPLAINT_PERSONAL_DATA,
            now=now,
            object_type="iris.complaint",
            object_ref=reference,
            detail=f"finished over {settings.IRIS_RETENTION_DAYS} days ago; "
            f"{len(names)} file(s) deleted",
        )
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def api_key_hash(token: str) -> str:
    """What is stored of an API key: its SHA-256 (the key is 32 random bytes, so no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_key_issue(*, name: str) -> tuple[ApiKey, str]:
    """A new key for a partner: the key itself is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    key = ApiKey(name=name, key_hash=api_key_hash(token))
    key.full_clean()
    key.save()
    return key, token


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """A revoked key is refused from the next request on; revoking twice keeps the first date."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key
