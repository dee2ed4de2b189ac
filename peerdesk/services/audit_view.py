"""The Audit page: the trail for coordinators, filtered by who, what and when, newest first,
each event said as a sentence with the names of the people and records it is about.

Viewing the trail is itself not audited (it holds no personal notes: confidential fields are
recorded only as "changed").
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.dates import DEFAULT_ZONE, show_date, show_datetime
from peerdesk.db.audit import verify_chain
from peerdesk.models import AuditEvent, User
from peerdesk.services.audit_sentences import SYSTEM, Names, changes_of, look_up, sentence
from peerdesk.services.audit_words import field_words, kind_of
from peerdesk.services.permissions import Actor, Permission, require

PAGE = 200
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
    record: str  # the kind of record, in words ("DBS check"), or ""
    changes: str  # "phone number: old → new; ..." or "" (or "(erased)")
    sentence: str = ""  # "Jo changed Sam's phone number"


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
    found = [(row[0], row[1]) for row in session.execute(stmt)]
    names = look_up(session, [ev for ev, _who in found])
    return [_row(ev, who, names) for ev, who in found]


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


def _row(ev: AuditEvent, who: str | None, names: Names) -> AuditRow:
    record = kind_of(ev.entity_type).noun if ev.entity_type else ""
    return AuditRow(
        ev.seq,
        ev.occurred_at,
        who or SYSTEM,
        ev.action,
        record,
        _describe(ev),
        sentence(ev, who, names),
    )


def _describe(ev: AuditEvent) -> str:
    """The changes with fields in words; ids are left out (the sentence names the records)."""
    if ev.scrubbed_at is not None:
        return "(erased)"
    table = ev.entity_type or ""
    parts = []
    for field, value in changes_of(ev).items():
        if field == "id":
            continue  # a new record's own id: the sentence says which record it is
        words = field_words(table, field) if table else field.replace("_", " ")
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            if _is_id(old) or _is_id(new):
                parts.append(f"{words}: changed")
            else:
                parts.append(f"{words}: {_shown(old)} → {_shown(new)}")
        elif isinstance(value, dict | list):
            continue  # bookkeeping of a whole run (patterns, events): the sentence counts it
        else:
            parts.append(f"{words}: {value}")
    return "; ".join(parts)


def _is_id(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and _ISO_DAY.match(value):
        return _shown_when(value)
    return str(value)


def _shown_when(value: str) -> str:
    """A stored date or time the British way ("26 Nov 2026", "26 Nov 2026 14:05")."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) == 10:
        return show_date(when.date())
    if when.tzinfo is None:
        return value  # a wall-clock time with no zone (a repeating shift's first date)
    return show_datetime(when)
