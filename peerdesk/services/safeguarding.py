"""Safeguarding concerns and incidents: raised by whoever saw something worrying (usually from a
session log), seen only by coordinators and, read-only, by the person who raised them.

Every look at a concern is in the audit trail, so these functions that read a concern take a
write session (`store.session(actor)`). A concern moves open → escalated → referred externally
→ closed (any step may be skipped, and a closed concern may be reopened); each move keeps its
date. Follow-up actions have an owner and a due date. Until a concern is closed it stays on the
coordinators' Today page.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import local, show_date
from peerdesk.db import audit
from peerdesk.db.keyring import UNREADABLE, open_value, seal_for
from peerdesk.errors import ValidationError
from peerdesk.models import (
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    FollowUp,
    FollowUpKind,
    SafeguardingConcern,
    SessionLog,
    User,
    Volunteer,
)
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    can,
    may_log_sessions_for,
    may_see_concern,
    require,
)
from peerdesk.services.sessions.recording import supervisor_of
from peerdesk.wording import word

MAX_TEXT = 4000
# As said inside a sentence ("… is referred externally"); the words are `peerdesk.wording`'s.
CATEGORY_WORDS = {category: word(category).lower() for category in ConcernCategory}
STATUS_WORDS = {status: word(status).lower() for status in ConcernStatus}
NOT_YOURS = "Safeguarding concerns are seen only by coordinators and by the person who raised them."


@dataclass(frozen=True)
class ConcernInput:
    category: ConcernCategory
    occurred_at: datetime
    what_happened: str
    action_taken: str | None = None
    session_log_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ConcernActionRow:
    id: uuid.UUID
    description: str
    owner: str | None
    due_on: date | None
    done_on: date | None


@dataclass(frozen=True)
class ConcernDetail:
    id: uuid.UUID
    category: ConcernCategory
    status: ConcernStatus
    occurred_at: datetime
    raised_at: datetime
    raised_by: str | None
    what_happened: str
    action_taken: str | None
    session_log_id: uuid.UUID | None
    escalated_at: datetime | None
    referred_at: datetime | None
    closed_at: datetime | None
    actions: tuple[ConcernActionRow, ...]
    editable: bool  # False for the raiser: read-only once submitted


@dataclass(frozen=True)
class ConcernRow:
    """A concern in the list: never what happened, only what kind and where it stands."""

    id: uuid.UUID
    occurred_at: datetime
    category: ConcernCategory
    status: ConcernStatus
    raised_by: str | None
    open_actions: int


def _text(value: str | None, what: str, required: bool = False) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(f"Say {what}: a few words are enough.")
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(f"Keep {what} under {MAX_TEXT} characters.")
    return cleaned or None


def raise_concern(session: Session, actor: Actor, data: ConcernInput, now: datetime) -> uuid.UUID:
    """Record a concern; linked to the raiser's session log if given (which is then flagged)."""
    require(actor, Permission.LOG_SESSIONS)
    what = _text(data.what_happened, "what happened", required=True)
    action = _text(data.action_taken, "what you did straight away")
    if data.occurred_at > now + timedelta(minutes=5):
        raise ValidationError("The concern is dated in the future: put in when it happened.")
    log = _own_log(session, actor, data.session_log_id)
    concern = SafeguardingConcern(
        raised_by_volunteer_id=actor.volunteer_id,
        raised_by_user_id=actor.user_id,
        session_log_id=log.id if log else None,
        occurred_at=data.occurred_at,
        category=data.category,
        # Sealed to the coordinators and the person raising it (see docs/keys.md).
        what_happened=seal_for(session, what, [actor.user_id]) or "",
        action_taken=seal_for(session, action, [actor.user_id]),
        status=ConcernStatus.OPEN,
    )
    session.add(concern)
    session.flush()
    if log is not None:
        log.safeguarding_flag = True
    if actor.volunteer_id is not None:
        # The raiser's supervisor checks in with them: seeing something worrying is hard too.
        session.add(
            FollowUp(
                kind=FollowUpKind.CONCERN,
                volunteer_id=actor.volunteer_id,
                concern_id=concern.id,
                assigned_user_id=supervisor_of(session, actor.volunteer_id, now.date()),
            )
        )
    return concern.id


def _own_log(session: Session, actor: Actor, log_id: uuid.UUID | None) -> SessionLog | None:
    if log_id is None:
        return None
    log = session.get(SessionLog, log_id)
    if log is None:
        raise ValidationError("That session log is no longer on record.")
    if not may_log_sessions_for(actor, log.volunteer_id):
        raise PermissionDenied("A concern can be linked only to a session log of your own.")
    return log


def may_see(actor: Actor, concern: SafeguardingConcern) -> bool:
    return may_see_concern(actor, concern.raised_by_user_id, concern.raised_by_volunteer_id)


def _visible(session: Session, actor: Actor, concern_id: uuid.UUID) -> SafeguardingConcern:
    concern = session.get(SafeguardingConcern, concern_id)
    if concern is None:
        raise ValidationError("That concern is no longer on record.")
    if not may_see(actor, concern):
        raise PermissionDenied(NOT_YOURS)
    return concern


def concern_detail(session: Session, actor: Actor, concern_id: uuid.UUID) -> ConcernDetail:
    """The whole concern; the look itself goes in the audit trail."""
    concern = _visible(session, actor, concern_id)
    audit.record(session, "view", SafeguardingConcern.__tablename__, str(concern.id))
    actions = session.scalars(
        select(ConcernAction)
        .where(ConcernAction.concern_id == concern.id)
        .order_by(ConcernAction.due_on.is_(None), ConcernAction.due_on, ConcernAction.created_at)
    )
    return ConcernDetail(
        id=concern.id,
        category=concern.category,
        status=concern.status,
        occurred_at=concern.occurred_at,
        raised_at=concern.created_at,
        raised_by=_raiser(session, concern),
        what_happened=open_value(session, concern.what_happened) or UNREADABLE,
        action_taken=open_value(session, concern.action_taken),
        session_log_id=concern.session_log_id,
        escalated_at=concern.escalated_at,
        referred_at=concern.referred_at,
        closed_at=concern.closed_at,
        actions=tuple(
            ConcernActionRow(
                a.id,
                open_value(session, a.description) or UNREADABLE,
                a.owner_name,
                a.due_on,
                a.done_on,
            )
            for a in actions
        ),
        editable=can(actor, Permission.ACT_ON_CONCERNS),
    )


def _raiser(session: Session, concern: SafeguardingConcern) -> str | None:
    if concern.raised_by_volunteer_id is not None:
        volunteer = session.get(Volunteer, concern.raised_by_volunteer_id)
        if volunteer is not None:
            return volunteer.preferred_name
    if concern.raised_by_user_id is not None:
        user = session.get(User, concern.raised_by_user_id)
        if user is not None:
            return user.display_name
    return None


def concerns(session: Session, actor: Actor, include_closed: bool = True) -> list[ConcernRow]:
    """Coordinators: every concern; anyone else: those they raised. Newest first. Looking at
    the list is audited too (how many were listed, never what they say)."""
    require(actor, Permission.LOG_SESSIONS)
    stmt = select(SafeguardingConcern).order_by(SafeguardingConcern.occurred_at.desc())
    if not include_closed:
        stmt = stmt.where(SafeguardingConcern.status != ConcernStatus.CLOSED)
    found = [c for c in session.scalars(stmt) if may_see(actor, c)]
    open_actions: dict[uuid.UUID, int] = {}
    for concern_id in session.scalars(
        select(ConcernAction.concern_id).where(ConcernAction.done_on.is_(None))
    ):
        open_actions[concern_id] = open_actions.get(concern_id, 0) + 1
    audit.record(session, "view", SafeguardingConcern.__tablename__, changes={"listed": len(found)})
    return [
        ConcernRow(c.id, c.occurred_at, c.category, c.status, _raiser(session, c),
                   open_actions.get(c.id, 0))
        for c in found
    ]  # fmt: skip


def set_status(
    session: Session, actor: Actor, concern_id: uuid.UUID, status: ConcernStatus, now: datetime
) -> None:
    """Move a concern on (or reopen it); the date of each step is kept."""
    require(actor, Permission.ACT_ON_CONCERNS)
    concern = _visible(session, actor, concern_id)
    if concern.status is status:
        return
    concern.status = status
    if status is ConcernStatus.ESCALATED and concern.escalated_at is None:
        concern.escalated_at = now
    if status is ConcernStatus.REFERRED and concern.referred_at is None:
        concern.referred_at = now
    concern.closed_at = now if status is ConcernStatus.CLOSED else None


def add_action(
    session: Session,
    actor: Actor,
    concern_id: uuid.UUID,
    description: str,
    owner: str | None,
    due_on: date | None,
    today: date,
) -> uuid.UUID:
    require(actor, Permission.ACT_ON_CONCERNS)
    concern = _visible(session, actor, concern_id)
    text = _text(description, "what needs doing", required=True)
    if due_on is not None and due_on < today - timedelta(days=366):
        raise ValidationError("The due date is more than a year ago: check the year.")
    owner_name = _text(owner, "who will do it")
    if owner_name is not None and len(owner_name) > 200:
        raise ValidationError("Keep the owner's name under 200 characters.")
    owner_id = session.scalar(select(User.id).where(User.display_name == owner_name))
    action = ConcernAction(
        concern_id=concern.id,
        description=seal_for(session, text, [concern.raised_by_user_id]) or "",
        owner_user_id=owner_id,
        owner_name=owner_name,
        due_on=due_on,
    )
    session.add(action)
    session.flush()
    return action.id


def mark_action_done(
    session: Session, actor: Actor, action_id: uuid.UUID, done_on: date | None
) -> None:
    """Record an action as done on `done_on` (None: not done after all)."""
    require(actor, Permission.ACT_ON_CONCERNS)
    action = session.get(ConcernAction, action_id)
    if action is None:
        raise ValidationError("That action is no longer on record.")
    action.done_on = done_on


def open_concerns_attention(session: Session, actor: Actor, now: datetime) -> "list[Attention]":
    """For coordinators: one sentence per concern not yet closed, urgent while nobody has moved
    it on from open. No one else sees these (nor what any concern says)."""
    if not can(actor, Permission.VIEW_SAFEGUARDING):
        return []
    stmt = (
        select(SafeguardingConcern.category, SafeguardingConcern.status,
               SafeguardingConcern.occurred_at)
        .where(SafeguardingConcern.status != ConcernStatus.CLOSED)
        .order_by(SafeguardingConcern.occurred_at)
    )  # fmt: skip
    found = []
    for category, status, occurred in session.execute(stmt):
        when = show_date(local(occurred).date())
        kind = CATEGORY_WORDS[category]
        sentence = (
            f"A safeguarding concern ({kind}) from {when} is {STATUS_WORDS[status]} and not "
            "yet closed."
        )
        found.append(Attention("safeguarding", sentence, urgent=status is ConcernStatus.OPEN))
    return found
