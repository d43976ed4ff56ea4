"""The returns app's part in a subject access request across the portal (iomuk/subject_access.py):
a person's return cases, found by their full name and date of birth together."""

from django.utils.translation import gettext_lazy as _

from iomuk.fields import blind_index_lookups
from iomuk.subject_access import Person, SubjectAccessError, SubjectAccessSource

from . import services
from .models import ReturnCase

# Names, in the PDF, for what the models leave unnamed.
LABELS = {
    "reference": _("reference"),
    "stage": _("stage"),
    "created_at": _("created at"),
    "updated_at": _("updated at"),
    "anonymised_at": _("erased at"),
    "from_stage": _("from stage"),
    "to_stage": _("to stage"),
    "at": _("at"),
    "reason": _("reason"),
    "original_name": _("file name"),
    "content_type": _("type of file"),
    "size": _("size in bytes"),
    "recorded_at": _("recorded at"),
    "reminded_at": _("reminder sent at"),
    "action": _("what was done"),
    "question": _("question"),
    "dimension": _("dimension"),
    "answer": _("answer"),
    "scores": _("scores"),
}


def cases_of(person: Person) -> list[ReturnCase]:
    """Cases whose full name is the person's (every word) and whose date of birth is theirs: a
    name alone is shared by many people, and a case holds no email address."""
    if person.date_of_birth is None:
        return []
    lookup = blind_index_lookups("name_index", person.name)
    if lookup is None:
        return []
    return [
        case
        for case in ReturnCase.objects.filter(lookup).order_by("created_at")
        if person.has_name(case.full_name) and case.date_of_birth == person.date_of_birth
    ]


def case_export(case: ReturnCase, by) -> dict:
    whole = services.case_subject_access_export(case=case, by=by)
    return {
        **whole["case"],
        "plan_items": whole["plan"],
        "transitions": whole["timeline"],
        "notes": whole["notes"],
        "documents": whole["documents"],
        "consents": whole["consents"],
        "follow_ups": whole["follow_ups"],
    }


def case_erasable(case: ReturnCase) -> str:
    if case.anonymised_at is not None:
        return str(_("Already erased."))
    if case.stage not in services.CLOSED_STAGES:
        return str(_("The case is still open: it needs what it holds to bring the person home."))
    return ""


def case_erase(case: ReturnCase, by) -> bool:
    try:
        services.case_erase(case=case, by=by)
    except services.CaseError as exc:  # reopened meanwhile, or erased by someone else
        raise SubjectAccessError(str(exc)) from exc
    return True


SOURCES = (
    SubjectAccessSource(
        kind="return cases",
        title=_("Return cases"),
        rule=_("A return case is theirs when both the full name and the date of birth match."),
        object_type="returns.case",
        personal_data=services.CASE_PERSONAL_DATA,
        related_blanks=services.CASE_RELATED_BLANKS,
        related_deleted=services.CASE_RELATED_DELETED,
        find=cases_of,
        export=case_export,
        erasable=case_erasable,
        erase=case_erase,
        labels=LABELS,
        headings={
            "plan_items": _("return plan"),
            "transitions": _("stages of the case"),
            "notes": _("case notes"),
            "documents": _("case documents"),
            "consents": _("consents"),
            "follow_ups": _("follow-ups"),
            "answers": _("answers"),
            "support": _("support"),
        },
    ),
)
