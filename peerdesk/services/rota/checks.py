"""Checking eligibility in bulk: "suggest volunteers" asks about everyone active for one shift,
a volunteer's cover list asks about one person for every open request. What the people are
(status, roles, mandatory training, DBS, time away) is read once for all of them; each shift
adds three small queries. Each reason's rule is written once, here.
"""

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.models import (
    Absence,
    Assignment,
    Course,
    Role,
    Shift,
    ShiftStatus,
    TrainingCompletion,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
    shift_required_roles,
)
from peerdesk.services.compliance import (
    CourseRule,
    DBSStatus,
    TrainingStatus,
    status_from_latest,
)
from peerdesk.services.dbs import dbs_standings
from peerdesk.services.organisation import group_zone
from peerdesk.services.rota.common import overlapping
from peerdesk.services.rota.shapes import Concern, Eligibility, Reason

# Places that hold someone to a shift's time: these make a second shift a double booking.
HOLDING = ("offered", "confirmed", "attended")

type Found = list[tuple[Reason, str]]


# How a volunteer who is not active yet (or any more) is described when they are put on a shift:
# the status alone ("applicant") does not say what to do about it.
NOT_ACTIVE_WORDS = {
    VolunteerStatus.APPLICANT: "still an applicant: make them active on their record first",
    VolunteerStatus.INDUCTION: "still in induction: make them active on their record first",
    VolunteerStatus.LEFT: "no longer with the group",
}


@dataclass(frozen=True)
class Person:
    name: str
    status: VolunteerStatus


@dataclass(frozen=True)
class Mandatory:
    course_id: uuid.UUID
    name: str
    rule: CourseRule


@dataclass
class ShiftFacts:
    """What one shift's checks need: its roles, who holds a place, who is busy then."""

    shift: Shift
    day: date
    last_day: date
    needed: dict[uuid.UUID, str]  # role id -> name
    holders: set[uuid.UUID]
    holder_roles: dict[uuid.UUID, set[uuid.UUID]]
    busy: dict[uuid.UUID, datetime]  # volunteer -> start of a clashing shift


class Checker:
    def __init__(
        self, session: Session, volunteer_ids: Collection[uuid.UUID], blocking: frozenset[Reason]
    ) -> None:
        self.session, self.zone, self.blocking = session, group_zone(session), blocking
        ids = list(volunteer_ids)
        self.people = {
            v.id: Person(v.preferred_name, v.status)
            for v in session.execute(
                select(Volunteer.id, Volunteer.preferred_name, Volunteer.status).where(
                    Volunteer.id.in_(ids)
                )
            )
        }
        self.roles = _roles_of(session, ids)
        self.mandatory = _mandatory(session, ids)
        self.completions = _completions(session, ids)
        self.dbs = dbs_standings(session, ids)
        self.away = _absences(session, ids)
        self.shifts: dict[uuid.UUID, ShiftFacts] = {}

    def check(self, shift: Shift, volunteer_id: uuid.UUID) -> Eligibility:
        facts = self._facts(shift)
        person = self.people[volunteer_id]
        found = [
            *self._not_active(person),
            *self._double_booked(facts, volunteer_id),
            *self._away(facts, volunteer_id),
            *self._missing_role(facts, volunteer_id),
            *self._training_expired(facts.day, volunteer_id),
            *self._dbs_not_in_place(facts.day, volunteer_id, person),
        ]
        concerns = tuple(Concern(r, text, r in self.blocking) for r, text in found)
        return Eligibility(volunteer_id, person.name, concerns)

    def _facts(self, shift: Shift) -> ShiftFacts:
        if shift.id not in self.shifts:
            self.shifts[shift.id] = _shift_facts(self.session, shift, self.zone)
        return self.shifts[shift.id]

    def _not_active(self, person: Person) -> Found:
        if person.status is VolunteerStatus.ACTIVE:
            return []
        how = NOT_ACTIVE_WORDS.get(person.status, person.status.value)
        return [(Reason.NOT_ACTIVE, f"{person.name} is {how}.")]

    def _double_booked(self, facts: ShiftFacts, volunteer_id: uuid.UUID) -> Found:
        clash = facts.busy.get(volunteer_id)
        if clash is None:
            return []
        when = clash.astimezone(self.zone)
        return [(Reason.DOUBLE_BOOKED, f"They are already on a shift at {when:%H:%M} that day.")]

    def _away(self, facts: ShiftFacts, volunteer_id: uuid.UUID) -> Found:
        for first, last in self.away.get(volunteer_id, ()):
            if first <= facts.last_day and last >= facts.day:
                span = f"{show_date(first)} to {show_date(last)}"
                return [(Reason.AWAY, f"They are away from {span}.")]
        return []

    def _missing_role(self, facts: ShiftFacts, volunteer_id: uuid.UUID) -> Found:
        """A role the shift needs (a group needs a facilitator) is missing when nobody else on
        it holds the role, this person does not either, and after them there would be too few
        places left for someone who does. Others may go on first while there is still room."""
        others = facts.holders - {volunteer_id}
        covered = set(self.roles.get(volunteer_id, set()))
        for other in others:
            covered |= facts.holder_roles.get(other, set())
        missing = sorted(name for role, name in facts.needed.items() if role not in covered)
        if not missing or len(missing) <= facts.shift.max_volunteers - len(others) - 1:
            return []
        roles = " and a ".join(missing)
        sentence = (
            f"The shift needs a {roles}, nobody on it is one yet, and this is its last place."
        )
        return [(Reason.MISSING_ROLE, sentence)]

    def _training_expired(self, day: date, volunteer_id: uuid.UUID) -> Found:
        expired = []
        for course in self.mandatory.get(volunteer_id, ()):
            done = [
                d for d in self.completions.get((volunteer_id, course.course_id), ()) if d <= day
            ]
            # Never done is the compliance page's "missing", not an expiry.
            if done and status_from_latest(course.rule, max(done), day) is TrainingStatus.EXPIRED:
                expired.append(course.name)
        if not expired:
            return []
        names = ", ".join(sorted(expired))
        return [(Reason.TRAINING_EXPIRED, f"Their mandatory training has expired: {names}.")]

    def _dbs_not_in_place(self, day: date, volunteer_id: uuid.UUID, person: Person) -> Found:
        """The one DBS rule (`compliance.DBS_NOT_IN_PLACE`): no check for a role that needs one
        stands in the way as an overdue recheck does, under the same policy setting."""
        if self.dbs.in_place(volunteer_id, day):
            return []
        if self.dbs.status(volunteer_id, day) is DBSStatus.RECHECK_OVERDUE:
            return [(Reason.DBS_OVERDUE, "Their DBS recheck is overdue.")]
        roles = _the_roles_need(self.dbs.roles_needing[volunteer_id])
        sentence = f"No DBS check is recorded for {person.name}, and {roles} one."
        return [(Reason.DBS_OVERDUE, sentence)]


def _the_roles_need(roles: tuple[str, ...]) -> str:
    """'the Peer supporter role needs', 'the Facilitator and Peer supporter roles need'."""
    if len(roles) == 1:
        return f"the {roles[0]} role needs"
    return f"the {', '.join(roles[:-1])} and {roles[-1]} roles need"


def _shift_facts(session: Session, shift: Shift, zone: ZoneInfo) -> ShiftFacts:
    start, end = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
    needed = {
        role_id: name
        for role_id, name in session.execute(
            select(Role.id, Role.name)
            .join(shift_required_roles, shift_required_roles.c.role_id == Role.id)
            .where(shift_required_roles.c.shift_id == shift.id)
        )
    }
    holders = set(
        session.scalars(
            select(Assignment.volunteer_id).where(
                Assignment.shift_id == shift.id, Assignment.status.in_(HOLDING)
            )
        )
    )
    # The shifts at that time first (a short index range), then their places: starting from
    # people's places would visit every shift they have ever done.
    window = select(Shift.id).where(
        overlapping(shift.starts_at, shift.ends_at),
        Shift.id != shift.id,
        Shift.status == ShiftStatus.PLANNED,
    )
    busy: dict[uuid.UUID, datetime] = {}
    for volunteer_id, starts in session.execute(
        select(Assignment.volunteer_id, Shift.starts_at)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Assignment.shift_id.in_(window), Assignment.status.in_(HOLDING))
        .order_by(Shift.starts_at)
    ):
        busy.setdefault(volunteer_id, starts)
    last = (end - timedelta(microseconds=1)).date()
    return ShiftFacts(shift, start.date(), last, needed, holders,
                      _roles_of(session, list(holders)) if needed else {}, busy)  # fmt: skip


def _roles_of(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    if ids:
        rows = session.execute(
            select(VolunteerRole.volunteer_id, VolunteerRole.role_id).where(
                VolunteerRole.volunteer_id.in_(ids)
            )
        )
        for volunteer_id, role_id in rows:
            found[volunteer_id].add(role_id)
    return found


def _mandatory(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Mandatory]]:
    req = course_requirements
    rows = session.execute(
        select(VolunteerRole.volunteer_id, Course)
        .join(req, req.c.role_id == VolunteerRole.role_id)
        .join(Course, Course.id == req.c.course_id)
        .where(Course.active, VolunteerRole.volunteer_id.in_(ids))
    )
    found: dict[uuid.UUID, dict[uuid.UUID, Mandatory]] = defaultdict(dict)
    for volunteer_id, c in rows:
        rule = CourseRule(c.validity_months, c.renewal_window_days, c.grace_days)
        found[volunteer_id][c.id] = Mandatory(c.id, c.name, rule)
    return {v: list(courses.values()) for v, courses in found.items()}


def _completions(
    session: Session, ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], list[date]]:
    found: dict[tuple[uuid.UUID, uuid.UUID], list[date]] = defaultdict(list)
    rows = session.execute(
        select(
            TrainingCompletion.volunteer_id,
            TrainingCompletion.course_id,
            TrainingCompletion.completed_on,
        ).where(TrainingCompletion.volunteer_id.in_(ids))
    )
    for volunteer_id, course_id, done in rows:
        found[(volunteer_id, course_id)].append(done)
    return found


def _absences(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[date, date]]]:
    found: dict[uuid.UUID, list[tuple[date, date]]] = defaultdict(list)
    rows = session.execute(
        select(Absence.volunteer_id, Absence.starts_on, Absence.ends_on)
        .where(Absence.volunteer_id.in_(ids))
        .order_by(Absence.starts_on)
    )
    for volunteer_id, first, last in rows:
        found[volunteer_id].append((first, last))
    return found
