"""Django loads an app's models from here. IRIS keeps its two halves' models where they are
written: the roster and accreditation in iris.recruiters.models, the complaints mechanism in
iris.complaints.models (the roster's search index in iris.recruiters.roster_models).
Migrations and other apps name them through this module."""

from iris.complaints.models import (
    Complaint,
    ComplaintAddition,
    ComplaintCategory,
    ComplaintEvidence,
    ComplaintMessage,
    ComplaintNote,
    ComplaintTransition,
    Referral,
    evidence_path,
)
from iris.recruiters.models import (
    AccreditationDecision,
    AccreditationState,
    ApiKey,
    Application,
    ContactKind,
    Country,
    ImpostorContact,
    Recruiter,
    RecruiterContact,
    RecruiterCountry,
    RecruiterWatch,
    Sector,
    new_application_reference,
    new_watch_token,
)
from iris.recruiters.roster_models import RosterSpelling, RosterWord

__all__ = [
    "AccreditationDecision",
    "AccreditationState",
    "ApiKey",
    "Application",
    "Complaint",
    "ComplaintAddition",
    "ComplaintCategory",
    "ComplaintEvidence",
    "ComplaintMessage",
    "ComplaintNote",
    "ComplaintTransition",
    "ContactKind",
    "Country",
    "ImpostorContact",
    "Recruiter",
    "RecruiterContact",
    "RecruiterCountry",
    "RecruiterWatch",
    "Referral",
    "RosterSpelling",
    "RosterWord",
    "Sector",
    "evidence_path",
    "new_application_reference",
    "new_watch_token",
]
