"""Materialising patterns into shifts for the months ahead, idempotently.

Each occurrence date of a pattern becomes one `Shift` row keyed by (pattern, date), its local
start converted to UTC on that day. Running it again changes nothing. When a pattern changes, the
shifts nobody has touched follow it; a shift with anyone on it, or one a coordinator edited
(its `version` has moved past 1), is kept as it is and counted, so nobody's plans move under
them. Cancelled and moved dates (pattern exceptions) are applied.

Shifts are written with bulk statements (a year of 40 patterns is thousands of rows) and each
pattern's generation is one audit event naming what it added, updated and removed.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.models import (
    Assignment,
    ExceptionKind,
    PatternException,
    Shift,
    ShiftPattern,
    ShiftStatus,
    pattern_required_roles,
    shift_required_roles,
)
from peerdesk.models.ids import new_id
from peerdesk.services.compliance import add_months
from peerdesk.services.rota.common import local_span
from peerdesk.services.rota.rules import occurrences, parse_rule
from peerdesk.services.rota.shapes import Generated

HORIZON_MONTHS = 12


@dataclass(frozen=True)
class Wanted:
    """What the pattern says the shift on one date should be."""

    starts_at: datetime
    ends_at: datetime
    status: ShiftStatus

    def differs(self, row: Any, pattern: ShiftPattern) -> bool:
        return (row.starts_at, row.ends_at, row.status) != (
            self.starts_at,
            self.ends_at,
            self.status,
        ) or (
            row.activity_id,
            row.venue_id,
            row.min_volunteers,
            row.max_volunteers,
            row.lone_working,
        ) != (
            pattern.activity_id,
            pattern.venue_id,
            pattern.min_volunteers,
            pattern.max_volunteers,
            pattern.lone_working,
        )


def horizon_end(today: date, months: int = HORIZON_MONTHS) -> date:
    """The last day of the horizon: 12 months from 2 Mar is up to 1 Mar the next year."""
    return add_months(today, months) - timedelta(days=1)


def generate_for(
    session: Session, pattern: ShiftPattern, today: date, zone: ZoneInfo, last: date
) -> Generated:
    """Bring the pattern's shifts from `today` to `last` in line with it."""
    wanted = _wanted(session, pattern, today, zone, last) if pattern.active else {}
    existing = _existing(session, pattern.id, today)
    touched = _touched(session, [row.id for row in existing.values()])
    roles = set(
        session.scalars(
            select(pattern_required_roles.c.role_id).where(
                pattern_required_roles.c.pattern_id == pattern.id
            )
        )
    )
    held = _roles_of(session, [row.id for row in existing.values()])
    added = [d for d in wanted if d not in existing]
    changed, kept, removed = [], 0, []
    for day, row in existing.items():
        same_roles = held.get(row.id, set()) == roles
        if day in wanted and same_roles and not wanted[day].differs(row, pattern):
            continue
        if row.id in touched:
            kept += 1
        elif day in wanted:
            changed.append(row.id)
        else:
            removed.append(row.id)
    _insert(session, pattern, {d: wanted[d] for d in added}, roles)
    by_id = {row.id: wanted[d] for d, row in existing.items() if d in wanted}
    _update(session, pattern, by_id, changed, roles)
    if removed:
        session.execute(delete(Shift).where(Shift.id.in_(removed)))
    result = Generated(len(added), len(changed), len(removed), kept)
    if added or changed or removed:
        _audit(session, pattern, result)
    return result


def _wanted(
    session: Session, pattern: ShiftPattern, today: date, zone: ZoneInfo, last: date
) -> dict[date, Wanted]:
    rule = parse_rule(pattern.rrule, pattern.first_on, pattern.local_start)
    first = max(pattern.first_on, today)
    end = min(pattern.until_on or last, last)
    if end < first:
        return {}
    days = occurrences(rule, first, end)
    exceptions = {
        e.occurrence_on: e
        for e in session.scalars(
            select(PatternException).where(
                PatternException.pattern_id == pattern.id, PatternException.occurrence_on >= first
            )
        )
    }
    found: dict[date, Wanted] = {}
    for day in days:
        starts, ends = local_span(day, pattern.local_start, pattern.duration_minutes, zone)
        found[day] = _apply(exceptions.get(day), starts, ends)
    return found


def _apply(exception: PatternException | None, starts: datetime, ends: datetime) -> Wanted:
    if exception is None:
        return Wanted(starts, ends, ShiftStatus.PLANNED)
    if exception.kind is ExceptionKind.CANCELLED:
        return Wanted(starts, ends, ShiftStatus.CANCELLED)
    assert exception.moved_starts_at is not None and exception.moved_ends_at is not None
    return Wanted(exception.moved_starts_at, exception.moved_ends_at, ShiftStatus.PLANNED)


def _existing(session: Session, pattern_id: uuid.UUID, today: date) -> dict[date, Any]:
    stmt = select(
        Shift.id,
        Shift.occurrence_on,
        Shift.starts_at,
        Shift.ends_at,
        Shift.status,
        Shift.activity_id,
        Shift.venue_id,
        Shift.min_volunteers,
        Shift.max_volunteers,
        Shift.lone_working,
        Shift.version,
    ).where(Shift.pattern_id == pattern_id, Shift.occurrence_on >= today)
    return {row.occurrence_on: row for row in session.execute(stmt)}


def _touched(session: Session, shift_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Shifts someone is on (in any state) or a coordinator has edited."""
    if not shift_ids:
        return set()
    edited = session.scalars(select(Shift.id).where(Shift.id.in_(shift_ids), Shift.version > 1))
    staffed = session.scalars(
        select(Assignment.shift_id).where(Assignment.shift_id.in_(shift_ids)).distinct()
    )
    return set(edited) | set(staffed)


def _roles_of(session: Session, shift_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    if not shift_ids:
        return found
    links = select(shift_required_roles.c.shift_id, shift_required_roles.c.role_id).where(
        shift_required_roles.c.shift_id.in_(shift_ids)
    )
    for shift_id, role_id in session.execute(links):
        found.setdefault(shift_id, set()).add(role_id)
    return found


def _values(pattern: ShiftPattern, want: Wanted) -> dict[str, Any]:
    return {
        "activity_id": pattern.activity_id,
        "venue_id": pattern.venue_id,
        "starts_at": want.starts_at,
        "ends_at": want.ends_at,
        "status": want.status,
        "min_volunteers": pattern.min_volunteers,
        "max_volunteers": pattern.max_volunteers,
        "lone_working": pattern.lone_working,
    }


def _insert(
    session: Session, pattern: ShiftPattern, wanted: dict[date, Wanted], roles: Iterable[uuid.UUID]
) -> None:
    if not wanted:
        return
    now = datetime.now(UTC)
    rows = [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "pattern_id": pattern.id,
            "occurrence_on": day,
            "version": 1,
            **_values(pattern, want),
        }
        for day, want in wanted.items()
    ]
    session.execute(insert(Shift), rows)
    links = [{"shift_id": r["id"], "role_id": role} for r in rows for role in roles]
    if links:
        session.execute(insert(shift_required_roles), links)


def _update(
    session: Session,
    pattern: ShiftPattern,
    wanted: dict[uuid.UUID, Wanted],
    ids: list[uuid.UUID],
    roles: set[uuid.UUID],
) -> None:
    # Core updates leave `version` at 1: a shift the generator moved is still untouched by
    # people, so the next change to the pattern may move it again.
    if not ids:
        return
    now = datetime.now(UTC)
    for shift_id in ids:
        session.execute(
            update(Shift)
            .where(Shift.id == shift_id)
            .values(updated_at=now, **_values(pattern, wanted[shift_id]))
            .execution_options(synchronize_session=False)
        )
    session.execute(delete(shift_required_roles).where(shift_required_roles.c.shift_id.in_(ids)))
    links = [{"shift_id": s, "role_id": r} for s in ids for r in roles]
    if links:
        session.execute(insert(shift_required_roles), links)


def _audit(session: Session, pattern: ShiftPattern, result: Generated) -> None:
    changes = {
        "added": result.added,
        "updated": result.updated,
        "removed": result.removed,
        "kept": result.kept,
    }
    audit.record(session, "generate_shifts", "shift_patterns", str(pattern.id), changes)
    session.info[audit.DATA_CHANGED] = True
