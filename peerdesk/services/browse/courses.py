"""The course catalogue with how many completions each course has had: figures, not people, so
everyone signed in may see it."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db.folding import contains_folded
from peerdesk.models import Course, TrainingCompletion, course_requirements
from peerdesk.services.browse.paging import (
    PageQuery,
    Query,
    Sorts,
    count,
    joined,
    page,
    roles_of,
)
from peerdesk.services.permissions import Actor, Permission, require


@dataclass(frozen=True)
class CourseRow:
    id: uuid.UUID
    name: str
    validity_months: int | None
    required_for: tuple[str, ...]
    completions: int
    last_completed: date | None
    active: bool


_completions = (
    select(func.count()).where(TrainingCompletion.course_id == Course.id).scalar_subquery()
)
_last_completed = (
    select(func.max(TrainingCompletion.completed_on))
    .where(TrainingCompletion.course_id == Course.id)
    .scalar_subquery()
)
COURSE_SORTS: Sorts = {
    "name": (func.lower(Course.name), Course.id),
    "completions": (_completions, Course.id),
    "last_completed": (_last_completed, Course.id),
}


def _course_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    return stmt.where(contains_folded(Course.name, t)) if t else stmt


def courses_page(session: Session, actor: Actor, q: PageQuery = PageQuery()) -> list[CourseRow]:
    """The course catalogue with how many completions each course has had (no names)."""
    require(actor, Permission.VIEW_CATALOGUE)
    required = roles_of(course_requirements.c.course_id, course_requirements.c.role_id, Course.id)
    stmt = select(
        Course.id,
        Course.name,
        Course.validity_months,
        required,
        _completions,
        _last_completed,
        Course.active,
    )
    rows = page(session, _course_filter(stmt, q.text), COURSE_SORTS, q)
    return [CourseRow(r[0], r[1], r[2], joined(r[3]), r[4], r[5], r[6]) for r in rows]


def count_courses(session: Session, actor: Actor, text: str = "") -> int:
    require(actor, Permission.VIEW_CATALOGUE)
    return count(session, _course_filter(select(Course.id), text))
