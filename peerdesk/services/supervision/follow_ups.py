"""The follow-ups queue: debrief requests from session logs and safeguarding concerns a volunteer
raised, waiting for their supervisor to talk with them. A supervisor sees those for their
supervisees and any assigned to them; coordinators see all. A follow-up is closed by a
supervision session (see `recording`) or by a short note here.

The queue says only what kind of follow-up it is, for whom and since when: never the session's
notes or what the concern was about (those stay in their own, restricted views).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import local, show_date
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SafeguardingConcern,
    SessionLog,
    User,
    Volunteer,
)
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.access import require_recorder, supervisees_for
from peerdesk.services.volunteers.common import tidy


@dataclass(frozen=True)
class FollowUpRow:
    id: uuid.UUID
    kind: FollowUpKind
    volunteer_id: uuid.UUID
    volunteer: str
    raised_on: date  # local day it was asked for
    about: str  # e.g. "after Drop-in on 3 Nov": activity and day only
    assigned_to: str | None


def follow_up_queue(session: Session, actor: Actor, today: date | None = None) -> list[FollowUpRow]:
    """Open follow-ups the actor should deal with, oldest first."""
    require_recorder(actor)
    stmt = (
        select(
            FollowUp,
            Volunteer.preferred_name,
            User.display_name,
            Activity.name,
            SessionLog.started_at,
            SafeguardingConcern.occurred_at,
        )
        .join(Volunteer, Volunteer.id == FollowUp.volunteer_id)
        .outerjoin(User, User.id == FollowUp.assigned_user_id)
        .outerjoin(SessionLog, SessionLog.id == FollowUp.session_log_id)
        .outerjoin(Activity, Activity.id == SessionLog.activity_id)
        .outerjoin(SafeguardingConcern, SafeguardingConcern.id == FollowUp.concern_id)
        .where(FollowUp.status == FollowUpStatus.OPEN)
        .order_by(FollowUp.created_at, FollowUp.id)
    )
    mine = supervisees_for(session, actor, today or clock.today())
    if mine is not None:
        stmt = stmt.where(
            or_(FollowUp.volunteer_id.in_(mine), FollowUp.assigned_user_id == actor.user_id)
        )
    tz = group_zone(session)
    return [
        FollowUpRow(
            f.id,
            f.kind,
            f.volunteer_id,
            name,
            f.created_at.astimezone(tz).date(),
            _about(f.kind, activity, started, occurred, tz.key),
            assigned,
        )
        for f, name, assigned, activity, started, occurred in session.execute(stmt)
    ]


def _about(
    kind: FollowUpKind,
    activity: str | None,
    started: datetime | None,
    occurred: datetime | None,
    tz: str,
) -> str:
    if kind is FollowUpKind.DEBRIEF and started is not None:
        day = show_date(local(started, tz).date())
        return f"Asked to talk after {activity or 'a session'} on {day}"
    if occurred is not None:
        return f"Raised a safeguarding concern on {show_date(local(occurred, tz).date())}"
    return "Follow-up"


def open_follow_ups_for(
    session: Session, actor: Actor, volunteer_ids: set[uuid.UUID]
) -> list[FollowUpRow]:
    """The open follow-ups of the people in a session being recorded."""
    return [f for f in follow_up_queue(session, actor) if f.volunteer_id in volunteer_ids]


def close_follow_up(session: Session, actor: Actor, follow_up_id: uuid.UUID, note: str) -> None:
    """Close a follow-up with a short note (kept confidential: the audit trail says only that
    it changed)."""
    require_recorder(actor)
    text = tidy(note)
    if text is None:
        raise ValidationError("Write a short note saying how it was followed up.")
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise ValidationError("That follow-up is no longer on record.")
    if follow_up.status is not FollowUpStatus.OPEN:
        raise ValidationError("That follow-up has already been closed.")
    mine = supervisees_for(session, actor, clock.today())
    if (
        mine is not None
        and follow_up.volunteer_id not in mine
        and follow_up.assigned_user_id != actor.user_id
    ):
        raise PermissionDenied("That follow-up is for someone you do not supervise.")
    follow_up.status, follow_up.closed_at = FollowUpStatus.CLOSED, clock.now()
    follow_up.closing_note = text
    session.flush()
