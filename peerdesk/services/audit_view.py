"""The Audit page: the trail for coordinators, filtered by who, what and when, newest first.

Viewing the trail is itself not audited (it holds no personal notes: confidential fields are
recorded only as "changed").
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.db.audit import verify_chain
from peerdesk.models import AuditEvent, User
from peerdesk.services.permissions import Actor, Permission, require

PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""  # "" for everyone
    action: str = ""  # "" for every action
    entity_type: str = ""
    since: date | None = None
    until: date | None = None  # inclusive
    zone: str = DEFAULT_ZONE


@dataclass(frozen=True)
class AuditRow:
    seq: int
    occurred_at: datetime
    who: str
    action: str
    record: str
    changes: str  # "field: old → new; ..." or "" (or "(erased)")


def _filtered(stmt: Any, f: AuditFilter) -> Any:
    if f.username:
        stmt = stmt.where(User.username == f.username)
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.entity_type:
        stmt = stmt.where(AuditEvent.entity_type == f.entity_type)
    # Days are the organisation's local days (British Summer Time included), not UTC ones.
    if f.since:
        stmt = stmt.where(AuditEvent.occurred_at >= _local_midnight(f.since, f.zone))
    if f.until:
        stmt = stmt.where(
            AuditEvent.occurred_at < _local_midnight(f.until + timedelta(days=1), f.zone)
        )
    return stmt


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def audit_page(
    session: Session, actor: Actor, f: AuditFilter, offset: int = 0, limit: int = PAGE
) -> list[AuditRow]:
    require(actor, Permission.VIEW_AUDIT)
    stmt = select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.user_id)
    stmt = _filtered(stmt, f).order_by(AuditEvent.seq.desc()).offset(offset).limit(limit)
    return [_row(row[0], row[1]) for row in session.execute(stmt)]


def count_audit(session: Session, actor: Actor, f: AuditFilter) -> int:
    require(actor, Permission.VIEW_AUDIT)
    stmt = select(AuditEvent.seq).outerjoin(User, User.id == AuditEvent.user_id)
    return session.scalar(select(func.count()).select_from(_filtered(stmt, f).subquery())) or 0


def filter_choices(session: Session, actor: Actor) -> tuple[list[str], list[str], list[str]]:
    """Usernames, actions and record types that occur, for the filter boxes."""
    require(actor, Permission.VIEW_AUDIT)
    users = session.scalars(select(User.username).order_by(User.username)).all()
    actions = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    kinds = session.scalars(
        select(AuditEvent.entity_type).where(AuditEvent.entity_type.is_not(None)).distinct()
    )
    return list(users), list(actions), sorted(k for k in kinds if k)


def chain_problems(session: Session, actor: Actor) -> list[str]:
    require(actor, Permission.VIEW_AUDIT)
    return [f"event {p.seq}: {p.problem}" for p in verify_chain(session)]


def _row(ev: AuditEvent, name: str | None) -> AuditRow:
    record = f"{ev.entity_type} {_short(ev.entity_id)}" if ev.entity_type else ""
    return AuditRow(
        ev.seq, ev.occurred_at, name or "peerdesk", ev.action, record.strip(), _describe(ev)
    )


def _short(entity_id: str | None) -> str:
    if not entity_id:
        return ""
    try:
        return uuid.UUID(entity_id).hex[-8:]
    except ValueError:
        return entity_id[:16]


def _describe(ev: AuditEvent) -> str:
    if ev.scrubbed_at is not None:
        return "(erased)"
    if not ev.changes:
        return ""
    parts = []
    for field, value in json.loads(ev.changes).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            parts.append(f"{field}: {_shown(old)} → {_shown(new)}")
        else:
            parts.append(f"{field}: {value}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    return "—" if value is None else str(value)
