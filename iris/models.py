"""Django loads an app's models from here. IRIS keeps its two halves' models where they are
written: the roster and accreditation in iris.recruiters.models, the complaints mechanism in
iris.complaints.models. Migrations and other apps name them through this module."""

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
    AccreditationState,
    ApiKey,
    Application,
    Country,
    Recruiter,
    RecruiterCountry,
    RecruiterWatch,
    RosterSpelling,
    RosterWord,
    Sector,
    new_application_reference,
    new_watch_token,
)

__all__ = [
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
    "Country",
    "Recruiter",
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
