"""Training records: the course catalogue, completions and a volunteer's own training (the
compliance matrix and what expires soon are in `matrix`).

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from peerdesk.db.folding import fold, folded
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Course,
    Role,
    TrainingCompletion,
    Volunteer,
    VolunteerRole,
    course_requirements,
)
from peerdesk.services.compliance import (
    CourseRule,
    TrainingStatus,
    expires_on,
    status_from_latest,
)
from peerdesk.services.names import clean_name
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    require,
    visible_volunteer_ids,
)
from peerdesk.services.unique_rules import flush_unique

MAX_COURSE_NAME = 200
MAX_PROVIDER = 200


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
    require(actor, Permission.KEEP_TRAINING)
    name = _check_course(session, data, None)
    course = Course(name=name)
    _apply_course(course, data, name)
    session.add(course)
    flush_unique(session, _course_taken_meanwhile(name))
    _set_requirements(session, course.id, data.required_role_ids)
    return _course_info(course, _required_role_names(session).get(course.id, ()))


def edit_course(
    session: Session, actor: Actor, course_id: uuid.UUID, data: CourseInput
) -> CourseInfo:
    require(actor, Permission.KEEP_TRAINING)
    course = session.get(Course, course_id)
    if course is None:
        raise ValidationError("That course is no longer in the catalogue.")
    name = _check_course(session, data, course_id)
    _apply_course(course, data, name)
    flush_unique(session, _course_taken_meanwhile(name))
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
    name = clean_name(data.name)
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
    # Case and accents ignored: "élan training" beside "Élan training" is one course typed twice.
    same = select(Course.id).where(folded(Course.name) == fold(name), Course.id != course_id)
    if session.scalar(same) is not None:
        raise ValidationError(f"There is already a course called '{name}'.")
    known = set(session.scalars(select(Role.id).where(Role.id.in_(data.required_role_ids))))
    if known != set(data.required_role_ids):
        raise ValidationError("One of the chosen roles no longer exists; choose the roles again.")
    return name


def _course_taken_meanwhile(name: str) -> str:
    """Another laptop saved the same name between our check and our write (on a server)."""
    return (
        f"Someone else has just saved a course called '{name}'; nothing was saved here. "
        "Choose another name."
    )


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
    require(actor, Permission.KEEP_TRAINING)
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
    mandatory = _mandatory_for(session, volunteer_id)
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
    rule = CourseRule(course.validity_months, course.renewal_window_days, course.grace_days)
    return CourseStanding(
        course_id=course.id,
        course=course.name,
        mandatory=mandatory,
        status=status_from_latest(rule, latest, today) if latest else TrainingStatus.MISSING,
        last_completed=latest,
        expires_on=expires_on(rule, latest) if latest else None,
        completions=history,
    )


def _mandatory_for(session: Session, volunteer_id: uuid.UUID) -> set[uuid.UUID]:
    """The active courses a volunteer's roles require."""
    req = course_requirements
    stmt = (
        select(req.c.course_id)
        .join(VolunteerRole, req.c.role_id == VolunteerRole.role_id)
        .join(Course, Course.id == req.c.course_id)
        .where(Course.active, VolunteerRole.volunteer_id == volunteer_id)
    )
    return set(session.scalars(stmt))
