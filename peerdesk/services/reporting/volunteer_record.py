"""A volunteer's own record, for a reference, a certificate of hours or a subject access
request: roles, training and DBS standing, and shifts and hours by month.

A volunteer may export their own; coordinators anyone's. It never includes confidential notes,
contact details, the DBS certificate number or anything about other people."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import (
    Assignment,
    AssignmentStatus,
    Role,
    SessionCoVolunteer,
    SessionLog,
    Shift,
    Volunteer,
    VolunteerRole,
)
from peerdesk.services.compliance import DBSStatus, TrainingStatus
from peerdesk.services.dbs import volunteer_dbs
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, PermissionDenied, may_export_record
from peerdesk.services.training import volunteer_training


@dataclass(frozen=True)
class RoleHeld:
    name: str
    since: date | None


@dataclass(frozen=True)
class CourseLine:
    course: str
    mandatory: bool
    status: TrainingStatus
    last_completed: date | None
    expires_on: date | None


@dataclass(frozen=True)
class MonthLine:
    month: date
    shifts: int
    sessions: int
    hours: float


@dataclass(frozen=True)
class VolunteerRecord:
    organisation: str
    volunteer_id: uuid.UUID
    name: str
    status: str
    started_on: date | None
    left_on: date | None
    roles: tuple[RoleHeld, ...]
    training: tuple[CourseLine, ...]
    dbs_status: DBSStatus
    dbs_level: str | None
    dbs_issued_on: date | None
    dbs_recheck_due_on: date | None
    months: tuple[MonthLine, ...]
    as_of: date

    @property
    def total_hours(self) -> float:
        return sum(m.hours for m in self.months)

    @property
    def total_shifts(self) -> int:
        return sum(m.shifts for m in self.months)

    @property
    def period(self) -> tuple[date, date]:
        first = self.months[0].month if self.months else self.started_on or self.as_of
        return min(first, self.as_of), self.as_of


def volunteer_record(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, today: date
) -> VolunteerRecord:
    if not may_export_record(actor, volunteer_id):
        raise PermissionDenied("You can export your own record; a coordinator can export anyone's.")
    person = session.get(Volunteer, volunteer_id)
    if person is None or person.anonymised_at is not None:
        raise ValidationError("There is no volunteer with that ID (or their record was removed).")
    org = organisation_settings(session)
    zone = org.timezone
    # A leaver's record stands as of the day they left: their training did not expire after.
    as_of = min(today, person.left_on) if person.left_on else today
    roles = session.execute(
        select(Role.name, VolunteerRole.since)
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(VolunteerRole.volunteer_id == volunteer_id)
        .order_by(Role.name)
    ).all()
    training = tuple(
        CourseLine(c.course, c.mandatory, c.status, c.last_completed, c.expires_on)
        for c in volunteer_training(session, actor, volunteer_id, as_of)
    )
    dbs = volunteer_dbs(session, actor, volunteer_id, as_of)
    newest = dbs.checks[0] if dbs.checks else None
    full = " ".join(p for p in (person.first_name, person.last_name) if p) or person.preferred_name
    return VolunteerRecord(
        organisation=org.name if org.set_up else "",
        volunteer_id=volunteer_id,
        name=full,
        status=person.status.value,
        started_on=person.started_on,
        left_on=person.left_on,
        roles=tuple(RoleHeld(n, s) for n, s in roles),
        training=training,
        dbs_status=dbs.status,
        dbs_level=newest.level.value.replace("_", " ") if newest else None,
        dbs_issued_on=newest.issued_on if newest else None,
        dbs_recheck_due_on=dbs.recheck_due_on,
        months=_months(session, volunteer_id, ZoneInfo(zone)),
        as_of=as_of,
    )


def _months(session: Session, volunteer_id: uuid.UUID, zone: ZoneInfo) -> tuple[MonthLine, ...]:
    """Shifts attended, and sessions delivered (logged by them or with them) with their hours,
    by month in the organisation's time zone."""
    counts: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    shifts = (
        select(Shift.starts_at)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.volunteer_id == volunteer_id, Assignment.status == AssignmentStatus.ATTENDED
        )
    )
    for (starts,) in session.execute(shifts):
        counts[starts.astimezone(zone).date().replace(day=1)][0] += 1
    with_them = select(SessionCoVolunteer.session_log_id).where(
        SessionCoVolunteer.volunteer_id == volunteer_id
    )
    sessions = select(SessionLog.started_at, SessionLog.ended_at).where(
        or_(SessionLog.volunteer_id == volunteer_id, SessionLog.id.in_(with_them))
    )
    for began, ended in session.execute(sessions):
        line = counts[began.astimezone(zone).date().replace(day=1)]
        line[1] += 1
        line[2] += (ended - began).total_seconds() / 3600
    return tuple(
        MonthLine(m, int(c[0]), int(c[1]), round(c[2], 2)) for m, c in sorted(counts.items())
    )
