"""What a piece of work in the window changed, in the domain's words.

An `Action` that succeeds announces the kinds it changed to the main window; each area declares
the kinds it shows (`ui/area_registry.py`) and reads itself again only when one of them was
announced. So saving a supervision record reads the Supervision area, Today and the audit trail
again, and leaves the rota alone.
"""

from enum import StrEnum


class Change(StrEnum):
    PEOPLE = "people"  # volunteers' records: details, status, roles held, DBS, leaving
    ROTA = "rota"  # shifts, patterns, venues and activities, who is on, availability
    SESSIONS = "sessions"  # session logs
    CONCERNS = "concerns"  # safeguarding concerns and what was done about them
    SUPERVISION = "supervision"  # supervision records, agreed actions, follow-ups
    TRAINING = "training"  # courses, completions, what each role needs
    FEEDBACK = "feedback"  # feedback and outcome answers
    REPORTS = "reports"  # reports exported and signed off, the reporting year
    SETTINGS = "settings"  # the organisation's name and policies
    ACCOUNTS = "accounts"  # who can sign in, their roles and passwords
    AUDIT = "audit"  # the audit trail alone: a confidential record was read, and that is kept


# Every change is written to the audit trail in the same transaction, so the Audit area shows
# them all; so does Today, which sums up the rest.
EVERYTHING = frozenset(Change)
