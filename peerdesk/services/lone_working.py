"""Lone working: a volunteer on a lone-working shift checks in with the time they expect to
finish, and checks out when they are done. A check-out overdue by the organisation's margin is
urgent on the coordinators' Today page until someone checks out (the volunteer, or a
coordinator who has heard from them).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import show_time
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    Assignment,
    LoneWorkingCheck,
    Shift,
    ShiftStatus,
    Venue,
    Volunteer,
)
from peerdesk.services.attention import Attention
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, PermissionDenied, can, require
from peerdesk.services.sessions.recording import ON_SHIFT, own_volunteer
from peerdesk.wording import count

# Which lone-working shifts the volunteer is offered a check-in for: starting soon or running.
CHECK_IN_FROM = timedelta(hours=2)
LONGEST_EXPECTED = timedelta(hours=12)
# An overdue check-out this old is a record to tidy, not someone to ring now.
STILL_URGENT = timedelta(days=7)


@dataclass(frozen=True)
class LoneWorkingShift:
    shift_id: uuid.UUID
    activity: str
    venue: str | None
    starts_at: datetime
    ends_at: datetime
    check_id: uuid.UUID | None
    checked_in_at: datetime | None
    expected_end_at: datetime | None
    checked_out_at: datetime | None


@dataclass(frozen=True)
class OverdueCheckOut:
    check_id: uuid.UUID
    volunteer: str
    activity: str
    venue: str | None
    expected_end_at: datetime
    minutes_late: int


def lone_working_shifts(session: Session, actor: Actor, now: datetime) -> list[LoneWorkingShift]:
    """The volunteer's lone-working shifts from two hours ahead back to any still checked in or
    ended in the last 12 hours, earliest first."""
    volunteer_id = own_volunteer(actor)
    stmt = (
        select(Shift, Activity.name, Venue.name, LoneWorkingCheck)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(Activity, Activity.id == Shift.activity_id)
        .outerjoin(Venue, Venue.id == Shift.venue_id)
        .outerjoin(LoneWorkingCheck, LoneWorkingCheck.assignment_id == Assignment.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status.in_(ON_SHIFT),
            Shift.lone_working,
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at <= now + CHECK_IN_FROM,
            Shift.ends_at >= now - LONGEST_EXPECTED,
        )
        .order_by(Shift.starts_at)
    )
    return [
        LoneWorkingShift(
            shift.id, activity, venue, shift.starts_at, shift.ends_at,
            check.id if check else None, check.checked_in_at if check else None,
            check.expected_end_at if check else None, check.checked_out_at if check else None,
        )
        for shift, activity, venue, check in session.execute(stmt)
    ]  # fmt: skip


def _assignment(session: Session, actor: Actor, shift_id: uuid.UUID) -> Assignment:
    volunteer_id = own_volunteer(actor)
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise ValidationError("That shift is no longer on the rota.")
    assignment = session.scalar(
        select(Assignment).where(
            Assignment.shift_id == shift_id,
            Assignment.volunteer_id == volunteer_id,
            Assignment.status.in_(ON_SHIFT),
        )
    )
    if assignment is None:
        raise PermissionDenied("You can check in only for shifts you are on.")
    if not shift.lone_working:
        raise ValidationError("That shift is not a lone-working shift: there is no check-in.")
    return assignment


def check_in(
    session: Session, actor: Actor, shift_id: uuid.UUID, expected_end_at: datetime, now: datetime
) -> uuid.UUID:
    """Start of a lone-working shift: from now until `expected_end_at`."""
    assignment = _assignment(session, actor, shift_id)
    if expected_end_at <= now:
        raise ValidationError("The time you expect to finish has passed: put in a later time.")
    if expected_end_at - now > LONGEST_EXPECTED:
        raise ValidationError("You expect to finish more than 12 hours from now: check the time.")
    existing = session.scalar(
        select(LoneWorkingCheck).where(LoneWorkingCheck.assignment_id == assignment.id)
    )
    if existing is not None:
        raise ValidationError(
            f"You checked in for this shift at {show_time(existing.checked_in_at)} already."
        )
    check = LoneWorkingCheck(
        assignment_id=assignment.id, checked_in_at=now, expected_end_at=expected_end_at
    )
    session.add(check)
    session.flush()
    return check.id


def check_out(session: Session, actor: Actor, shift_id: uuid.UUID, now: datetime) -> None:
    assignment = _assignment(session, actor, shift_id)
    check = session.scalar(
        select(LoneWorkingCheck).where(LoneWorkingCheck.assignment_id == assignment.id)
    )
    if check is None:
        raise ValidationError("You have not checked in for this shift, so there is no check-out.")
    if check.checked_out_at is not None:
        raise ValidationError(f"You checked out at {show_time(check.checked_out_at)} already.")
    check.checked_out_at = max(now, check.checked_in_at)


def confirm_safe(session: Session, actor: Actor, check_id: uuid.UUID, now: datetime) -> None:
    """A coordinator has heard from the volunteer: record the check-out for them."""
    require(actor, Permission.WATCH_LONE_WORKING)
    check = session.get(LoneWorkingCheck, check_id)
    if check is None:
        raise ValidationError("That check-in is no longer on record.")
    if check.checked_out_at is None:
        check.checked_out_at = max(now, check.checked_in_at)


def margin(session: Session) -> timedelta:
    return timedelta(minutes=organisation_settings(session).lone_working_margin_minutes)


def overdue_check_outs(session: Session, actor: Actor, now: datetime) -> list[OverdueCheckOut]:
    """Coordinators only: check-ins with no check-out more than the margin after the expected
    finish (within the last week), longest overdue first."""
    require(actor, Permission.WATCH_LONE_WORKING)
    late = margin(session)
    stmt = (
        select(LoneWorkingCheck, Volunteer.preferred_name, Activity.name, Venue.name)
        .join(Assignment, Assignment.id == LoneWorkingCheck.assignment_id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Activity, Activity.id == Shift.activity_id)
        .outerjoin(Venue, Venue.id == Shift.venue_id)
        .where(
            LoneWorkingCheck.checked_out_at.is_(None),
            LoneWorkingCheck.expected_end_at < now - late,
            LoneWorkingCheck.expected_end_at >= now - STILL_URGENT,
        )
        .order_by(LoneWorkingCheck.expected_end_at)
    )
    return [
        OverdueCheckOut(check.id, volunteer, activity, venue, check.expected_end_at,
                        int((now - check.expected_end_at).total_seconds() // 60))
        for check, volunteer, activity, venue in session.execute(stmt)
    ]  # fmt: skip


def overdue_attention(session: Session, actor: Actor, now: datetime) -> "list[Attention]":
    """Urgent, for coordinators: someone working alone has not checked out."""
    if not can(actor, Permission.WATCH_LONE_WORKING):
        return []
    found = []
    for late in overdue_check_outs(session, actor, now):
        where = f" at {late.venue}" if late.venue else ""
        sentence = (
            f"{late.volunteer} has not checked out of {late.activity}{where}: they expected to "
            f"finish at {show_time(late.expected_end_at)}, {late_words(late.minutes_late)} ago. "
            "Contact them now."
        )
        found.append(Attention("safeguarding", sentence, urgent=True))
    return found


def late_words(n: int) -> str:
    """How late, in the unit a person would say: "45 minutes", "3 hours", "2 days"."""
    if n < 120:
        return count(n, "minute")
    return count(n // 60, "hour") if n < 48 * 60 else count(n // (24 * 60), "day")
