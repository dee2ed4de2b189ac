"""Volunteer roles (peer supporter, group facilitator, ...) and the policies tied to each: how
often its holders need supervision, whether a group session counts, whether it needs a DBS check.

Training requirements, DBS rules, supervision cadence and what a shift needs all read roles, so a
new group makes its own here. Everyone signed in may list them (the rota and the volunteer editor
show role names); only coordinators add, change and delete them.

A role is deleted only when nothing uses it: nobody holds it, no course requires it and no shift
or pattern asks for it. Otherwise the refusal says what still does, so the coordinator can change
that first (past records must never silently lose the role they were made under).

Every refusal is a `ValidationError` (or `PermissionDenied`) raised before anything is written,
with one sentence saying what to do."""

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from peerdesk.db.folding import fold, folded
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Role,
    VolunteerRole,
    course_requirements,
    pattern_required_roles,
    shift_required_roles,
)
from peerdesk.services.names import clean_name
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.unique_rules import flush_unique

MAX_NAME = 100  # the column's width
MAX_WEEKS = 52  # supervision less often than yearly is no supervision at all


@dataclass(frozen=True)
class RoleInfo:
    id: uuid.UUID
    name: str
    description: str | None
    # None: supervision is not required for this role.
    supervision_every_weeks: int | None
    group_supervision_counts: bool
    needs_dbs: bool


@dataclass(frozen=True)
class RoleInput:
    """What a coordinator typed for a new or changed role."""

    name: str
    description: str = ""
    supervision_every_weeks: int | None = None
    group_supervision_counts: bool = True
    needs_dbs: bool = True


@dataclass(frozen=True)
class RoleUses:
    """What still uses a role, and so stops it being deleted."""

    volunteers: int
    courses: int
    shifts: int
    patterns: int

    @property
    def any(self) -> bool:
        return bool(self.volunteers or self.courses or self.shifts or self.patterns)


# Listing ---------------------------------------------------------------------------------------
def list_roles(session: Session, actor: Actor) -> list[RoleInfo]:
    """Every role, by name (ignoring case)."""
    require(actor, Permission.VIEW_ROTA)
    rows = session.scalars(select(Role))
    return sorted((_info(r) for r in rows), key=lambda r: r.name.casefold())


def role_uses(session: Session, actor: Actor, role_id: uuid.UUID) -> RoleUses:
    require(actor, Permission.VIEW_ROTA)
    return _uses(session, role_id)


# Changing --------------------------------------------------------------------------------------
def create_role(session: Session, actor: Actor, typed: RoleInput) -> RoleInfo:
    require(actor, Permission.EDIT_VOLUNTEERS)
    name = _name(session, typed.name, None)
    role = Role(name=name, **_policies(typed))
    session.add(role)
    flush_unique(session, _taken_meanwhile(name))
    return _info(role)


def change_role(
    session: Session,
    actor: Actor,
    role_id: uuid.UUID,
    typed: RoleInput,
    was: RoleInfo | None = None,
) -> RoleInfo:
    """Rename a role and/or change its policies; its holders, courses and shifts follow, as
    they point at it. `was`: what the coordinator saw when they opened it; if someone else has
    changed it since, nothing is written (no silent lost update)."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    role = _get(session, role_id)
    if was is not None and _info(role) != was:
        raise ValidationError(
            f"Someone else changed “{was.name}” after you opened it, so yours was not saved: "
            "cancel to see theirs, then change it again."
        )
    name = _name(session, typed.name, role_id)
    policies = _policies(typed)
    role.name = name
    for key, value in policies.items():
        setattr(role, key, value)
    flush_unique(session, _taken_meanwhile(name))
    return _info(role)


def delete_role(session: Session, actor: Actor, role_id: uuid.UUID) -> str:
    """Delete a role nothing uses; returns its name."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    role = _get(session, role_id)
    uses = _uses(session, role_id)
    if uses.any:
        raise ValidationError(still_used(role.name, uses))
    name = role.name
    session.delete(role)
    session.flush()
    return name


def still_used(name: str, uses: RoleUses) -> str:
    """One sentence: what still uses the role and what to do about it."""
    parts = []
    if uses.volunteers:
        parts.append(_count(uses.volunteers, "volunteer", "holds it", "hold it"))
    if uses.courses:
        parts.append(_count(uses.courses, "course", "requires it", "require it"))
    if uses.shifts:
        parts.append(_count(uses.shifts, "shift", "asks for it", "ask for it"))
    if uses.patterns:
        parts.append(_count(uses.patterns, "repeating pattern", "asks for it", "ask for it"))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (
        f"“{name}” cannot be deleted: {listed}. Take the role off them first, or keep it "
        "and rename it."
    )


# Rules -----------------------------------------------------------------------------------------
def _name(session: Session, typed: str, own_id: uuid.UUID | None) -> str:
    """The name trimmed (runs of spaces and line breaks made one space), or why it cannot be.
    Unique ignoring case and accents ("Peer Supporter", "peer supporter")."""
    clean = clean_name(typed)
    if not clean:
        raise ValidationError("Type a name for the role.")
    if len(clean) > MAX_NAME:
        raise ValidationError(
            f"The role's name is {len(clean)} characters long; keep it to {MAX_NAME} or fewer."
        )
    same = select(Role.name).where(folded(Role.name) == fold(clean), Role.id != own_id)
    other_name = session.scalar(same.limit(1))
    if other_name is not None:
        raise ValidationError(
            f"There is already a role called “{other_name}”; choose another name."
        )
    return clean


def _taken_meanwhile(name: str) -> str:
    """Another laptop saved the same name between our check and our write (on a server)."""
    return (
        f"Someone else has just saved a role called “{name}”; nothing was saved here. "
        "Choose another name."
    )


def _policies(typed: RoleInput) -> dict[str, object]:
    weeks = typed.supervision_every_weeks
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(
            f"Supervision every {weeks} weeks is not possible: choose from 1 to {MAX_WEEKS} "
            "weeks, or “not required”."
        )
    description = (typed.description or "").strip()
    return {
        "description": description or None,
        "supervision_every_weeks": weeks,
        # Group supervision only matters where supervision is required; kept as typed so
        # turning supervision back on restores the coordinator's choice.
        "group_supervision_counts": bool(typed.group_supervision_counts),
        "needs_dbs": bool(typed.needs_dbs),
    }


def _uses(session: Session, role_id: uuid.UUID) -> RoleUses:
    def count(column: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID]) -> int:
        return session.scalar(select(func.count()).where(column == role_id)) or 0

    return RoleUses(
        volunteers=count(VolunteerRole.role_id),
        courses=count(course_requirements.c.role_id),
        shifts=count(shift_required_roles.c.role_id),
        patterns=count(pattern_required_roles.c.role_id),
    )


def _count(n: int, noun: str, one_does: str, many_do: str) -> str:
    return f"1 {noun} {one_does}" if n == 1 else f"{n} {noun}s {many_do}"


def _get(session: Session, role_id: uuid.UUID) -> Role:
    role = session.get(Role, role_id)
    if role is None:
        raise ValidationError("That role is no longer in peerdesk; close and reopen the list.")
    return role


def _info(r: Role) -> RoleInfo:
    return RoleInfo(
        r.id,
        r.name,
        r.description,
        r.supervision_every_weeks,
        r.group_supervision_counts,
        r.needs_dbs,
    )
