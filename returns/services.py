"""The rules of a return case: intake, stage moves, assignment, plan, notes and documents."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from iomuk.anonymise import anonymise_each, anonymise_related
from iomuk.models import User
from iomuk.outbox import outbox_enqueue
from iomuk.storage import NOT_STORED_MESSAGE, UploadNotStored, uploads_removed_on_failure
from iomuk.uploads import upload_prepared

from .models import (
    CLOSED_STAGES,
    REINTEGRATION_SERVICES,
    CaseConsent,
    CaseDocument,
    CaseNote,
    CaseTransition,
    ConsentPurpose,
    ContactMethod,
    Dimension,
    FollowUp,
    FollowUpState,
    FollowUpSupport,
    NotEligibleReason,
    ReferenceCounter,
    ReferrerOutcomeEmail,
    ReturnCase,
    ReturnPlanItem,
    Service,
    Stage,
    SupportAction,
    SurveyAnswer,
    SurveyIndicator,
    TravelDocument,
)

# After departure the person is home: they may still leave the programme (withdrawn), but
# "not eligible" for a return that has happened makes no sense.
OPEN_EXITS = [Stage.WITHDRAWN, Stage.NOT_ELIGIBLE]
ALLOWED: dict[str, list[str]] = {
    Stage.REFERRED: [Stage.ELIGIBILITY_CHECKED, *OPEN_EXITS],
    Stage.ELIGIBILITY_CHECKED: [Stage.APPROVED, *OPEN_EXITS],
    Stage.APPROVED: [Stage.TRAVEL_ARRANGED, *OPEN_EXITS],
    Stage.TRAVEL_ARRANGED: [Stage.DEPARTED, *OPEN_EXITS],
    Stage.DEPARTED: [Stage.REINTEGRATION, Stage.WITHDRAWN],
    Stage.REINTEGRATION: [Stage.CLOSED, Stage.WITHDRAWN],
    Stage.CLOSED: [],
    Stage.WITHDRAWN: [],
    Stage.NOT_ELIGIBLE: [],
}
TRAVEL_SERVICES = [Service.TRAVEL_DOCUMENT, Service.FLIGHT, Service.LAND_TRANSPORT]
# The plan items that must be finished (done, or not needed) before a case takes a move.
PLAN_FINISHED_BEFORE: dict[str, list[str]] = {
    Stage.TRAVEL_ARRANGED: TRAVEL_SERVICES,
    Stage.DEPARTED: TRAVEL_SERVICES,
    Stage.CLOSED: list(Service),
}
FINISHED_PLAN_STATUSES = {ReturnPlanItem.Status.DONE, ReturnPlanItem.Status.NOT_NEEDED}
# Moves that need a case manager's permission, not only a caseworker's.
NEEDS_APPROVAL = {(Stage.ELIGIBILITY_CHECKED, Stage.APPROVED)}


def case_waiting_for(*, case: ReturnCase) -> str:
    """What the case waits for now, and whose move it is, as the case page says it."""
    caseworker = case.assigned_caseworker
    who = (
        _("%(name)s, the caseworker,")
        % {"name": caseworker.get_full_name() or caseworker.get_username()}
        if caseworker
        else _("a caseworker (the case is in the intake queue)")
    )
    if case.stage == Stage.REFERRED and caseworker is None:
        return _("Waiting for a caseworker to take the case from the intake queue.")
    sentences = {
        Stage.REFERRED: _("Waiting for %(who)s to check eligibility."),
        Stage.ELIGIBILITY_CHECKED: _("Waiting for a case manager's approval."),
        Stage.APPROVED: _(
            "Waiting for %(who)s to arrange travel: travel document, flight and land transport."
        ),
        Stage.TRAVEL_ARRANGED: _("Waiting for the departure, which %(who)s records."),
        Stage.DEPARTED: _("Waiting for %(who)s to record that reintegration support has started."),
        Stage.REINTEGRATION: _(
            "Waiting for reintegration support to finish; then %(who)s closes the case."
        ),
        Stage.CLOSED: _("Nothing: the case is closed."),
        Stage.WITHDRAWN: _("Nothing: the case was withdrawn."),
        Stage.NOT_ELIGIBLE: _("Nothing: the person is not eligible for this programme."),
    }
    return sentences[case.stage] % {"who": who}


# What happens next, told to the partner who made the referral: no names, no case details.
REFERRAL_NEXT_STEP = {
    Stage.REFERRED: gettext_lazy(
        "An IOM UK caseworker checks that the person is eligible for a voluntary return."
    ),
    Stage.ELIGIBILITY_CHECKED: gettext_lazy(
        "The person is eligible. An IOM UK case manager decides whether to approve the return."
    ),
    Stage.APPROVED: gettext_lazy(
        "The return is approved. IOM UK arranges the travel document, the flight and the "
        "journey home."
    ),
    Stage.TRAVEL_ARRANGED: gettext_lazy(
        "Travel is booked. The person travels on the planned date."
    ),
    Stage.DEPARTED: gettext_lazy(
        "The person has left the UK. IOM's partners in the country of return start the "
        "reintegration support."
    ),
    Stage.REINTEGRATION: gettext_lazy(
        "The person is getting reintegration support in the country of return."
    ),
    Stage.CLOSED: gettext_lazy("Nothing more: the return and its support are complete."),
    Stage.WITHDRAWN: gettext_lazy("Nothing more: the referral was withdrawn."),
    Stage.NOT_ELIGIBLE: gettext_lazy(
        "Nothing more: IOM UK cannot help with this return. The caseworker will have told you "
        "why, and where else to turn."
    ),
}

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else changed this case while you were looking at it, so nothing of yours was saved "
    "yet. What you typed is still in the form, beside what they changed: check it and save again."
)


class CaseError(Exception):
    """A change the rules do not allow; the message is safe to show."""


class CaseConflict(CaseError):
    pass


class DocumentRefused(CaseError):
    pass


def moves_allowed(*, case: ReturnCase, user: User) -> list[str]:
    """The stages `user` may move `case` to from where it is now."""
    if not user.has_perm("returns.change_returncase"):
        return []
    return [
        stage
        for stage in ALLOWED[case.stage]
        if (case.stage, stage) not in NEEDS_APPROVAL or user.has_perm("returns.approve_case")
    ]


def move_refused_by_plan(
    *, case: ReturnCase, to_stage: str, plan_items: list[ReturnPlanItem] | None = None
) -> str:
    """Why the return plan does not support moving `case` to `to_stage`, in plain words, or ""."""
    needed = PLAN_FINISHED_BEFORE.get(to_stage, [])
    if not needed:
        return ""
    unfinished = [
        item
        for item in (case.plan_items.all() if plan_items is None else plan_items)
        if item.service in needed and item.status not in FINISHED_PLAN_STATUSES
    ]
    if not unfinished:
        return ""
    names = [
        f"{item.get_service_display()} ({item.get_status_display()}"
        + (f", due {item.due_date:%-d %b %Y})" if item.due_date else ", no date)")
        for item in unfinished
    ]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return ngettext(
        "The case cannot move to “%(stage)s” yet: in the return plan, %(items)s is not done. "
        "Mark it Done (or Not needed) in the return plan first.",
        "The case cannot move to “%(stage)s” yet: in the return plan, %(items)s are not done. "
        "Mark each one Done (or Not needed) in the return plan first.",
        len(names),
    ) % {"stage": Stage(to_stage).label, "items": listed}


def case_reference_next(*, year: int) -> str:
    """Take the next number of `year` under a row lock, so two referrals never share one."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"RR-{year}-{counter.last_number:04d}"


def case_refer(
    *,
    by: User,
    data: dict,
    services: list[str],
    document: UploadedFile | None = None,
    document_kind: str = CaseDocument.Kind.CONSENT,
) -> ReturnCase:
    """Make a case from a referral, with its reference, first timeline entry and return plan."""
    if not data.get("consent_to_return"):
        raise CaseError(_("No referral can be accepted without the person's consent to return."))
    # A case not stored (its document refused, the commit failing) leaves no file behind.
    with uploads_removed_on_failure(), transaction.atomic():
        case = ReturnCase(referred_by=by, stage=Stage.REFERRED, **data)
        case.reference = case_reference_next(year=timezone.localdate().year)
        case.full_clean()
        case.save()
        CaseTransition.objects.create(
            case=case, from_stage="", to_stage=Stage.REFERRED, by=by, reason=_("Referral received")
        )
        valid_document = case.travel_document in (TravelDocument.PASSPORT, TravelDocument.ID_CARD)
        plan = [
            (Service.TRAVEL_DOCUMENT, not valid_document),
            (Service.FLIGHT, True),
            (Service.LAND_TRANSPORT, case.land_transport_needed),
        ] + [(service, service in services) for service in REINTEGRATION_SERVICES]
        ReturnPlanItem.objects.bulk_create(
            ReturnPlanItem(
                case=case,
                service=service,
                status=ReturnPlanItem.Status.TO_DO if needed else ReturnPlanItem.Status.NOT_NEEDED,
            )
            for service, needed in plan
        )
        if document is not None:
            case_document_add(case=case, by=by, kind=document_kind, upload=document)
    return case


def _case_bump(
    *, case: ReturnCase, expected_version: int, by: User | None = None, **changes
) -> None:
    # A conditional UPDATE: if someone saved the case since the form was drawn, nothing changes.
    updated = ReturnCase.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise CaseConflict(CONFLICT_MESSAGE)
    case.refresh_from_db()
    # UPDATE bypasses save(), so the change history is written here: who, when and the new state;
    # but only if something changed that a person would call a change (a plan save, or details
    # saved as they were, move the version on and nothing else).
    if _changed_since_last_history(case):
        ReturnCase.history.bulk_history_create([case], update=True, default_user=by)


# Every save moves these on; on their own they are not a change to the case.
_BOOKKEEPING_FIELDS = {"version", "updated_at"}


def _changed_since_last_history(case: ReturnCase) -> bool:
    last = case.history.order_by("-history_date", "-history_id").first()
    if last is None:
        return True
    return any(
        getattr(last, field.attname) != getattr(case, field.attname)
        for field in last.tracked_fields
        if field.name not in _BOOKKEEPING_FIELDS
    )


def case_advance(
    *,
    case: ReturnCase,
    to_stage: str,
    by: User,
    reason: str,
    expected_version: int,
    reason_category: str = "",
) -> ReturnCase:
    """Move a case one allowed step, recording who, when and why, and tell the people involved;
    "not eligible" also takes the category of why, which the referrer is told."""
    if case.version != expected_version:
        raise CaseConflict(CONFLICT_MESSAGE)
    if to_stage not in ALLOWED.get(case.stage, []):
        raise CaseError(_("A case cannot move from this stage to that one."))
    if to_stage not in moves_allowed(case=case, user=by):
        raise CaseError(_("Only a case manager can approve a return."))
    refused = move_refused_by_plan(case=case, to_stage=to_stage)
    if refused:
        raise CaseError(refused)
    if not reason.strip():
        raise CaseError(_("Say why the case is moving."))
    changes = {"stage": to_stage}
    if to_stage == Stage.NOT_ELIGIBLE:
        if reason_category not in NotEligibleReason.values:
            raise CaseError(_("Choose why the person is not eligible."))
        changes["not_eligible_reason"] = reason_category
    from_stage = case.stage
    with transaction.atomic():
        _case_bump(case=case, expected_version=expected_version, by=by, **changes)
        CaseTransition.objects.create(
            case=case, from_stage=from_stage, to_stage=to_stage, by=by, reason=reason.strip()
        )
        stage_label = Stage(to_stage).label
        caseworker = case.assigned_caseworker
        if caseworker is not None and caseworker.email and caseworker != by:
            outbox_enqueue(
                to=caseworker.email,
                template="returns-case-moved",
                context={"reference": case.reference, "stage": stage_label},
            )
        if case.referred_by.email and case.referred_by not in (by, caseworker):
            outbox_enqueue(
                to=case.referred_by.email,
                template="returns-referral-moved",
                context={"stage": stage_label},
            )
        if to_stage == Stage.DEPARTED:
            follow_ups_schedule(case=case)
        if to_stage == Stage.WITHDRAWN:
            # The person has left the programme: nobody calls them on its behalf any more.
            case.follow_ups.filter(state=FollowUpState.DUE).update(state=FollowUpState.CANCELLED)
    return case


def case_update(*, case: ReturnCase, by: User, changes: dict, expected_version: int) -> ReturnCase:
    """Change the facts of a case that move on (risk, travel, notes), never its identity."""
    if not by.has_perm("returns.change_returncase"):
        raise CaseError(_("You cannot change return cases."))
    for name, value in changes.items():
        setattr(case, name, value)
    try:
        case.full_clean()
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        _case_bump(case=case, expected_version=expected_version, by=by, **changes)
    return case


def case_assign(
    *, case: ReturnCase, caseworker: User | None, by: User, expected_version: int
) -> ReturnCase:
    """Give a case to a caseworker (or back to the intake queue); only case managers may."""
    if not by.has_perm("returns.assign_case"):
        raise CaseError(_("Only a case manager can assign cases."))
    if caseworker is not None and not caseworker.has_perm("returns.change_returncase"):
        raise CaseError(_("That person cannot work on return cases."))
    with transaction.atomic():
        _case_bump(
            case=case, expected_version=expected_version, by=by, assigned_caseworker=caseworker
        )
        if caseworker is not None and caseworker.email and caseworker != by:
            outbox_enqueue(
                to=caseworker.email,
                template="returns-case-assigned",
                context={"reference": case.reference, "stage": case.get_stage_display()},
            )
    return case


def case_take(*, case: ReturnCase, by: User) -> ReturnCase:
    """A caseworker takes an open case from the intake queue; of two at once, the first gets it."""
    if not by.has_perm("returns.change_returncase"):
        raise CaseError(_("You cannot work on return cases."))
    with transaction.atomic():
        # A conditional UPDATE: only a case still in the queue can be taken, so never twice.
        taken = (
            ReturnCase.objects.filter(pk=case.pk, assigned_caseworker__isnull=True)
            .exclude(stage__in=CLOSED_STAGES)
            .update(assigned_caseworker=by, version=F("version") + 1, updated_at=timezone.now())
        )
        if not taken:
            raise CaseConflict(_("This case is no longer in the intake queue."))
        case.refresh_from_db()
        ReturnCase.history.bulk_history_create([case], update=True, default_user=by)
    return case


PLAN_FIELDS = ("status", "due_date", "notes")


def plan_update(
    *, case: ReturnCase, by: User, changes: dict[int, dict], expected_version: int
) -> ReturnCase:
    """Save the whole return plan at once, if the case has not changed since it was read.

    `changes` maps each plan item's id to its status, due date and notes.
    """
    if not by.has_perm("returns.change_returnplanitem"):
        raise CaseError(_("You cannot change return plans."))
    items = {item.pk: item for item in case.plan_items.all()}
    if not set(changes) <= set(items):
        raise CaseError(_("That is not this case's return plan."))
    with transaction.atomic():
        # The plan is part of the case: its save takes the case's version, as every change does.
        _case_bump(case=case, expected_version=expected_version, by=by)
        for pk, values in changes.items():
            item = items[pk]
            changed = [name for name in PLAN_FIELDS if getattr(item, name) != values[name]]
            if not changed:
                continue  # an unchanged row gets no history entry
            for name in changed:
                setattr(item, name, values[name])
            try:
                item.full_clean()
            except ValidationError as exc:
                raise CaseError(" ".join(exc.messages)) from exc
            item._history_user = by
            item.save(update_fields=changed)
    return case


def case_note_add(*, case: ReturnCase, by: User, text: str) -> CaseNote:
    """Add a note to a case; notes are never edited, only added."""
    note = CaseNote(case=case, author=by, text=text.strip())
    note.full_clean()
    note.save()
    return note


def case_document_add(
    *, case: ReturnCase, by: User, kind: str, upload: UploadedFile
) -> CaseDocument:
    """Store a checked document privately under an opaque name (a photo without its metadata)."""
    try:
        upload, content_type = upload_prepared(upload)
    except ValidationError as exc:
        raise DocumentRefused(" ".join(exc.messages)) from exc
    document = CaseDocument(
        case=case,
        uploaded_by=by,
        kind=kind,
        # Control characters would break the download's Content-Disposition header.
        original_name="".join(ch for ch in (upload.name or "") if ch.isprintable())[-200:]
        or "document",
        size=upload.size,
        content_type=content_type,
    )
    try:
        document.file.save("upload", upload, save=False)
    except UploadNotStored as exc:  # a full or read-only uploads disk: nothing of it is left
        raise DocumentRefused(str(NOT_STORED_MESSAGE)) from exc
    try:
        with transaction.atomic():
            document.full_clean(exclude=["file"])
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# What identifies the person or the referrer, and every free text that may; reference, stage,
# country, dates, risk and the yes/no facts stay for the figures.
CASE_PERSONAL_DATA = {
    "referrer_name": "",
    "referrer_organisation": "",
    "referrer_contact": "",
    "full_name": "",
    "name_index": "",  # computed again from the blank name on save, so blank too
    "preferred_name": "",
    "languages": "",
    "safe_contact_details": "",
    "safe_times_to_call": "",
    "destination_town": "",
    "consent_partners": "",
    "consent_wording": "",
    "safeguarding_notes": "",
    "departure_airport": "",
    "fitness_to_fly_notes": "",
    "health_notes": "",
    "reintegration_notes": "",
}
# The case's rows that hold free text: blanked (with their history), or deleted outright.
CASE_RELATED_BLANKS = {
    "plan_items": {"notes": ""},
    "transitions": {"reason": ""},
    "consents": {"wording": ""},
}
CASE_RELATED_DELETED = ("notes", "documents")


def cases_due_for_anonymising(*, now=None):
    """Finished cases whose last stage move is older than RETURNS_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETURNS_RETENTION_DAYS)
    return (
        ReturnCase.objects.filter(stage__in=CLOSED_STAGES, anonymised_at__isnull=True)
        .annotate(last_move=Max("transitions__at"))
        .filter(last_move__lt=cutoff)
        .order_by("pk")
    )


def cases_anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Anonymise finished cases past retention: details, free text, notes and files go for good."""
    return anonymise_each(
        cases_due_for_anonymising(now=now),
        key="reference",
        # Only the year of birth is kept: enough for figures by age, too little to find anyone.
        blanks=lambda case: {
            **CASE_PERSONAL_DATA,
            "date_of_birth": case.date_of_birth.replace(month=1, day=1),
        },
        object_type="returns.case",
        detail=f"finished over {settings.RETURNS_RETENTION_DAYS} days ago",
        dry_run=dry_run,
        now=now,
        related=_case_related_clear,
    )


def _case_related_clear(case: ReturnCase) -> str:
    case.version += 1  # a form open on the case can no longer save over this
    anonymise_related(case, blanks=CASE_RELATED_BLANKS)
    names = [document.file.name for document in case.documents.all()]
    for related in CASE_RELATED_DELETED:
        getattr(case, related).all().delete()
    # The survey answers are the person's own words about their life: they go; whether each
    # follow-up reached the person stays for the figures.
    SurveyAnswer.objects.filter(follow_up__case=case).delete()
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: _files_delete(names))
    return f"; {len(names)} file(s) deleted"


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# After the return: consent per purpose and partner, follow-ups, the survey and its scores.


class FollowUpError(CaseError):
    pass


def consent_record(
    *, case: ReturnCase, by: User, purpose: str, partner: str, wording: str, given_on
) -> CaseConsent:
    """Record what the person agreed to share, for one purpose with one partner; a follow-up
    consent on a case that has departed schedules its follow-ups."""
    if not by.has_perm("returns.change_caseconsent"):
        raise CaseError(_("You cannot record consent."))
    if given_on > timezone.localdate():
        raise CaseError(_("Consent cannot be given in the future."))
    consent = CaseConsent(
        case=case,
        purpose=purpose,
        partner=partner.strip(),
        wording=wording.strip(),
        given_on=given_on,
        recorded_by=by,
    )
    try:
        consent.full_clean()
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        consent._history_user = by
        consent.save()
        if purpose == ConsentPurpose.FOLLOW_UP and case.stage not in CLOSED_STAGES:
            follow_ups_schedule(case=case)
    return consent


def consent_withdraw(*, consent: CaseConsent, by: User) -> CaseConsent:
    """Withdraw a consent, on record with who and when; without a follow-up consent left, the
    follow-ups still due are cancelled."""
    if not by.has_perm("returns.change_caseconsent"):
        raise CaseError(_("You cannot record consent."))
    with transaction.atomic():
        consent = CaseConsent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_on is not None:
            raise CaseError(_("This consent was already withdrawn."))
        consent.withdrawn_on = timezone.localdate()
        consent.withdrawn_by = by
        consent._history_user = by
        consent._change_reason = "withdrawn"
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        if consent.purpose == ConsentPurpose.FOLLOW_UP and not consent_given(
            case=consent.case, purpose=ConsentPurpose.FOLLOW_UP
        ):
            FollowUp.objects.filter(case=consent.case, state=FollowUpState.DUE).update(
                state=FollowUpState.CANCELLED
            )
    return consent


def consent_given(*, case: ReturnCase, purpose: str) -> bool:
    """Whether the person agrees now to `purpose` (with at least one partner)."""
    return case.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists()


def _months_later(day, months: int):
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def case_departed_on(case: ReturnCase):
    """The day the case last moved to "departed", or None."""
    moved = case.transitions.filter(to_stage=Stage.DEPARTED).order_by("-at", "-pk").first()
    return timezone.localdate(moved.at) if moved else None


def follow_ups_schedule(*, case: ReturnCase) -> list[FollowUp]:
    """Schedule a follow-up RETURNS_FOLLOW_UP_MONTHS after departure, once each, if the person
    agreed to follow-up calls; returns those made now."""
    departed_on = case_departed_on(case)
    if departed_on is None or not consent_given(case=case, purpose=ConsentPurpose.FOLLOW_UP):
        return []
    made = []
    for months in settings.RETURNS_FOLLOW_UP_MONTHS:
        follow_up, created = FollowUp.objects.get_or_create(
            case=case, months=months, defaults={"due_on": _months_later(departed_on, months)}
        )
        if created:
            made.append(follow_up)
    return made


def follow_ups_remind(*, today=None) -> int:
    """Email each due follow-up's caseworker once, RETURNS_FOLLOW_UP_REMIND_DAYS before it is
    due: a neutral subject and a link, nothing about the person. Returns how many went."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.RETURNS_FOLLOW_UP_REMIND_DAYS)
    due = FollowUp.objects.filter(
        state=FollowUpState.DUE,
        reminded_at__isnull=True,
        due_on__lte=horizon,
        case__assigned_caseworker__isnull=False,
        case__anonymised_at__isnull=True,
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and marked with the email in one transaction: two runs never send twice.
            follow_up = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("case__assigned_caseworker")
                .filter(pk=pk)
                .first()
            )
            if follow_up is None:
                continue
            follow_up.reminded_at = timezone.now()
            follow_up.save(update_fields=["reminded_at"])
            caseworker = follow_up.case.assigned_caseworker
            if caseworker.email:
                outbox_enqueue(
                    to=caseworker.email,
                    template="returns-follow-up-due",
                    context={"reference": follow_up.case.reference},
                )
                sent += 1
    return sent


def survey_indicators() -> list[SurveyIndicator]:
    return list(SurveyIndicator.objects.filter(active=True))


def follow_up_record(
    *,
    follow_up: FollowUp,
    by: User,
    contact: str,
    answers: dict[int, int | None],
    support: list[str],
) -> FollowUp:
    """Record a follow-up: how contact was made (not reaching the person is an outcome too),
    the survey answers by indicator id (a position on its scale, None for no answer) and the
    return-plan services it led to, reopened (or added, if they were not needed)."""
    if not by.has_perm("returns.change_followup"):
        raise FollowUpError(_("You cannot record follow-ups."))
    if follow_up.state != FollowUpState.DUE:
        raise FollowUpError(_("This follow-up is no longer due."))
    if contact not in ContactMethod.values:
        raise FollowUpError(_("Say how contact was made."))
    given = {pk: value for pk, value in answers.items() if value is not None}
    if contact == ContactMethod.NOT_REACHED and given:
        raise FollowUpError(_("No answers can be recorded when the person was not reached."))
    indicators = {indicator.pk: indicator for indicator in survey_indicators()}
    for pk, value in given.items():
        if pk not in indicators or not 0 <= value < len(indicators[pk].scale):
            raise FollowUpError(_("An answer is not on its question's scale."))
    case = follow_up.case
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=follow_up.pk, state=FollowUpState.DUE).update(
            state=FollowUpState.DONE,
            contact=contact,
            done_on=timezone.localdate(),
            recorded_by=by,
        )
        if not updated:
            raise FollowUpError(_("This follow-up is no longer due."))
        follow_up.refresh_from_db()
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(follow_up=follow_up, indicator=indicators[pk], answer=str(value))
            for pk, value in given.items()
        )
        _follow_up_support(follow_up=follow_up, by=by, services=support)
        if ReferrerOutcomeEmail.objects.filter(case=case).exists() and case.referred_by.email:
            outbox_enqueue(
                to=case.referred_by.email, template="returns-referral-outcome", context={}
            )
    return follow_up


def _follow_up_support(*, follow_up: FollowUp, by: User, services: list[str]) -> None:
    if not services:
        return
    case = ReturnCase.objects.get(pk=follow_up.case_id)
    items = {item.service: item for item in case.plan_items.all()}
    changes, actions = {}, []
    for service in services:
        item = items.get(service)
        if item is None:
            item = ReturnPlanItem.objects.create(case=case, service=service)
            actions.append(
                FollowUpSupport(follow_up=follow_up, service=service, action=SupportAction.ADDED)
            )
            continue
        if item.status not in FINISHED_PLAN_STATUSES:
            continue  # already open: nothing to reopen
        action = (
            SupportAction.ADDED
            if item.status == ReturnPlanItem.Status.NOT_NEEDED
            else SupportAction.REOPENED
        )
        changes[item.pk] = {
            "status": ReturnPlanItem.Status.TO_DO,
            "due_date": item.due_date,
            "notes": item.notes,
        }
        actions.append(FollowUpSupport(follow_up=follow_up, service=service, action=action))
    if changes:
        plan_update(case=case, by=by, changes=changes, expected_version=case.version)
    FollowUpSupport.objects.bulk_create(actions)


def normalised_answer(indicator: SurveyIndicator, position: int) -> float:
    """An answer's place on its scale, from 0 (least sustainable) to 1 (most)."""
    steps = len(indicator.scale) - 1
    return position / steps if steps else 0.0


def survey_scores(answers: list[tuple[SurveyIndicator, int]]) -> dict[str, float | None]:
    """The scoring rule: a dimension's score is the weighted mean of its indicators' normalised
    answers (0..1, unanswered indicators left out); the composite is the mean of the dimension
    scores there are. None where nothing was answered."""
    scores: dict[str, float | None] = {}
    for dimension in Dimension.values:
        pairs = [
            (float(indicator.weight), normalised_answer(indicator, position))
            for indicator, position in answers
            if indicator.dimension == dimension
        ]
        total = sum(weight for weight, _value in pairs)
        scores[dimension] = (
            round(sum(weight * value for weight, value in pairs) / total, 2) if total else None
        )
    present = [score for score in scores.values() if score is not None]
    scores["composite"] = round(sum(present) / len(present), 2) if present else None
    return scores


def follow_up_scores(follow_up: FollowUp) -> dict[str, float | None]:
    """The scores of one follow-up's answers (decrypted here, never stored in clear)."""
    answers = [
        (answer.indicator, int(answer.answer))
        # (.all(): the answers and their indicators come prefetched by the selectors)
        for answer in follow_up.answers.all()
        if answer.answer != ""
    ]
    return survey_scores(answers)


def referral_outcome_email_choose(*, case: ReturnCase, by: User, wanted: bool) -> None:
    """The referrer asks (or stops asking) to be emailed when the referral's outcome changes."""
    if case.referred_by_id != by.pk:
        raise CaseError(_("Only the person who made the referral can choose this."))
    if wanted:
        ReferrerOutcomeEmail.objects.get_or_create(case=case)
    else:
        ReferrerOutcomeEmail.objects.filter(case=case).delete()


# What the referrer may know: the decision, the month of travel, whether each follow-up reached
# the person, and when. Never a score, an answer or any text a caseworker typed.
ACCEPTED_STAGES = [
    Stage.APPROVED,
    Stage.TRAVEL_ARRANGED,
    Stage.DEPARTED,
    Stage.REINTEGRATION,
    Stage.CLOSED,
]


def referral_outcome(*, case: ReturnCase) -> list[str]:
    """What became of a referral, in plain words for its referrer, one sentence a fact."""

    def month(day) -> str:
        return formats.date_format(day, "F Y")

    said = []
    if case.stage == Stage.NOT_ELIGIBLE:
        reason = (
            NotEligibleReason(case.not_eligible_reason).label
            if case.not_eligible_reason
            else _("No reason was recorded.")
        )
        said.append(_("Not eligible. Why: %(reason)s") % {"reason": reason})
        return said
    if case.stage in ACCEPTED_STAGES or case_departed_on(case):
        said.append(_("Accepted: the return was approved."))
    departed_on = case_departed_on(case)
    if departed_on:
        said.append(_("Travelled in %(month)s.") % {"month": month(departed_on)})
    # Once the person withdraws consent to follow-up calls, the referrer sees no more of them.
    if consent_given(case=case, purpose=ConsentPurpose.FOLLOW_UP):
        for follow_up in case.follow_ups.filter(state=FollowUpState.DONE).order_by("done_on"):
            if follow_up.reached:
                text = _("Followed up in %(month)s: the person was reached.")
            else:
                text = _("Followed up in %(month)s: the person could not be reached.")
            said.append(text % {"month": month(follow_up.done_on)})
    return said


def referral_outcome_emails_wanted(*, case: ReturnCase) -> bool:
    return ReferrerOutcomeEmail.objects.filter(case=case).exists()


# A subject access request: everything held about a case's person, and erasure on request.


def _row(record, *, leave_out=()) -> dict:
    """A row's own fields as JSON values (encrypted ones decrypted), foreign keys by id."""
    values = {}
    for field in record._meta.concrete_fields:
        if field.name in leave_out:
            continue
        value = getattr(record, field.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # a Decimal
            value = str(value)
        elif isinstance(value, bytes | memoryview):
            continue
        values[field.name] = value
    return values


def case_subject_access_export(*, case: ReturnCase, by: User) -> dict:
    """Everything the returns app holds about the case's person, field by field, for them to
    take away: the case, its plan, timeline, notes, documents (described; the files are sent
    separately), consents, and each follow-up with the survey answers as the person gave them."""
    if not by.has_perm("returns.subject_access"):
        raise CaseError(_("Only a case manager can answer a subject access request."))
    follow_ups = []
    for follow_up in case.follow_ups.prefetch_related("answers__indicator", "support"):
        follow_ups.append(
            {
                **_row(follow_up, leave_out=("case",)),
                "answers": [
                    {
                        "question": answer.indicator.question,
                        "dimension": answer.indicator.dimension,
                        "answer": answer.indicator.scale[int(answer.answer)]
                        if answer.answer.isdigit()
                        and int(answer.answer) < len(answer.indicator.scale)
                        else answer.answer,
                    }
                    for answer in follow_up.answers.all()
                ],
                "support": [_row(s, leave_out=("follow_up",)) for s in follow_up.support.all()],
                "scores": follow_up_scores(follow_up),
            }
        )
    return {
        "case": _row(case, leave_out=("name_index",)),
        "plan": [_row(item, leave_out=("case",)) for item in case.plan_items.all()],
        "timeline": [_row(move, leave_out=("case",)) for move in case.transitions.all()],
        "notes": [_row(note, leave_out=("case",)) for note in case.notes.all()],
        "documents": [
            _row(document, leave_out=("case", "file")) for document in case.documents.all()
        ],
        "consents": [_row(consent, leave_out=("case",)) for consent in case.consents.all()],
        "follow_ups": follow_ups,
    }


def case_erase(*, case: ReturnCase, by: User) -> None:
    """Erase the person's data from a case now, at their request, as retention would: the
    same anonymiser, on record in the access log; reference, stage and dates stay."""
    if not by.has_perm("returns.subject_access"):
        raise CaseError(_("Only a case manager can erase a person's data."))
    if case.anonymised_at is not None:
        raise CaseError(_("This case's personal data was already erased."))
    if case.stage not in CLOSED_STAGES:
        # An open case still needs what it holds to bring the person home safely.
        raise CaseError(_("Close or withdraw the case before erasing the person's data."))
    anonymise_each(
        ReturnCase.objects.filter(pk=case.pk, anonymised_at__isnull=True),
        key="reference",
        blanks=lambda locked: {
            **CASE_PERSONAL_DATA,
            "date_of_birth": locked.date_of_birth.replace(month=1, day=1),
        },
        object_type="returns.case",
        detail=f"erased at the person's request, by {by.get_username()}",
        dry_run=False,
        related=_case_related_clear,
    )
    case.refresh_from_db()
