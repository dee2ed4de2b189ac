"""Materialising patterns into shifts for the months ahead, idempotently.

Each occurrence date of a pattern becomes one `Shift` row keyed by (pattern, date), its local
start converted to UTC on that day. Running it again changes nothing. When a pattern changes, the
shifts nobody has touched follow it; a shift with anyone on it, or one a coordinator edited
(its `version` has moved past 1), is kept as it is and counted, so nobody's plans move under
them. Cancelled and moved dates (pattern exceptions) are applied.

A year of 40 patterns is thousands of rows, so everything the patterns need is read in a few
queries, new shifts are written in one bulk insert, and the run is one audit event naming what
each pattern added, updated, removed and kept.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from peerdesk import clock
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
SHIFTS = cast(Table, Shift.__table__)
FOLLOWED = ("activity_id", "venue_id", "min_volunteers", "max_volunteers", "lone_working")


@dataclass(frozen=True)
class Wanted:
    """What the pattern says the shift on one date should be."""

    starts_at: datetime
    ends_at: datetime
    status: ShiftStatus


@dataclass
class Plan:
    """What one pattern's run will write."""

    pattern: ShiftPattern
    roles: set[uuid.UUID]
    added: dict[date, Wanted]
    changed: dict[uuid.UUID, Wanted]
    removed: list[uuid.UUID]
    kept: int

    @property
    def result(self) -> Generated:
        return Generated(len(self.added), len(self.changed), len(self.removed), self.kept)


def horizon_end(today: date, months: int = HORIZON_MONTHS) -> date:
    """The last day of the horizon: 12 months from 2 Mar is up to 1 Mar the next year."""
    return add_months(today, months) - timedelta(days=1)


def generate_for(
    session: Session,
    patterns: Sequence[ShiftPattern],
    today: date,
    zone: ZoneInfo,
    last: date,
) -> Generated:
    """Bring the patterns' shifts from `today` to `last` in line with them."""
    if not patterns:
        return Generated()
    ids = [p.id for p in patterns]
    exceptions = _exceptions(session, ids, today)
    existing = _existing(session, ids, today)
    touched = _touched(session, ids, today)
    roles = _pattern_roles(session, ids)
    held = _shift_roles(session, ids, today)
    plans = []
    for p in patterns:
        wanted = _wanted(p, exceptions.get(p.id, {}), today, zone, last) if p.active else {}
        plans.append(_plan(p, wanted, existing.get(p.id, {}), touched, roles.get(p.id, set()),
                           held))  # fmt: skip
    _write(session, plans)
    return _audit(session, plans)


def _plan(
    pattern: ShiftPattern,
    wanted: dict[date, Wanted],
    existing: dict[date, Any],
    touched: set[uuid.UUID],
    roles: set[uuid.UUID],
    held: dict[uuid.UUID, set[uuid.UUID]],
) -> Plan:
    plan = Plan(pattern, roles, {d: w for d, w in wanted.items() if d not in existing}, {}, [], 0)
    follows = tuple(getattr(pattern, k) for k in FOLLOWED)
    for day, row in existing.items():
        want = wanted.get(day)
        same = (
            want is not None
            and (row.starts_at, row.ends_at, row.status)
            == (want.starts_at, want.ends_at, want.status)
            and tuple(getattr(row, k) for k in FOLLOWED) == follows
            and held.get(row.id, set()) == roles
        )
        if same:
            continue
        if row.id in touched:
            plan.kept += 1
        elif want is not None:
            plan.changed[row.id] = want
        else:
            plan.removed.append(row.id)
    return plan


def _wanted(
    pattern: ShiftPattern,
    exceptions: dict[date, PatternException],
    today: date,
    zone: ZoneInfo,
    last: date,
) -> dict[date, Wanted]:
    first = max(pattern.first_on, today)
    rule = parse_rule(pattern.rrule, pattern.first_on, pattern.local_start, near=first)
    end = min(pattern.until_on or last, last)
    if end < first:
        return {}
    found: dict[date, Wanted] = {}
    for day in occurrences(rule, first, end):
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


# Reading, a query each for every pattern at once ------------------------------------------------


def _exceptions(
    session: Session, ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, dict[date, PatternException]]:
    found: dict[uuid.UUID, dict[date, PatternException]] = defaultdict(dict)
    stmt = select(PatternException).where(
        PatternException.pattern_id.in_(ids), PatternException.occurrence_on >= today
    )
    for e in session.scalars(stmt):
        found[e.pattern_id][e.occurrence_on] = e
    return found


def _existing(
    session: Session, ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, dict[date, Any]]:
    stmt = select(
        Shift.id,
        Shift.pattern_id,
        Shift.occurrence_on,
        Shift.starts_at,
        Shift.ends_at,
        Shift.status,
        *(getattr(Shift, k) for k in FOLLOWED),
    ).where(Shift.pattern_id.in_(ids), Shift.occurrence_on >= today)
    found: dict[uuid.UUID, dict[date, Any]] = defaultdict(dict)
    for row in session.execute(stmt):
        found[row.pattern_id][row.occurrence_on] = row
    return found


def _future(ids: list[uuid.UUID], today: date) -> Any:
    return select(Shift.id).where(Shift.pattern_id.in_(ids), Shift.occurrence_on >= today)


def _touched(session: Session, ids: list[uuid.UUID], today: date) -> set[uuid.UUID]:
    """Shifts someone is on (in any state) or a coordinator has edited."""
    edited = session.scalars(_future(ids, today).where(Shift.version > 1))
    staffed = session.scalars(
        select(Assignment.shift_id).where(Assignment.shift_id.in_(_future(ids, today))).distinct()
    )
    return set(edited) | set(staffed)


def _pattern_roles(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    links = pattern_required_roles
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for pattern_id, role_id in session.execute(
        select(links.c.pattern_id, links.c.role_id).where(links.c.pattern_id.in_(ids))
    ):
        found[pattern_id].add(role_id)
    return found


def _shift_roles(
    session: Session, ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, set[uuid.UUID]]:
    links = shift_required_roles
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for shift_id, role_id in session.execute(
        select(links.c.shift_id, links.c.role_id).where(links.c.shift_id.in_(_future(ids, today)))
    ):
        found[shift_id].add(role_id)
    return found


# Writing ----------------------------------------------------------------------------------------


def _values(pattern: ShiftPattern, want: Wanted) -> dict[str, Any]:
    return {
        **{k: getattr(pattern, k) for k in FOLLOWED},
        "starts_at": want.starts_at,
        "ends_at": want.ends_at,
        "status": want.status,
    }


def _write(session: Session, plans: list[Plan]) -> None:
    now = clock.now()
    rows, links = [], []
    for plan in plans:
        for day, want in plan.added.items():
            shift_id = new_id()
            rows.append({"id": shift_id, "created_at": now, "updated_at": now, "version": 1,
                         "pattern_id": plan.pattern.id, "occurrence_on": day,
                         **_values(plan.pattern, want)})  # fmt: skip
            links += [{"shift_id": shift_id, "role_id": r} for r in plan.roles]
        _update(session, plan, now)
        if plan.removed:
            session.execute(delete(Shift).where(Shift.id.in_(plan.removed)))
    # Core inserts: one statement for every new shift, without the ORM's per-row bookkeeping.
    if rows:
        session.execute(insert(SHIFTS), rows)
    if links:
        session.execute(insert(shift_required_roles), links)


def _update(session: Session, plan: Plan, now: datetime) -> None:
    # Core updates leave `version` at 1: a shift the generator moved is still untouched by
    # people, so the next change to the pattern may move it again.
    for shift_id, want in plan.changed.items():
        session.execute(
            update(SHIFTS)
            .where(SHIFTS.c.id == shift_id)
            .values(updated_at=now, **_values(plan.pattern, want))
        )
    if plan.changed:
        ids = list(plan.changed)
        links = shift_required_roles
        session.execute(delete(links).where(links.c.shift_id.in_(ids)))
        if plan.roles:
            session.execute(
                insert(links), [{"shift_id": s, "role_id": r} for s in ids for r in plan.roles]
            )


def _audit(session: Session, plans: list[Plan]) -> Generated:
    """One event for the run, with each pattern's figures (only patterns that changed)."""
    totals = Generated()
    changes = {}
    for plan in plans:
        r = plan.result
        totals = Generated(totals.added + r.added, totals.updated + r.updated,
                           totals.removed + r.removed, totals.kept + r.kept)  # fmt: skip
        if r.added or r.updated or r.removed:
            changes[str(plan.pattern.id)] = [r.added, r.updated, r.removed, r.kept]
    if changes:
        audit.record(session, "generate_shifts", "shift_patterns", None, {"patterns": changes})
        session.info[audit.DATA_CHANGED] = True
    return totals
