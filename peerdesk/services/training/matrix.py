"""The compliance matrix (active volunteers by the mandatory courses of their roles) and what
expires soon, for the Training area and the Today page.

It must answer in well under 30 ms for 300 volunteers by 10 courses: one query reads the newest
required completion of every volunteer and course, and each course's status cut-off dates are
worked out once a day rather than for each cell.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import id_key
from peerdesk.models import (
    Course,
    TrainingCompletion,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
)
from peerdesk.services.compliance import (
    TRAINING_PROBLEMS,
    CourseRule,
    StatusCutoffs,
    TrainingStatus,
    add_months,
    expires_on,
    first_completion_valid_after,
)
from peerdesk.services.permissions import (
    Actor,
    Permission,
    require,
    visible_volunteer_ids,
)

EXPIRY_HORIZONS = (30, 60, 90)


@dataclass(frozen=True)
class MatrixCell:
    status: TrainingStatus
    last_completed: date | None
    validity_months: int | None

    @property
    def expires_on(self) -> date | None:
        """Worked out when shown (a tooltip), not for each of the matrix's thousands of cells."""
        if self.last_completed is None or self.validity_months is None:
            return None
        return add_months(self.last_completed, self.validity_months)


@dataclass(frozen=True)
class MatrixRow:
    volunteer_id: uuid.UUID
    name: str
    cells: tuple[MatrixCell | None, ...]  # one per column; None: not required for their roles

    @property
    def has_problem(self) -> bool:
        return any(c is not None and c.status in TRAINING_PROBLEMS for c in self.cells)


@dataclass(frozen=True)
class ComplianceMatrix:
    """Active volunteers by the mandatory courses of their roles, and the counts for the top of
    the page (over every row the person may see, whatever the filter)."""

    courses: tuple[str, ...]
    course_ids: tuple[uuid.UUID, ...]
    rows: tuple[MatrixRow, ...]
    counts: Mapping[TrainingStatus, int]
    volunteers: int  # rows before the "problems only" filter


@dataclass(frozen=True)
class Expiring:
    """A mandatory course that expires soon; `days_left` is from today to its expiry day."""

    volunteer_id: uuid.UUID
    volunteer: str
    course: str
    expires_on: date
    days_left: int


# Compliance across the group --------------------------------------------------------------------


def compliance_matrix(
    session: Session, actor: Actor, today: date, problems_only: bool = False
) -> ComplianceMatrix:
    """Active volunteers (by preferred name) by the active courses any of their roles must have.
    `problems_only`: just the people with a course that is not in date."""
    require(actor, Permission.VIEW_COMPLIANCE)
    view = _RequiredCells.read(session, visible_volunteer_ids(session, actor), today)
    counts = dict.fromkeys(TrainingStatus, 0)
    rows = []
    for key, volunteer_id, name in view.people:
        cells = tuple(view.cell(key, course) for course in view.courses)
        for c in cells:
            if c is not None:
                counts[c.status] += 1
        rows.append(MatrixRow(volunteer_id, name, cells))
    shown = [r for r in rows if r.has_problem] if problems_only else rows
    return ComplianceMatrix(
        courses=tuple(c.name for c in view.courses.values()),
        course_ids=tuple(c.id for c in view.courses.values()),
        rows=tuple(shown),
        counts=counts,
        volunteers=len(rows),
    )


def expiring_training(
    session: Session, actor: Actor, today: date, within_days: int = 90
) -> list[Expiring]:
    """Mandatory courses, still valid today, that expire in the next `within_days` days
    (today < expiry day <= today + `within_days`), soonest first. Coordinators see everyone
    active, supervisors their supervisees and themself, a volunteer their own courses."""
    require(actor, Permission.VIEW_TRAINING)
    view = _RequiredCells.read(session, visible_volunteer_ids(session, actor), today)
    people = {key: (volunteer_id, name) for key, volunteer_id, name in view.people}
    horizon = today + timedelta(days=within_days)
    # Expiring: completed on or after the first date still valid today, but before the first
    # date still valid at the horizon; month arithmetic only for those few.
    between = {
        key: (c.cutoffs.due_from, first_completion_valid_after(c.rule, horizon))
        for key, c in view.courses.items()
    }
    found = []
    for (person, course_key), done in view.latest.items():
        first, last = between[course_key]
        if done is None or first is None or last is None or not first <= done < last:
            continue
        course = view.courses[course_key]
        expiry = expires_on(course.rule, done) or today
        volunteer_id, name = people[person]
        found.append(Expiring(volunteer_id, name, course.name, expiry, (expiry - today).days))
    return sorted(found, key=lambda e: (e.expires_on, e.volunteer.lower(), e.course.lower()))


@dataclass(frozen=True)
class _Column:
    id: uuid.UUID
    name: str
    rule: CourseRule
    cutoffs: StatusCutoffs


@dataclass(frozen=True)
class _RequiredCells:
    """What the matrix and the expiry list are computed from, in three queries: the active
    people in view, the newest completion of each (volunteer, course) pair their roles require
    (None: never done), and those courses with their status cut-offs today.

    Ids are kept as the stored text while the cells are worked out: turning each of thousands of
    rows' ids into `uuid.UUID` objects, and hashing them, took longer than the query itself."""

    people: list[tuple[str, uuid.UUID, str]]  # (key, id, preferred name), by name
    latest: dict[tuple[str, str], date | None]  # (volunteer key, course key)
    courses: dict[str, _Column]  # by name

    @classmethod
    def read(
        cls, session: Session, visible: set[uuid.UUID] | None, today: date
    ) -> "_RequiredCells":
        in_view = select(Volunteer.id).where(Volunteer.status == VolunteerStatus.ACTIVE)
        if visible is not None:
            in_view = in_view.where(Volunteer.id.in_(visible))
        people = session.execute(
            select(_key(Volunteer.id), Volunteer.id, Volunteer.preferred_name)
            .where(Volunteer.id.in_(in_view))
            .order_by(func.lower(Volunteer.preferred_name), Volunteer.id)
        ).all()
        latest = _latest_required(session, in_view, today)
        courses = _columns(session, {c for _, c in latest}, today)
        return cls([(k, v, n) for k, v, n in people], latest, courses)

    def cell(self, person: str, course: str) -> MatrixCell | None:
        key = (person, course)
        if key not in self.latest:
            return None  # not required for this person's roles
        done = self.latest[key]
        column = self.courses[course]
        return MatrixCell(column.cutoffs.status(done), done, column.rule.validity_months)


def _key(column: Any) -> Any:
    """An id column as its hex text: a plain, cheap dictionary key (see `portable.id_key`)."""
    return id_key(column)


def required_with_newest(volunteers: Select[Any], on: date) -> tuple[Any, Any]:
    """Every (volunteer, active course) pair the volunteers' roles require, as a subquery with
    columns `volunteer` and `course`, and the date of each pair's newest completion on or before
    `on` as a scalar subquery over it: one seek down the (volunteer, course, date) index each."""
    req, done = course_requirements, TrainingCompletion
    pairs = (
        select(VolunteerRole.volunteer_id.label("volunteer"), req.c.course_id.label("course"))
        .join(req, req.c.role_id == VolunteerRole.role_id)
        .join(Course, Course.id == req.c.course_id)
        .where(Course.active, VolunteerRole.volunteer_id.in_(volunteers))
        .distinct()  # two roles may require the same course
        .subquery()
    )
    newest = (
        select(func.max(done.completed_on))
        .where(
            done.volunteer_id == pairs.c.volunteer,
            done.course_id == pairs.c.course,
            done.completed_on <= on,
        )
        .scalar_subquery()
    )
    return pairs, newest


def _latest_required(
    session: Session, in_view: Select[Any], today: date
) -> dict[tuple[str, str], date | None]:
    """The newest completion on or before `today` of every (volunteer, active course) pair their
    roles require, in one query. Read through Core: ORM row handling cost more than the query."""
    pairs, newest = required_with_newest(in_view, today)
    stmt = select(_key(pairs.c.volunteer), _key(pairs.c.course), newest)
    return {(v, c): d for v, c, d in session.connection().execute(stmt).all()}


def _columns(session: Session, keys: set[str], today: date) -> dict[str, _Column]:
    """The courses anyone in view must have, in order of name, with their cut-offs today."""
    stmt = select(
        _key(Course.id),
        Course.id,
        Course.name,
        Course.validity_months,
        Course.renewal_window_days,
        Course.grace_days,
    ).where(Course.id.in_([uuid.UUID(hex=key) for key in keys]))
    columns = {}
    for key, course_id, name, months, window, grace in session.execute(stmt):
        rule = CourseRule(months, window, grace)
        columns[key] = _Column(course_id, name, rule, StatusCutoffs.on(rule, today))
    return dict(sorted(columns.items(), key=lambda kv: kv[1].name.lower()))
