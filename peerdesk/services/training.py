"""Training records: the course catalogue, completions, a volunteer's own training, the
compliance matrix and what expires soon.

Functions take the open `Session` and the `Actor` they act for, so a caller (the window, the
importer) can group several writes in one `store.session(actor)` transaction, which audits them.

Who may do what:
- the catalogue: everyone signed in reads it; coordinators add and change courses;
- completions: coordinators record them;
- a volunteer's training: the volunteer, their supervisor and coordinators;
- the compliance matrix: coordinators (everyone active), supervisors (their supervisees and
  themself); what expires soon: the same people, and a volunteer for their own courses.

Statuses come from `peerdesk.services.compliance` and are computed on every call.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import (
    Course,
    Role,
    TrainingCompletion,
    UserRole,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
)
from peerdesk.services.compliance import (
    TRAINING_PROBLEMS,
    CourseRule,
    TrainingStatus,
    expires_on,
    status_from_latest,
)
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    require,
    visible_volunteer_ids,
)

MAX_COURSE_NAME = 200
MAX_PROVIDER = 200
EXPIRY_HORIZONS = (30, 60, 90)


@dataclass(frozen=True)
class CourseInfo:
    id: uuid.UUID
    name: str
    description: str | None
    validity_months: int | None
    renewal_window_days: int
    grace_days: int
    active: bool
    required_for: tuple[str, ...]  # role names, sorted


@dataclass(frozen=True)
class CourseInput:
    """What a coordinator types for a course."""

    name: str
    validity_months: int | None
    renewal_window_days: int = 60
    grace_days: int = 0
    description: str | None = None
    required_role_ids: frozenset[uuid.UUID] = frozenset()
    active: bool = True


@dataclass(frozen=True)
class Completion:
    id: uuid.UUID
    course_id: uuid.UUID
    completed_on: date
    provider: str | None
    notes: str | None


@dataclass(frozen=True)
class CourseStanding:
    """One course on a volunteer's own training page."""

    course_id: uuid.UUID
    course: str
    mandatory: bool
    status: TrainingStatus
    last_completed: date | None
    expires_on: date | None  # None: never expires, or never done
    completions: tuple[Completion, ...]  # newest first


@dataclass(frozen=True)
class MatrixCell:
    status: TrainingStatus
    last_completed: date | None
    expires_on: date | None


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
    counts: Mapping[TrainingStatus, int] = field(default_factory=dict)
    volunteers: int = 0  # rows before the "problems only" filter


@dataclass(frozen=True)
class Expiring:
    """A mandatory course that expires soon; `days_left` is from today to its expiry day."""

    volunteer_id: uuid.UUID
    volunteer: str
    course: str
    expires_on: date
    days_left: int


# Catalogue --------------------------------------------------------------------------------------


def list_courses(session: Session, actor: Actor, include_inactive: bool = True) -> list[CourseInfo]:
    """The course catalogue, by name."""
    require(actor, Permission.VIEW_CATALOGUE)
    stmt = select(Course).order_by(func.lower(Course.name))
    if not include_inactive:
        stmt = stmt.where(Course.active)
    courses = list(session.scalars(stmt))
    required = _required_role_names(session)
    return [_course_info(c, required.get(c.id, ())) for c in courses]


def add_course(session: Session, actor: Actor, data: CourseInput) -> CourseInfo:
    _require_coordinator(actor, "change the course catalogue")
    name = _check_course(session, data, None)
    course = Course(name=name)
    _apply_course(course, data, name)
    session.add(course)
    session.flush()
    _set_requirements(session, course.id, data.required_role_ids)
    return _course_info(course, _required_role_names(session).get(course.id, ()))


def edit_course(
    session: Session, actor: Actor, course_id: uuid.UUID, data: CourseInput
) -> CourseInfo:
    _require_coordinator(actor, "change the course catalogue")
    course = session.get(Course, course_id)
    if course is None:
        raise ValidationError("That course is no longer in the catalogue.")
    name = _check_course(session, data, course_id)
    _apply_course(course, data, name)
    session.flush()
    _set_requirements(session, course.id, data.required_role_ids)
    return _course_info(course, _required_role_names(session).get(course.id, ()))


def _course_info(c: Course, required_for: tuple[str, ...]) -> CourseInfo:
    return CourseInfo(
        c.id,
        c.name,
        c.description,
        c.validity_months,
        c.renewal_window_days,
        c.grace_days,
        c.active,
        required_for,
    )


def _check_course(session: Session, data: CourseInput, course_id: uuid.UUID | None) -> str:
    """The tidied course name, or ValidationError with the first rule the input breaks."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError("Give the course a name, for example 'Safeguarding adults'.")
    if len(name) > MAX_COURSE_NAME:
        raise ValidationError(f"The course name is too long (at most {MAX_COURSE_NAME} letters).")
    if data.validity_months is not None and not 1 <= data.validity_months <= 120:
        raise ValidationError("Validity is between 1 and 120 months, or none if it never expires.")
    if not 0 <= data.renewal_window_days <= 365:
        raise ValidationError("The renewal window is between 0 and 365 days.")
    if not 0 <= data.grace_days <= 365:
        raise ValidationError("The grace period is between 0 and 365 days.")
    same = select(Course.id).where(func.lower(Course.name) == name.lower(), Course.id != course_id)
    if session.scalar(same) is not None:
        raise ValidationError(f"There is already a course called '{name}'.")
    known = set(session.scalars(select(Role.id).where(Role.id.in_(data.required_role_ids))))
    if known != set(data.required_role_ids):
        raise ValidationError("One of the chosen roles no longer exists; choose the roles again.")
    return name


def _apply_course(course: Course, data: CourseInput, name: str) -> None:
    course.name = name
    course.description = (data.description or "").strip() or None
    course.validity_months = data.validity_months
    course.renewal_window_days = data.renewal_window_days
    course.grace_days = data.grace_days
    course.active = data.active


def _set_requirements(
    session: Session, course_id: uuid.UUID, role_ids: Iterable[uuid.UUID]
) -> None:
    table = course_requirements
    session.execute(delete(table).where(table.c.course_id == course_id))
    rows = [{"course_id": course_id, "role_id": r} for r in role_ids]
    if rows:
        session.execute(insert(table), rows)


def _required_role_names(session: Session) -> dict[uuid.UUID, tuple[str, ...]]:
    stmt = select(course_requirements.c.course_id, Role.name).join(
        Role, Role.id == course_requirements.c.role_id
    )
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    for course_id, role in session.execute(stmt):
        names[course_id].append(role)
    return {k: tuple(sorted(v)) for k, v in names.items()}


# Completions ------------------------------------------------------------------------------------


def record_completion(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    course_id: uuid.UUID,
    completed_on: date,
    today: date,
    provider: str | None = None,
    notes: str | None = None,
) -> Completion:
    """Record that a volunteer completed a course on a day (not after `today`)."""
    _require_coordinator(actor, "record training")
    if session.get(Volunteer, volunteer_id) is None:
        raise ValidationError("That volunteer is no longer on record.")
    if session.get(Course, course_id) is None:
        raise ValidationError("That course is no longer in the catalogue.")
    _check_completion(session, volunteer_id, course_id, completed_on, today, provider)
    done = TrainingCompletion(
        volunteer_id=volunteer_id,
        course_id=course_id,
        completed_on=completed_on,
        provider=(provider or "").strip() or None,
        notes=(notes or "").strip() or None,
    )
    session.add(done)
    session.flush()
    return Completion(done.id, course_id, completed_on, done.provider, done.notes)


def _check_completion(
    session: Session,
    volunteer_id: uuid.UUID,
    course_id: uuid.UUID,
    completed_on: date,
    today: date,
    provider: str | None,
) -> None:
    if completed_on > today:
        raise ValidationError("The completion date is in the future; enter the day it was done.")
    if completed_on.year < 1950:
        raise ValidationError("The completion date is too long ago; check the year.")
    if provider and len(provider.strip()) > MAX_PROVIDER:
        raise ValidationError(f"The provider's name is too long (at most {MAX_PROVIDER} letters).")
    twice = select(TrainingCompletion.id).where(
        TrainingCompletion.volunteer_id == volunteer_id,
        TrainingCompletion.course_id == course_id,
        TrainingCompletion.completed_on == completed_on,
    )
    if session.scalar(twice) is not None:
        raise ValidationError("This completion is already recorded for that day.")


# One volunteer's training -----------------------------------------------------------------------


def volunteer_training(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, today: date
) -> list[CourseStanding]:
    """Every mandatory course for the volunteer's roles (missing ones too), then any other course
    they have done; each with its status on `today` and its completions, newest first."""
    require(actor, Permission.VIEW_TRAINING)
    visible = visible_volunteer_ids(session, actor)
    if visible is not None and volunteer_id not in visible:
        raise PermissionDenied("You can see your own training and that of people you supervise.")
    mandatory = _mandatory_for(session, [volunteer_id]).get(volunteer_id, set())
    history = _completions_of(session, volunteer_id)
    ids = mandatory | set(history)
    courses = session.scalars(select(Course).where(Course.id.in_(ids))).all()
    rows = [_standing(c, c.id in mandatory, history.get(c.id, ()), today) for c in courses]
    return sorted(rows, key=lambda r: (not r.mandatory, r.course.lower()))


def _completions_of(session: Session, volunteer_id: uuid.UUID) -> dict[uuid.UUID, list[Completion]]:
    stmt = (
        select(TrainingCompletion)
        .where(TrainingCompletion.volunteer_id == volunteer_id)
        .order_by(TrainingCompletion.completed_on.desc())
    )
    found: dict[uuid.UUID, list[Completion]] = defaultdict(list)
    for t in session.scalars(stmt):
        found[t.course_id].append(
            Completion(t.id, t.course_id, t.completed_on, t.provider, t.notes)
        )
    return found


def _standing(
    course: Course, mandatory: bool, done: Iterable[Completion], today: date
) -> CourseStanding:
    history = tuple(done)
    latest = max((c.completed_on for c in history if c.completed_on <= today), default=None)
    cell = _cell(_rule(course), latest, today)
    return CourseStanding(
        course_id=course.id,
        course=course.name,
        mandatory=mandatory,
        status=cell.status,
        last_completed=cell.last_completed,
        expires_on=cell.expires_on,
        completions=history,
    )


def _rule(course: Course) -> CourseRule:
    return CourseRule(course.validity_months, course.renewal_window_days, course.grace_days)


def _cell(rule: CourseRule, latest: date | None, today: date) -> MatrixCell:
    if latest is None:
        return MatrixCell(TrainingStatus.MISSING, None, None)
    return MatrixCell(status_from_latest(rule, latest, today), latest, expires_on(rule, latest))


# Compliance across the group --------------------------------------------------------------------


def compliance_matrix(
    session: Session, actor: Actor, today: date, problems_only: bool = False
) -> ComplianceMatrix:
    """Active volunteers (by preferred name) by the active courses any of their roles must have.
    `problems_only`: just the people with a course that is not in date."""
    people = _matrix_people(session, actor)
    mandatory = _mandatory_for(session, [v for v, _ in people])
    columns = _columns(session, mandatory)
    latest = _latest_completions(session, [v for v, _ in people], today)
    counts = dict.fromkeys(TrainingStatus, 0)
    rows = []
    for volunteer_id, name in people:
        need = mandatory.get(volunteer_id, set())
        cells = tuple(
            _cell(rule, latest.get((volunteer_id, course_id)), today) if course_id in need else None
            for course_id, _, rule in columns
        )
        for c in cells:
            if c is not None:
                counts[c.status] += 1
        rows.append(MatrixRow(volunteer_id, name, cells))
    shown = [r for r in rows if r.has_problem] if problems_only else rows
    return ComplianceMatrix(
        courses=tuple(n for _, n, _ in columns),
        course_ids=tuple(c for c, _, _ in columns),
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
    people = _active_people(session, visible_volunteer_ids(session, actor))
    mandatory = _mandatory_for(session, [v for v, _ in people])
    rules = {c: (name, rule) for c, name, rule in _columns(session, mandatory)}
    latest = _latest_completions(session, [v for v, _ in people], today)
    last_day = today + timedelta(days=within_days)
    found = []
    for volunteer_id, name in people:
        for course_id in mandatory.get(volunteer_id, ()):
            done = latest.get((volunteer_id, course_id))
            expiry = expires_on(rules[course_id][1], done) if done else None
            if expiry is not None and today < expiry <= last_day:
                course = rules[course_id][0]
                found.append(Expiring(volunteer_id, name, course, expiry, (expiry - today).days))
    return sorted(found, key=lambda e: (e.expires_on, e.volunteer.lower(), e.course.lower()))


def _matrix_people(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    if actor.role not in (UserRole.COORDINATOR, UserRole.SUPERVISOR):
        raise PermissionDenied(
            "The compliance matrix is for coordinators and supervisors; "
            "your own training is on your record."
        )
    return _active_people(session, visible_volunteer_ids(session, actor))


def _active_people(session: Session, visible: set[uuid.UUID] | None) -> list[tuple[uuid.UUID, str]]:
    stmt = (
        select(Volunteer.id, Volunteer.preferred_name)
        .where(Volunteer.status == VolunteerStatus.ACTIVE)
        .order_by(func.lower(Volunteer.preferred_name), Volunteer.id)
    )
    if visible is not None:
        stmt = stmt.where(Volunteer.id.in_(visible))
    return [(v, n) for v, n in session.execute(stmt)]


def _mandatory_for(
    session: Session, volunteer_ids: list[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """The active courses each volunteer's roles require."""
    req = course_requirements
    stmt = (
        select(VolunteerRole.volunteer_id, req.c.course_id)
        .join(req, req.c.role_id == VolunteerRole.role_id)
        .join(Course, Course.id == req.c.course_id)
        .where(Course.active, VolunteerRole.volunteer_id.in_(volunteer_ids))
    )
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for volunteer_id, course_id in session.execute(stmt):
        found[volunteer_id].add(course_id)
    return found


def _columns(
    session: Session, mandatory: Mapping[uuid.UUID, set[uuid.UUID]]
) -> list[tuple[uuid.UUID, str, CourseRule]]:
    """The courses anyone in the view must have, by name."""
    ids = set().union(*mandatory.values()) if mandatory else set()
    stmt = select(
        Course.id,
        Course.name,
        Course.validity_months,
        Course.renewal_window_days,
        Course.grace_days,
    ).where(Course.id.in_(ids))
    rows = [(c, n, CourseRule(m, w, g)) for c, n, m, w, g in session.execute(stmt)]
    return sorted(rows, key=lambda r: r[1].lower())


def _latest_completions(
    session: Session, volunteer_ids: list[uuid.UUID], today: date
) -> dict[tuple[uuid.UUID, uuid.UUID], date]:
    """The newest completion on or before `today` per (volunteer, course), in one query."""
    t = TrainingCompletion
    stmt = (
        select(t.volunteer_id, t.course_id, func.max(t.completed_on))
        .where(t.completed_on <= today, t.volunteer_id.in_(volunteer_ids))
        .group_by(t.volunteer_id, t.course_id)
    )
    return {(v, c): d for v, c, d in session.execute(stmt)}


def _require_coordinator(actor: Actor, what: str) -> None:
    # No finer permission exists for training yet: only coordinators keep these records.
    if not actor.is_coordinator:
        raise PermissionDenied(
            f"Your account ({actor.role.value}) cannot {what}. Ask a coordinator if you need to."
        )
