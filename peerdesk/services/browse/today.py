"""The Today page's figures. Everyone signed in sees the activity figures; the counts of open
safeguarding concerns and of overdue supervision actions are for coordinators only (None for
anyone else)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.models import (
    ActionStatus,
    ConcernStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SafeguardingConcern,
    SessionLog,
    Shift,
    ShiftStatus,
    SupervisionAction,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.browse.paging import Query
from peerdesk.services.browse.rota import filled_count, staffing_word
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.wording import NEEDS_COVER

LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class TodaySummary:
    active_volunteers: int
    shifts_ahead: int  # planned shifts in the next LOOKAHEAD_DAYS days
    shifts_needing_cover: int  # of those, short or unfilled
    open_concerns: int | None  # None: not for this person to see
    overdue_actions: int | None  # supervision actions open past their due date
    debriefs_waiting: int | None
    sessions_last_30_days: int
    people_reached_last_30_days: int


def today_summary(session: Session, actor: Actor, today: date) -> TodaySummary:
    """The figures a coordinator looks at first: who is active and what needs attention."""
    here = group_zone(session)
    start = datetime.combine(today, time(), here).astimezone(UTC)
    ahead = _shifts_ahead(session, start, start + timedelta(days=LOOKAHEAD_DAYS))
    # The last 30 days are today and the 29 before it, by the group's own calendar: a session
    # logged this morning counts straight away.
    first = datetime.combine(today - timedelta(days=29), time(), here).astimezone(UTC)
    after = datetime.combine(today + timedelta(days=1), time(), here).astimezone(UTC)
    sessions, reached = session.execute(
        select(func.count(), func.coalesce(func.sum(SessionLog.attendees), 0)).where(
            SessionLog.started_at >= first, SessionLog.started_at < after
        )
    ).one()
    count = func.count()
    return TodaySummary(
        active_volunteers=_scalar(
            session, select(count).where(Volunteer.status == VolunteerStatus.ACTIVE)
        ),
        shifts_ahead=len(ahead),
        shifts_needing_cover=sum(1 for w in ahead if w in NEEDS_COVER),
        open_concerns=_scalar(
            session, select(count).where(SafeguardingConcern.status != ConcernStatus.CLOSED)
        )
        if can(actor, Permission.VIEW_SAFEGUARDING)
        else None,
        overdue_actions=_scalar(
            session,
            select(count).where(
                SupervisionAction.status == ActionStatus.OPEN, SupervisionAction.due_on < today
            ),
        )
        if can(actor, Permission.OVERSEE_SUPERVISION)
        else None,
        debriefs_waiting=_scalar(
            session,
            select(count).where(
                FollowUp.kind == FollowUpKind.DEBRIEF, FollowUp.status == FollowUpStatus.OPEN
            ),
        )
        if can(actor, Permission.OVERSEE_SUPERVISION)
        else None,
        sessions_last_30_days=sessions,
        people_reached_last_30_days=reached,
    )


def _scalar(session: Session, stmt: Query) -> int:
    return session.scalar(stmt) or 0


def _shifts_ahead(session: Session, start: datetime, end: datetime) -> Sequence[str]:
    """The staffing word of every planned shift starting between start and end."""
    stmt = select(filled_count(Shift.id), Shift.min_volunteers, Shift.max_volunteers).where(
        Shift.starts_at >= start, Shift.starts_at < end, Shift.status == ShiftStatus.PLANNED
    )
    return [staffing_word(n, least, most) for n, least, most in session.execute(stmt)]
