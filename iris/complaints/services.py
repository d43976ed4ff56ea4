"""IRIS complaints: reporting a recruiter, tracking a report, and the officers' work on it.

Over 400 lines on purpose: every rule of the complaints mechanism is here, in one file a reader
opens to find any of them (the officers' acts each write the access log here too).
"""

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iomuk.audit import access_record
from iomuk.outbox import outbox_enqueue
from iomuk.references import code_random
from iomuk.storage import uploads_removed_on_failure
from iomuk.uploads import upload_prepared
from iris.recruiters.models import Country, Recruiter

from .message_templates import MESSAGE_TEMPLATES, message_template_render
from .models import (
    Complaint,
    ComplaintAddition,
    ComplaintEvidence,
    ComplaintMessage,
    ComplaintNote,
    ComplaintTransition,
    Referral,
)
from .news import complaint_news_tell

OBJECT_TYPE = "iris.complaint"
# The longest message or note an officer may write; the forms say so before a service refuses.
MAX_BODY = 5000


class ComplaintError(Exception):
    pass


class DuplicateSubmission(ComplaintError):
    pass


class EvidenceError(Exception):
    pass


FINISHED_STAGES = [Complaint.Stage.RESOLVED, Complaint.Stage.CLOSED, Complaint.Stage.WITHDRAWN]


def _logged(complaint: Complaint, action: str, detail: str, *, by, request=None) -> None:
    """Write an officer's act on a complaint to the access log, in the act's own transaction."""
    access_record(
        request=request,
        user=by,
        action=action,
        object_type=OBJECT_TYPE,
        object_ref=complaint.reference,
        detail=detail,
    )


def _new_code(length: int) -> str:
    return code_random("#" * length)


def normalise_tracking_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_tracking_code(code).encode(), hashlib.sha256).hexdigest()


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
    email_tracking_code: bool = False,
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
    someone is in danger now. The receipt emailed to the complainant carries the reference;
    the tracking code too only if they chose it (`email_tracking_code`): whoever reads the
    inbox could open the report with both.
    """
    if anonymous:
        name = email = phone = safe_contact = ""
    recruiter_name_given = " ".join(recruiter_name_given.split())
    if recruiter is None and not (unlisted_name.strip() or recruiter_name_given):
        raise ComplaintError(_("Say which recruiter the report is about."))
    code = _new_code(12)
    # A file not stored (UploadNotStored: a full uploads disk) stores no report, and leaves no file.
    with uploads_removed_on_failure(), transaction.atomic():
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
                    raise DuplicateSubmission(_("This form was already sent.")) from None
        else:  # pragma: no cover - 31**6 references; ten clashes in a row do not happen
            raise ComplaintError(_("Could not make a unique reference."))
        complaint.categories.set(categories)
        ComplaintTransition.objects.create(
            complaint=complaint, from_stage="", to_stage=Complaint.Stage.RECEIVED, by=None
        )
        for upload in evidence:
            upload, content_type = upload_prepared(upload)  # a photo without its metadata
            ComplaintEvidence.objects.create(
                complaint=complaint, file=upload, content_type=content_type, size=upload.size
            )
        if in_danger:
            outbox_enqueue(
                to=settings.IRIS_OFFICERS_EMAIL,
                template="iris-urgent",
                context={"complaint": complaint},
            )
        receipt = complaint_receipt_contents(
            complaint=complaint, email_tracking_code=email_tracking_code
        )
        if receipt:
            outbox_enqueue(
                to=email,
                template="iris-complaint-received",
                context={
                    "complaint": complaint,
                    "tracking_code": code if receipt == RECEIPT_WITH_CODE else "",
                },
                language=preferred_language,
            )
    return complaint, code


RECEIPT_WITH_CODE = "code"
RECEIPT_REFERENCE_ONLY = "reference"


def complaint_receipt_contents(*, complaint: Complaint, email_tracking_code: bool) -> str:
    """What the receipt emailed for a new complaint carries: nothing without an address, the
    tracking code only if the complainant chose it, else the reference alone."""
    if not complaint.email:
        return ""
    return RECEIPT_WITH_CODE if email_tracking_code else RECEIPT_REFERENCE_ONLY


def complaint_recruiter_match(
    *, complaint: Complaint, recruiter: Recruiter, by, request=None
) -> Complaint:
    """Link a complaint to the recruiter an officer found it is about: only one not linked yet."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.recruiter_id is not None:
            raise ComplaintError(_("This complaint is already linked to a recruiter."))
        complaint.recruiter = recruiter
        complaint._history_user = by
        complaint.save(update_fields=["recruiter", "updated_at"])
        _logged(complaint, "match", f"recruiter {recruiter.pk}", by=by, request=request)
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
    """Email the complainant that there is news: one email per burst of changes, none lost
    (see news.py). Call inside the transaction that makes the change."""
    complaint_news_tell(complaint)


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
    *, complaint: Complaint, to_stage: str, by, from_stage: str | None = None, request=None
) -> Complaint:
    """Move a complaint one step along its workflow, recording who and when, and tell them.

    With `from_stage` (the stage the officer saw), a move made meanwhile by someone else is
    not overwritten: StageMovedMeanwhile is raised instead.
    """
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if from_stage is not None and complaint.stage != from_stage:
            raise StageMovedMeanwhile(
                _("%(reference)s was moved to %(stage)s meanwhile. Check it and choose again.")
                % {"reference": complaint.reference, "stage": complaint.get_stage_display()}
            )
        if to_stage not in NEXT_STAGES.get(complaint.stage, set()):
            wanted = Complaint.Stage(to_stage).label if to_stage in Complaint.Stage else to_stage
            raise ComplaintError(
                _("A complaint that is %(stage)s cannot move to %(wanted)s.")
                % {"stage": complaint.get_stage_display(), "wanted": wanted}
            )
        was = complaint.stage
        _move(complaint, to_stage, by)
        _logged(complaint, "stage", f"{was} -> {to_stage}", by=by, request=request)
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
    request=None,
) -> Referral:
    """Record a referral to an authority (only with the complainant's consent); stage: referred."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint.consent_to_referral:
            raise ComplaintError(_("The complainant did not consent to a referral."))
        if complaint.stage not in (Complaint.Stage.UNDER_REVIEW, Complaint.Stage.REFERRED):
            raise ComplaintError(_("Review a complaint before referring it."))
        if referred_on > timezone.localdate():
            raise ComplaintError(_("A referral cannot be dated in the future."))
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
        _logged(complaint, "refer", f"referral {referral.pk}", by=by, request=request)
        _tell_complainant(complaint)
    return referral


def complaint_message_add(
    *,
    complaint: Complaint,
    shared_with_complainant: bool,
    by,
    body: str = "",
    language: str = "en-gb",
    template: str = "",
    request=None,
) -> ComplaintMessage:
    """Add an officer's message: a template in the complainant's language, or free text in the
    language the officer says it is in. If shared, the complainant sees it when tracking, and
    is emailed, in their language, that there is news (never what it says).
    """
    if template:
        if template not in MESSAGE_TEMPLATES:
            raise ComplaintError(_("Choose one of the messages offered."))
        language = complaint.preferred_language
        body = message_template_render(template=template, language=language)
    body = body.strip()
    if not body:
        raise ComplaintError(_("Write a message or choose one."))
    if len(body) > MAX_BODY:
        raise ComplaintError(
            _("A message can be at most %(most)d characters long.") % {"most": MAX_BODY}
        )
    if language not in dict(settings.LANGUAGES):
        raise ComplaintError(_("Say which language the message is in."))
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            body=body,
            language=language,
            shared_with_complainant=shared_with_complainant,
            by=by,
        )
        shared = "sent to the complainant" if shared_with_complainant else "not shared"
        _logged(complaint, "message", f"message {message.pk}, {shared}", by=by, request=request)
        if shared_with_complainant:
            # The email only says there is news: an inbox others may read holds nothing of it.
            _tell_complainant(complaint)
    return message


def complaint_note_add(*, complaint: Complaint, body: str, by, request=None) -> ComplaintNote:
    """Add an internal note: officers only, never the complainant, who is not told of it."""
    body = body.strip()
    if not body:
        raise ComplaintError(_("Write the note."))
    if len(body) > MAX_BODY:
        raise ComplaintError(
            _("A note can be at most %(most)d characters long.") % {"most": MAX_BODY}
        )
    with transaction.atomic():
        note = ComplaintNote.objects.create(complaint=complaint, body=body, by=by)
        _logged(complaint, "note", f"note {note.pk}", by=by, request=request)
    return note


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
        raise ComplaintError(_("Say what you want to add."))
    with uploads_removed_on_failure(), transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint_is_open(complaint):
            raise ComplaintFinished(_("This report is finished: nothing more can be added."))
        try:
            with transaction.atomic():  # a savepoint: a second click leaves the first one stored
                addition = ComplaintAddition.objects.create(
                    complaint=complaint, body=body, submission_token=submission_token
                )
        except IntegrityError:
            raise DuplicateSubmission(_("This form was already sent.")) from None
        for upload in evidence:
            upload, content_type = upload_prepared(upload)  # a photo without its metadata
            ComplaintEvidence.objects.create(
                complaint=complaint,
                addition=addition,
                file=upload,
                content_type=content_type,
                size=upload.size,
            )
        access_record(
            request=None,
            action="add",
            object_type=OBJECT_TYPE,
            object_ref=complaint.reference,
            detail=f"the complainant added information and {len(evidence)} file(s)",
        )
        outbox_enqueue(
            to=settings.IRIS_OFFICERS_EMAIL,
            template="iris-complaint-addition",
            context={"complaint": complaint, "files": len(evidence)},
        )
    return addition
