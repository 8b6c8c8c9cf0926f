"""Home-share: applications, matching runs, matches, agreements, check-ins and their reminders.

Privacy: a host's address and contact phone live only on HostApplication and are shown to a
student only once both sides have accepted (see `Match.address_visible_to_student`).
`__str__` never contains personal data, because the admin's log and error reports use it.
"""

from .agreements import Agreement, CheckIn, CheckInReminder
from .applications import (
    Application,
    ApplicationQuerySet,
    HostApplication,
    StudentApplication,
    age_on,
)
from .choices import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    OPEN_MATCH_STATUSES,
    AgreementStatus,
    Answer,
    ApplicationStatus,
    CheckKind,
    CheckMethod,
    CheckOutcome,
    Floor,
    Gender,
    GenderPreference,
    HelpTask,
    Interest,
    Language,
    MatchStatus,
    Meals,
    Recommendation,
    ReminderStatus,
    RunStatus,
    TimeOfWeek,
)
from .events import Event
from .matches import Match, MatchQuerySet
from .places import CommuteTime, University
from .runs import Candidate, Exclusion, MatchingRun
from .screening import REFERENCE_WINDOW_DAYS, REFERENCES_NEEDED, AgreementReference, ScreeningCheck

__all__ = [
    "EDITABLE_STATUSES",
    "LIVE_STATUSES",
    "OPEN_MATCH_STATUSES",
    "REFERENCES_NEEDED",
    "REFERENCE_WINDOW_DAYS",
    "Agreement",
    "AgreementReference",
    "AgreementStatus",
    "Answer",
    "Application",
    "ApplicationQuerySet",
    "ApplicationStatus",
    "Candidate",
    "CheckIn",
    "CheckInReminder",
    "CheckKind",
    "CheckMethod",
    "CheckOutcome",
    "CommuteTime",
    "Event",
    "Exclusion",
    "Floor",
    "Gender",
    "GenderPreference",
    "HelpTask",
    "HostApplication",
    "Interest",
    "Language",
    "Match",
    "MatchQuerySet",
    "MatchStatus",
    "MatchingRun",
    "Meals",
    "Recommendation",
    "ReminderStatus",
    "RunStatus",
    "ScreeningCheck",
    "StudentApplication",
    "TimeOfWeek",
    "University",
    "age_on",
]
