"""Single shifts: adding a one-off, editing or cancelling one (guarded by its `version`, so two
coordinators never silently overwrite each other), and reading shifts with the people on them."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    Role,
    Shift,
    ShiftPattern,
    ShiftStatus,
    Venue,
    Volunteer,
    VolunteerRole,
    shift_required_roles,
)
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.rota.common import (
    StaleShift,
    check_minutes,
    check_staffing,
    day_bounds,
    get_shift,
    local_span,
    overlapping,
    pairs,
    require_editor,
)
from peerdesk.services.rota.patterns import check_refs
from peerdesk.services.rota.places import check_in_use
from peerdesk.services.rota.shapes import OnShift, ShiftDetail, ShiftInput

STALE = (
    "Someone else changed this shift after you opened it. Your changes were not saved: "
    "close it, open it again to see theirs, and make your change again."
)


def create_shift(session: Session, actor: Actor, data: ShiftInput) -> ShiftDetail:
    """A one-off shift (an event, an extra session) outside any pattern."""
    require_editor(actor, "add shifts")
    shift = Shift(version=1, status=ShiftStatus.PLANNED)
    _apply(session, shift, data)
    session.add(shift)
    session.flush()
    _set_roles(session, shift.id, data.required_role_ids)
    return shift_detail(session, actor, shift.id)


def edit_shift(
    session: Session, actor: Actor, shift_id: uuid.UUID, version: int, data: ShiftInput
) -> ShiftDetail:
    """Change a shift. `version` is the one the coordinator opened: if the shift has changed
    since, `StaleShift` is raised and nothing is written."""
    require_editor(actor, "change shifts")
    shift = _current(session, shift_id, version)
    _apply(session, shift, data)
    _flush(session)
    _set_roles(session, shift.id, data.required_role_ids)
    return shift_detail(session, actor, shift.id)


def cancel_shift(
    session: Session, actor: Actor, shift_id: uuid.UUID, version: int, reason: str | None
) -> ShiftDetail:
    require_editor(actor, "cancel shifts")
    shift = _current(session, shift_id, version)
    shift.status = ShiftStatus.CANCELLED
    shift.notes = (reason or "").strip() or shift.notes
    _flush(session)
    return shift_detail(session, actor, shift.id)


def _current(session: Session, shift_id: uuid.UUID, version: int) -> Shift:
    shift = get_shift(session, shift_id)
    if shift.version != version:
        raise StaleShift(STALE)
    return shift


def _flush(session: Session) -> None:
    # The version check in SQL catches an edit committed between our read and our write.
    try:
        session.flush()
    except StaleDataError:
        raise StaleShift(STALE) from None


def _apply(session: Session, shift: Shift, data: ShiftInput) -> None:
    check_refs(session, data.activity_id, data.venue_id, data.required_role_ids)
    check_in_use(session, data.activity_id, data.venue_id, shift.activity_id, shift.venue_id)
    check_minutes(data.duration_minutes)
    check_staffing(data.min_volunteers, data.max_volunteers)
    starts, ends = local_span(
        data.day, data.local_start, data.duration_minutes, group_zone(session)
    )
    shift.activity_id, shift.venue_id = data.activity_id, data.venue_id
    shift.starts_at, shift.ends_at = starts, ends
    shift.min_volunteers, shift.max_volunteers = data.min_volunteers, data.max_volunteers
    shift.lone_working = data.lone_working
    shift.notes = (data.notes or "").strip() or None


def _set_roles(session: Session, shift_id: uuid.UUID, role_ids: frozenset[uuid.UUID]) -> None:
    links = shift_required_roles
    held = set(session.scalars(select(links.c.role_id).where(links.c.shift_id == shift_id)))
    if held == set(role_ids):
        return
    session.execute(delete(links).where(links.c.shift_id == shift_id))
    if role_ids:
        session.execute(insert(links), [{"shift_id": shift_id, "role_id": r} for r in role_ids])


# Reading -----------------------------------------------------------------------------------------


def shift_detail(session: Session, actor: Actor, shift_id: uuid.UUID) -> ShiftDetail:
    require(actor, Permission.VIEW_ROTA)
    get_shift(session, shift_id)
    return details(session, select(Shift).where(Shift.id == shift_id))[0]


def shifts_between(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    venue_id: uuid.UUID | None = None,
    activity_id: uuid.UUID | None = None,
    volunteer_id: uuid.UUID | None = None,
) -> list[ShiftDetail]:
    """Shifts touching local days `first_day` to `last_day` (a shift across midnight into
    `first_day` too), soonest first, optionally only at a venue, of an activity, or with a
    volunteer on them."""
    require(actor, Permission.VIEW_ROTA)
    start, end = day_bounds(first_day, last_day, group_zone(session))
    stmt = select(Shift).where(overlapping(start, end))
    if venue_id is not None:
        stmt = stmt.where(Shift.venue_id == venue_id)
    if activity_id is not None:
        stmt = stmt.where(Shift.activity_id == activity_id)
    if volunteer_id is not None:
        on = select(Assignment.shift_id).where(Assignment.volunteer_id == volunteer_id)
        stmt = stmt.where(Shift.id.in_(on))
    return details(session, stmt.order_by(Shift.starts_at, Shift.id))


SHIFT_COLUMNS = tuple(
    getattr(Shift, name)
    for name in [
        "id",
        "version",
        "pattern_id",
        "activity_id",
        "venue_id",
        "starts_at",
        "ends_at",
        "min_volunteers",
        "max_volunteers",
        "lone_working",
        "status",
        "notes",
    ]
)


def details(session: Session, stmt: Select[Any]) -> list[ShiftDetail]:
    """ShiftDetail for every shift `stmt` (a `select(Shift)` with its filters and order)
    selects: plain columns, not ORM objects, and a handful of queries whatever the number."""
    shifts: Sequence[Any] = session.execute(stmt.with_only_columns(*SHIFT_COLUMNS)).all()
    if not shifts:
        return []
    ids = [s.id for s in shifts]
    zone = group_zone(session)
    names = _names(session, shifts)
    activity_ids = {s.activity_id for s in shifts}
    kinds = pairs(session, select(Activity.id, Activity.kind).where(Activity.id.in_(activity_ids)))
    roles = _required(session, ids)
    people = _people(session, ids)
    return [
        _detail(s, zone, names, kinds[s.activity_id], roles.get(s.id, ()), people.get(s.id, ()))
        for s in shifts
    ]


def _names(session: Session, shifts: Sequence[Any]) -> dict[uuid.UUID, str]:
    """Names of the shifts' activities, venues and patterns, by id."""
    found: dict[uuid.UUID, str] = {}
    wanted = (
        (Activity.id, Activity.name, "activity_id"),
        (Venue.id, Venue.name, "venue_id"),
        (ShiftPattern.id, ShiftPattern.title, "pattern_id"),
    )
    for key, label, column in wanted:
        ids = {getattr(s, column) for s in shifts} - {None}
        if ids:
            found.update(pairs(session, select(key, label).where(key.in_(ids))))
    return found


def _required(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    links = shift_required_roles
    rows = session.execute(
        select(links.c.shift_id, Role.name)
        .join(Role, Role.id == links.c.role_id)
        .where(links.c.shift_id.in_(ids))
        .order_by(Role.name)
    )
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for shift_id, name in rows:
        found[shift_id].append(name)
    return {k: tuple(v) for k, v in found.items()}


def _people(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[OnShift, ...]]:
    a = Assignment
    rows = session.execute(
        select(a.id, a.shift_id, a.volunteer_id, a.status, a.covering_id, Volunteer.preferred_name)
        .join(Volunteer, Volunteer.id == a.volunteer_id)
        .where(a.shift_id.in_(ids))
        .order_by(a.created_at, a.id)
    ).all()
    held = volunteer_roles(session, {r.volunteer_id for r in rows})
    found: dict[uuid.UUID, list[OnShift]] = defaultdict(list)
    for r in rows:
        roles = held.get(r.volunteer_id, ())
        found[r.shift_id].append(
            OnShift(r.id, r.volunteer_id, r.preferred_name, roles, r.status, r.covering_id)
        )
    return {k: tuple(v) for k, v in found.items()}


def volunteer_roles(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    if not ids:
        return {}
    rows = session.execute(
        select(VolunteerRole.volunteer_id, Role.name)
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(VolunteerRole.volunteer_id.in_(ids))
        .order_by(Role.name)
    )
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for volunteer_id, name in rows:
        found[volunteer_id].append(name)
    return {k: tuple(v) for k, v in found.items()}


def _detail(
    s: Any,
    zone: ZoneInfo,
    names: dict[uuid.UUID, str],
    kind: ActivityKind,
    roles: tuple[str, ...],
    people: tuple[OnShift, ...],
) -> ShiftDetail:
    activity = names[s.activity_id]
    return ShiftDetail(
        id=s.id,
        version=s.version,
        pattern_id=s.pattern_id,
        title=names.get(s.pattern_id, activity) if s.pattern_id else activity,
        activity_id=s.activity_id,
        activity=activity,
        kind=kind,
        venue_id=s.venue_id,
        venue=names.get(s.venue_id) if s.venue_id else None,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        local_start=s.starts_at.astimezone(zone),
        local_end=s.ends_at.astimezone(zone),
        min_volunteers=s.min_volunteers,
        max_volunteers=s.max_volunteers,
        lone_working=s.lone_working,
        cancelled=s.status is ShiftStatus.CANCELLED,
        notes=s.notes,
        required_roles=roles,
        people=people,
    )
