"""Volunteer records: the person, their status and its history, leaving, the optional equality
monitoring, and anonymising people who left longer ago than the group keeps records.

Functions take the open `Session` and the `Actor` they act for and run inside the caller's
`store.session(actor)`, which audits every change; they return frozen dataclasses, never live
ORM objects.

Who may do what:
- a record: coordinators see everything; a volunteer sees their own, a supervisor their own and
  their supervisees'; contact details only for coordinators and the person themself; notes and
  the leaving reason for coordinators only; trustees see no one;
- creating, editing, status changes, leaving and anonymising: coordinators;
- equality monitoring: coordinators and the person themself, nobody else, ever.
"""

from peerdesk.services.volunteers.anonymise import anonymise_leavers, retention_ends_on
from peerdesk.services.volunteers.equality import (
    PREFER_NOT_TO_SAY,
    EqualityAnswers,
    equality_monitoring,
    save_equality_monitoring,
)
from peerdesk.services.volunteers.records import (
    StatusStep,
    VolunteerInput,
    VolunteerRecord,
    create_volunteer,
    update_volunteer,
    volunteer_record,
)
from peerdesk.services.volunteers.status import (
    AffectedShift,
    allowed_moves,
    change_status,
    in_path_order,
    leave,
    not_yet_in_place,
)

__all__ = [
    "PREFER_NOT_TO_SAY",
    "AffectedShift",
    "EqualityAnswers",
    "StatusStep",
    "VolunteerInput",
    "VolunteerRecord",
    "allowed_moves",
    "anonymise_leavers",
    "change_status",
    "create_volunteer",
    "equality_monitoring",
    "in_path_order",
    "leave",
    "not_yet_in_place",
    "retention_ends_on",
    "save_equality_monitoring",
    "update_volunteer",
    "volunteer_record",
]
