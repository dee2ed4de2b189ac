"""One session log in full, and a coordinator's corrections to it.

Every change is in the audit trail (old and new values; "changed" for the notes, which are
confidential). Notes are shown to coordinators and to the volunteer who wrote them.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import kept_if_unreadable, shown_value
from peerdesk.errors import ValidationError
from peerdesk.models import Activity, SessionCoVolunteer, SessionLog, SessionMode, Venue, Volunteer
from peerdesk.services.browse.sessions import visible_session_logs
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    may_see_session_notes,
    require,
)
from peerdesk.services.sessions.recording import set_co_volunteers
from peerdesk.services.sessions.rules import check_counts, check_times, tidy_notes

STALE = (
    "Someone else changed this session log while you had it open. Close it and open it "
    "again to see their change, then make yours."
)


@dataclass(frozen=True)
class SessionLogDetail:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer: str
    shift_id: uuid.UUID | None
    activity_id: uuid.UUID
    activity: str
    venue_id: uuid.UUID | None
    venue: str | None
    mode: SessionMode
    started_at: datetime
    ended_at: datetime
    attendees: int
    new_attendees: int
    co_volunteer_ids: tuple[uuid.UUID, ...]
    notes: str | None  # None also when the reader may not see them
    notes_shown: bool
    debrief_requested: bool
    safeguarding_flag: bool
    updated_at: datetime  # pass back to `correct_session_log` to detect someone else's edit


@dataclass(frozen=True)
class SessionCorrection:
    activity_id: uuid.UUID
    venue_id: uuid.UUID | None
    mode: SessionMode
    started_at: datetime
    ended_at: datetime
    attendees: int
    new_attendees: int
    co_volunteer_ids: tuple[uuid.UUID, ...]
    notes: str | None


def _visible_log(session: Session, actor: Actor, log_id: uuid.UUID) -> SessionLog:
    stmt = visible_session_logs(session, actor, select(SessionLog).where(SessionLog.id == log_id))
    log: SessionLog | None = session.scalar(stmt)
    if log is None:
        if session.get(SessionLog, log_id) is None:
            raise ValidationError("That session log is no longer on record.")
        raise PermissionDenied("You can see your own session logs, not this one.")
    return log


def session_log_detail(session: Session, actor: Actor, log_id: uuid.UUID) -> SessionLogDetail:
    log = _visible_log(session, actor, log_id)
    notes_shown = may_see_session_notes(actor, log.volunteer_id)
    co = session.scalars(
        select(SessionCoVolunteer.volunteer_id).where(SessionCoVolunteer.session_log_id == log.id)
    )
    venue = session.get(Venue, log.venue_id) if log.venue_id else None
    return SessionLogDetail(
        id=log.id,
        volunteer_id=log.volunteer_id,
        volunteer=session.get_one(Volunteer, log.volunteer_id).preferred_name,
        shift_id=log.shift_id,
        activity_id=log.activity_id,
        activity=session.get_one(Activity, log.activity_id).name,
        venue_id=log.venue_id,
        venue=venue.name if venue else None,
        mode=log.mode,
        started_at=log.started_at,
        ended_at=log.ended_at,
        attendees=log.attendees,
        new_attendees=log.new_attendees,
        co_volunteer_ids=tuple(sorted(co)),
        notes=shown_value(session, log.notes) if notes_shown else None,
        notes_shown=notes_shown,
        debrief_requested=log.debrief_requested,
        safeguarding_flag=log.safeguarding_flag,
        updated_at=log.updated_at,
    )


def correct_session_log(
    session: Session,
    actor: Actor,
    log_id: uuid.UUID,
    data: SessionCorrection,
    seen_updated_at: datetime,
    now: datetime,
) -> None:
    """A coordinator's correction; refused if someone else changed the log in the meantime."""
    require(actor, Permission.CORRECT_SESSION_LOGS)
    log = _visible_log(session, actor, log_id)
    if log.updated_at != seen_updated_at:
        raise ValidationError(STALE)
    check_times(data.started_at, data.ended_at, now, oldest=None)
    check_counts(data.attendees, data.new_attendees)
    if session.get(Activity, data.activity_id) is None:
        raise ValidationError("Choose what kind of session it was from the list.")
    log.activity_id, log.venue_id, log.mode = data.activity_id, data.venue_id, data.mode
    log.started_at, log.ended_at = data.started_at, data.ended_at
    log.attendees, log.new_attendees = data.attendees, data.new_attendees
    log.notes = kept_if_unreadable(tidy_notes(data.notes), log.notes)
    set_co_volunteers(session, log, data.co_volunteer_ids)
    session.flush()
