"""Logging a session: what a volunteer delivered, straight after delivering it.

The form opens on the volunteer's recent un-logged shifts (one click picks one and fills in the
activity, venue, mode, times and co-volunteers), or an ad-hoc session. A debrief request puts a
follow-up in the volunteer's supervisor's queue, linked to the log.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

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
from peerdesk.services.permissions import Actor, Permission, PermissionDenied, require
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


@dataclass(frozen=True)
class SessionInput:
    """What the volunteer typed; `shift_id` None for an ad-hoc session."""

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
    )


def unlogged_shifts(session: Session, actor: Actor, now: datetime) -> list[UnloggedShift]:
    """The volunteer's planned shifts that started in the last 14 days and have ended, with
    no log from them yet: newest first, so the one just run is at the top.

    Read from the fortnight's shifts (the start-time index) with everyone on them, and sorted
    out here: asking SQLite for "this volunteer's" shifts makes it walk years of their
    assignments and logs (300 ms on ten years of data)."""
    volunteer_id = own_volunteer(actor)
    rows = session.execute(
        # Columns, not Shift objects: building hundreds of ORM objects costs more than the query.
        select(
            *columns(Shift, "id activity_id venue_id starts_at ends_at"),
            Activity.name,
            Activity.kind,
            Venue.name.label("venue"),
            Assignment.volunteer_id,
        )
        .join(Assignment, Assignment.shift_id == Shift.id)
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
    mine: list[Any] = []
    for row in rows:
        if row.volunteer_id == volunteer_id:
            mine.append(row)
        else:
            crews.setdefault(row.id, []).append(row.volunteer_id)
    logs = session.execute(
        select(SessionLog.shift_id, SessionLog.volunteer_id).where(
            SessionLog.shift_id.in_([row.id for row in mine])
        )
    )
    logged = {shift_id for shift_id, by in logs if by == volunteer_id}
    return [
        UnloggedShift(r.id, r.activity_id, r.name, r.venue_id, r.venue, default_mode(r.kind),
                      r.starts_at, r.ends_at, tuple(crews.get(r.id, ())))
        for r in mine
        if r.id not in logged
    ]  # fmt: skip


def log_session(session: Session, actor: Actor, data: SessionInput, now: datetime) -> uuid.UUID:
    """Save the log (and its debrief follow-up); returns the new log's id."""
    volunteer_id = own_volunteer(actor)
    check_times(data.started_at, data.ended_at, now)
    check_counts(data.attendees, data.new_attendees)
    notes = tidy_notes(data.notes)
    if data.shift_id is not None:
        _check_own_shift(session, data.shift_id, volunteer_id)
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
    return log.id


def _check_own_shift(session: Session, shift_id: uuid.UUID, volunteer_id: uuid.UUID) -> None:
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
    if mine is None:
        raise PermissionDenied(
            "That shift was not yours: you can log shifts you were on, or an ad-hoc session."
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
