"""Logging a session: what a volunteer delivered, straight after delivering it.

The form opens on the volunteer's recent un-logged shifts (one click picks one and fills in the
activity, venue, mode, times and co-volunteers), or an ad-hoc session. A debrief request puts a
follow-up in the volunteer's supervisor's queue, linked to the log.

A coordinator may also log a session for someone else (they ran it, or it came in on a paper
form): the same rules apply, and the audit trail says who entered it for whom.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    FollowUp,
    FollowUpKind,
    SessionCoVolunteer,
    SessionLog,
    SessionMode,
    Shift,
    ShiftStatus,
    SupervisionPairing,
    Venue,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.browse.paging import columns
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    can,
    may_log_sessions_for,
    require,
)
from peerdesk.services.sessions.rules import check_counts, check_times, tidy_notes

RECENT = timedelta(days=14)
# Assignments that mean the volunteer was (or was meant to be) there.
ON_SHIFT = (
    AssignmentStatus.OFFERED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.COVER_REQUESTED,
    AssignmentStatus.ATTENDED,
)
# Volunteers who can be named as co-volunteers on a new log.
DELIVERING = (VolunteerStatus.INDUCTION, VolunteerStatus.PROBATION, VolunteerStatus.ACTIVE)
NOT_LINKED = (
    "Your account is not linked to a volunteer record, so there is no one to log sessions for. "
    "Ask a coordinator to link it."
)
NOT_FOR_OTHERS = "You can log your own sessions only. A coordinator can log one for someone else."
LOGGED_FOR = "log_for_volunteer"  # the audit action when a session is entered for someone else


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class LogChoices:
    """What the log form offers: activities, venues and who might have co-delivered."""

    activities: tuple[Choice, ...]
    activity_kinds: dict[uuid.UUID, ActivityKind]
    venues: tuple[Choice, ...]
    volunteers: tuple[Choice, ...]  # not including the person logging
    runners: tuple[Choice, ...] = ()  # whom the actor may log a session for


@dataclass(frozen=True)
class UnloggedShift:
    shift_id: uuid.UUID
    activity_id: uuid.UUID
    activity: str
    venue_id: uuid.UUID | None
    venue: str | None
    mode: SessionMode
    starts_at: datetime
    ends_at: datetime
    co_volunteer_ids: tuple[uuid.UUID, ...]
    volunteer_id: uuid.UUID | None = None  # who ran it (or, for everyone's list, who likely did)
    volunteer: str = ""


@dataclass(frozen=True)
class SessionInput:
    """What the volunteer typed; `shift_id` None for an ad-hoc session; `volunteer_id` who ran
    it, None for the person logging."""

    activity_id: uuid.UUID
    mode: SessionMode
    started_at: datetime
    ended_at: datetime
    attendees: int
    new_attendees: int
    shift_id: uuid.UUID | None = None
    venue_id: uuid.UUID | None = None
    co_volunteer_ids: tuple[uuid.UUID, ...] = ()
    notes: str | None = None
    debrief_requested: bool = False
    volunteer_id: uuid.UUID | None = None


def default_mode(kind: ActivityKind) -> SessionMode:
    return {
        ActivityKind.PHONE_ONLINE: SessionMode.PHONE,
        ActivityKind.WALK_AND_TALK: SessionMode.WALK_AND_TALK,
    }.get(kind, SessionMode.IN_PERSON)


def own_volunteer(actor: Actor) -> uuid.UUID:
    require(actor, Permission.LOG_SESSIONS)
    if actor.volunteer_id is None:
        raise PermissionDenied(NOT_LINKED)
    return actor.volunteer_id


def logged_for(session: Session, actor: Actor, volunteer_id: uuid.UUID | None) -> uuid.UUID:
    """Whose session this is: the actor's own, or (a coordinator) anyone still on record."""
    if volunteer_id is None or volunteer_id == actor.volunteer_id:
        return own_volunteer(actor)
    require(actor, Permission.LOG_SESSIONS)
    if not may_log_sessions_for(actor, volunteer_id):
        raise PermissionDenied(NOT_FOR_OTHERS)
    anonymised = session.scalar(
        select(Volunteer.anonymised_at.is_not(None)).where(Volunteer.id == volunteer_id)
    )
    if anonymised is None or anonymised:
        raise ValidationError("That volunteer is no longer on record: choose who ran it again.")
    return volunteer_id


def log_choices(session: Session, actor: Actor) -> LogChoices:
    require(actor, Permission.LOG_SESSIONS)
    activities = session.execute(
        select(Activity.id, Activity.name, Activity.kind)
        .where(Activity.active)
        .order_by(Activity.name)
    ).all()
    venues = session.execute(
        select(Venue.id, Venue.name).where(Venue.active).order_by(Venue.name)
    ).all()
    people = session.execute(
        select(Volunteer.id, Volunteer.preferred_name)
        .where(Volunteer.status.in_(DELIVERING), Volunteer.anonymised_at.is_(None))
        .order_by(Volunteer.preferred_name)
    ).all()
    return LogChoices(
        tuple(Choice(i, n) for i, n, _k in activities),
        {i: k for i, _n, k in activities},
        tuple(Choice(i, n) for i, n in venues),
        tuple(Choice(i, n) for i, n in people if i != actor.volunteer_id),
        tuple(Choice(i, n) for i, n in people if may_log_sessions_for(actor, i)),
    )


def unlogged_shifts(session: Session, actor: Actor, now: datetime) -> list[UnloggedShift]:
    """The volunteer's planned shifts that started in the last 14 days and have ended, with
    no log from them yet: newest first, so the one just run is at the top."""
    volunteer_id = own_volunteer(actor)
    rows, crews, names = _recent_shifts(session, now)
    logged = _logged(session, [row.id for row in rows if row.volunteer_id == volunteer_id])
    return [
        _unlogged(row, crews, names, volunteer_id)
        for row in rows
        if row.volunteer_id == volunteer_id and (row.id, volunteer_id) not in logged
    ]


def everyones_unlogged_shifts(session: Session, actor: Actor, now: datetime) -> list[UnloggedShift]:
    """For a coordinator entering sessions (their own, or from paper): every planned shift of
    the last 14 days that has ended with nobody's log from it yet, newest first. Each names who
    most likely ran it (the coordinator if they were on it, else the first of the crew by name);
    the rest of the crew are its co-volunteers."""
    if not can(actor, Permission.LOG_SESSIONS_FOR_OTHERS):
        raise PermissionDenied(NOT_FOR_OTHERS)
    rows, crews, names = _recent_shifts(session, now)
    logged = {shift_id for shift_id, _by in _logged(session, list(crews))}
    firsts: dict[uuid.UUID, Any] = {}
    for row in rows:
        if row.id in logged:
            continue
        crew = sorted(crews[row.id], key=lambda v: (v != actor.volunteer_id, names[v]))
        if row.volunteer_id == crew[0]:
            firsts[row.id] = row
    return [_unlogged(row, crews, names, row.volunteer_id) for row in firsts.values()]


def _recent_shifts(
    session: Session, now: datetime
) -> tuple[list[Any], dict[uuid.UUID, list[uuid.UUID]], dict[uuid.UUID, str]]:
    """The fortnight's ended shifts, one row per person on each, newest first; each shift's
    crew; and their names.

    Read from the fortnight's shifts (the start-time index) with everyone on them, and sorted
    out by the caller: asking SQLite for "this volunteer's" shifts makes it walk years of their
    assignments and logs (300 ms on ten years of data)."""
    rows = session.execute(
        # Columns, not Shift objects: building hundreds of ORM objects costs more than the query.
        select(
            *columns(Shift, "id activity_id venue_id starts_at ends_at"),
            Activity.name,
            Activity.kind,
            Venue.name.label("venue"),
            Assignment.volunteer_id,
            Volunteer.preferred_name.label("person"),
        )
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .join(Activity, Activity.id == Shift.activity_id)
        .outerjoin(Venue, Venue.id == Shift.venue_id)
        .where(
            Shift.starts_at >= now - RECENT,
            Shift.starts_at <= now,
            Shift.ends_at <= now,
            Shift.status == ShiftStatus.PLANNED,
            Assignment.status.in_(ON_SHIFT),
        )
        .order_by(Shift.starts_at.desc())
    ).all()
    crews: dict[uuid.UUID, list[uuid.UUID]] = {}
    names: dict[uuid.UUID, str] = {}
    for row in rows:
        crews.setdefault(row.id, []).append(row.volunteer_id)
        names[row.volunteer_id] = row.person
    return list(rows), crews, names


def _logged(session: Session, shift_ids: list[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(shift, who logged it) for the logs from these shifts."""
    logs = session.execute(
        select(SessionLog.shift_id, SessionLog.volunteer_id).where(
            SessionLog.shift_id.in_(shift_ids)
        )
    )
    return {(shift_id, by) for shift_id, by in logs if shift_id is not None}


def _unlogged(
    row: Any,
    crews: dict[uuid.UUID, list[uuid.UUID]],
    names: dict[uuid.UUID, str],
    volunteer_id: uuid.UUID,
) -> UnloggedShift:
    others = tuple(v for v in crews.get(row.id, ()) if v != volunteer_id)
    return UnloggedShift(row.id, row.activity_id, row.name, row.venue_id, row.venue,
                         default_mode(row.kind), row.starts_at, row.ends_at, others,
                         volunteer_id, names[volunteer_id])  # fmt: skip


def log_session(session: Session, actor: Actor, data: SessionInput, now: datetime) -> uuid.UUID:
    """Save the log (and its debrief follow-up); returns the new log's id."""
    volunteer_id = logged_for(session, actor, data.volunteer_id)
    check_times(data.started_at, data.ended_at, now)
    check_counts(data.attendees, data.new_attendees)
    notes = tidy_notes(data.notes)
    if data.shift_id is not None:
        _check_own_shift(session, data.shift_id, volunteer_id, volunteer_id == actor.volunteer_id)
    _check_activity(session, data.activity_id)
    log = SessionLog(
        volunteer_id=volunteer_id,
        shift_id=data.shift_id,
        activity_id=data.activity_id,
        venue_id=data.venue_id,
        mode=data.mode,
        started_at=data.started_at,
        ended_at=data.ended_at,
        attendees=data.attendees,
        new_attendees=data.new_attendees,
        notes=notes,
        debrief_requested=data.debrief_requested,
        safeguarding_flag=False,
    )
    session.add(log)
    session.flush()
    set_co_volunteers(session, log, data.co_volunteer_ids)
    if data.debrief_requested:
        request_debrief(session, log, now.date())
    if volunteer_id != actor.volunteer_id:
        # The create event shows who saved it; this one says plainly it was for someone else.
        changes = {"volunteer_id": str(volunteer_id), "entered_by": actor.username}
        audit.record(session, LOGGED_FOR, SessionLog.__tablename__, str(log.id), changes)
    return log.id


def _check_own_shift(
    session: Session, shift_id: uuid.UUID, volunteer_id: uuid.UUID, own: bool = True
) -> None:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise ValidationError("That shift is no longer on the rota: log it as an ad-hoc session.")
    mine = session.scalar(
        select(Assignment.id).where(
            Assignment.shift_id == shift_id,
            Assignment.volunteer_id == volunteer_id,
            Assignment.status.in_(ON_SHIFT),
        )
    )
    if mine is None and own:
        raise PermissionDenied(
            "That shift was not yours: you can log shifts you were on, or an ad-hoc session."
        )
    if mine is None:
        raise ValidationError(
            "The person chosen as running it was not on that shift: choose someone who was, "
            "or log it as an ad-hoc session."
        )
    if shift.status is ShiftStatus.CANCELLED:
        raise ValidationError("That shift was cancelled: log it as an ad-hoc session instead.")


def _check_activity(session: Session, activity_id: uuid.UUID) -> None:
    if session.get(Activity, activity_id) is None:
        raise ValidationError("Choose what kind of session it was from the list.")


def set_co_volunteers(
    session: Session, log: SessionLog, volunteer_ids: tuple[uuid.UUID, ...]
) -> None:
    """Replace the log's co-volunteers with these (the logger is never their own)."""
    wanted = set(volunteer_ids) - {log.volunteer_id}
    known = set(session.scalars(select(Volunteer.id).where(Volunteer.id.in_(wanted))))
    if wanted - known:
        raise ValidationError("One of the co-volunteers is no longer on record: choose again.")
    current = {
        c.volunteer_id: c
        for c in session.scalars(
            select(SessionCoVolunteer).where(SessionCoVolunteer.session_log_id == log.id)
        )
    }
    for gone in set(current) - wanted:
        session.delete(current[gone])
    for added in sorted(wanted - set(current)):
        session.add(SessionCoVolunteer(session_log_id=log.id, volunteer_id=added))


def supervisor_of(session: Session, volunteer_id: uuid.UUID, day: date) -> uuid.UUID | None:
    """The volunteer's supervisor on `day` (the most recent pairing), or None."""
    return session.scalar(
        select(SupervisionPairing.supervisor_user_id)
        .where(
            SupervisionPairing.volunteer_id == volunteer_id,
            SupervisionPairing.since_on <= day,
            or_(SupervisionPairing.until_on.is_(None), SupervisionPairing.until_on >= day),
        )
        .order_by(SupervisionPairing.since_on.desc())
        .limit(1)
    )


def request_debrief(session: Session, log: SessionLog, today: date) -> FollowUp:
    """ "I'd like a check-in with someone": a follow-up in the supervisor's queue. Without a
    supervisor it waits unassigned, where coordinators see it."""
    pending = session.scalar(
        select(FollowUp).where(
            and_(FollowUp.kind == FollowUpKind.DEBRIEF, FollowUp.session_log_id == log.id)
        )
    )
    if pending is not None:
        return pending
    follow_up = FollowUp(
        kind=FollowUpKind.DEBRIEF,
        volunteer_id=log.volunteer_id,
        session_log_id=log.id,
        assigned_user_id=supervisor_of(session, log.volunteer_id, today),
    )
    session.add(follow_up)
    return follow_up
