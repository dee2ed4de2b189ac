"""Read-only, paged lists for every area of the main window, and the figures on the Today page.

Each `*_page` function returns one page of frozen rows (never ORM objects) for an offset, a limit,
a sort key from that list's allowed set and an optional text filter; each `count_*` counts the
rows the same filter matches. Every allowed sort follows an index, and counts of related rows are
correlated subqueries over indexed keys, so a page answers in milliseconds at ten years of data.
Confidential text (supervision notes, wellbeing checks, concern details, session notes) is never
selected here.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.models import (
    ActionStatus,
    Activity,
    Assignment,
    AssignmentStatus,
    ConcernStatus,
    Course,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Organisation,
    ReportExport,
    ReportKind,
    ReportSignOff,
    Role,
    SafeguardingConcern,
    SessionLog,
    SessionMode,
    Shift,
    ShiftStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionSession,
    TrainingCompletion,
    User,
    Venue,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    course_requirements,
)

PAGE_SIZE = 200
LOOKAHEAD_DAYS = 14
# Assignments that put a volunteer on the shift: offered, declined, cover-requested and no-show
# places are still to fill (or were never filled).
FILLING = (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)
_SEP = "\x1f"  # joins role names in SQL; cannot appear in a typed name


# Rows -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VolunteerRow:
    id: uuid.UUID
    preferred_name: str
    full_name: str
    roles: tuple[str, ...]
    status: VolunteerStatus
    started_on: date | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class ShiftRow:
    id: uuid.UUID
    day: date  # in the organisation's local time
    starts: time
    ends: time
    venue: str | None
    activity: str
    filled: int
    min_volunteers: int
    max_volunteers: int
    cancelled: bool

    @property
    def staffing(self) -> str:
        """One word for how the shift is staffed: filled, short, unfilled, over or cancelled."""
        return staffing_word(self.filled, self.min_volunteers, self.max_volunteers, self.cancelled)


@dataclass(frozen=True)
class SessionLogRow:
    id: uuid.UUID
    day: date
    starts: time
    activity: str
    volunteer: str
    mode: SessionMode
    attendees: int
    new_attendees: int


@dataclass(frozen=True)
class SupervisionRow:
    id: uuid.UUID
    held_on: date
    kind: SupervisionKind
    supervisor: str
    duration_minutes: int
    supervisees: int


@dataclass(frozen=True)
class CourseRow:
    id: uuid.UUID
    name: str
    validity_months: int | None
    required_for: tuple[str, ...]
    completions: int
    last_completed: date | None
    active: bool


@dataclass(frozen=True)
class ReportRow:
    id: uuid.UUID
    report_code: str
    kind: ReportKind
    period_start: date
    period_end: date
    exported_at: datetime
    exported_by: str | None
    signed_off: bool


@dataclass(frozen=True)
class TodaySummary:
    active_volunteers: int
    shifts_ahead: int  # planned shifts in the next LOOKAHEAD_DAYS days
    shifts_needing_cover: int  # of those, short or unfilled
    open_concerns: int
    overdue_actions: int  # supervision actions open past their due date
    debriefs_waiting: int
    sessions_last_30_days: int
    people_reached_last_30_days: int


def staffing_word(filled: int, least: int, most: int, cancelled: bool = False) -> str:
    if cancelled:
        return "cancelled"
    if filled == 0 and least > 0:
        return "unfilled"
    if filled < least:
        return "short"
    return "over" if filled > most else "filled"


# Shared helpers ---------------------------------------------------------------------------------
type Query = Select[*tuple[Any, ...]]
type Sorts = dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class PageQuery:
    """Which page of a list: where it starts, how long, its order and a text filter."""

    offset: int = 0
    limit: int = PAGE_SIZE
    sort: str | None = None  # None: the list's first allowed sort
    descending: bool = False
    text: str = ""


def _page(session: Session, stmt: Query, sorts: Sorts, q: PageQuery) -> list[Any]:
    sort = q.sort or next(iter(sorts))
    if sort not in sorts:
        raise ValueError(f"unknown sort {sort!r}; allowed: {', '.join(sorts)}")
    order = (k.desc() if q.descending else k.asc() for k in sorts[sort])
    stmt = stmt.order_by(*order).offset(max(q.offset, 0)).limit(max(q.limit, 0))
    return list(session.execute(stmt))


def _columns(model: Any, names: str) -> list[Any]:
    return [getattr(model, n) for n in names.split()]


def _matching(column: Any, key: Any, text: str) -> Any:
    """Ids from a small table whose `column` contains `text`: filtering a large table by these
    keeps its scan on the index that orders it."""
    return select(key).where(column.icontains(text, autoescape=True))


def _zone(session: Session) -> ZoneInfo:
    name = session.scalar(select(Organisation.timezone).limit(1))
    return ZoneInfo(name or DEFAULT_ZONE)


def _joined(value: str | None) -> tuple[str, ...]:
    return tuple(sorted(value.split(_SEP))) if value else ()


def _count(session: Session, stmt: Query) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _roles_of(link_key: Any, link_role: Any, owner_id: Any) -> Any:
    """Role names linked to a row, joined in SQL so a page costs one query."""
    return (
        select(func.group_concat(Role.name, _SEP))
        .join_from(Role, link_key.table, link_role == Role.id)
        .where(link_key == owner_id)
        .scalar_subquery()
    )


# Volunteers -------------------------------------------------------------------------------------
VOLUNTEER_SORTS: Sorts = {
    "name": (func.lower(Volunteer.preferred_name), Volunteer.id),
    "status": (Volunteer.status, Volunteer.preferred_name, Volunteer.id),
    "started": (Volunteer.started_on, Volunteer.id),
}


def _volunteer_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    if not t:
        return stmt
    names = _columns(Volunteer, "preferred_name first_name last_name email")
    return stmt.where(or_(*(c.icontains(t, autoescape=True) for c in names)))


def volunteers_page(session: Session, q: PageQuery = PageQuery()) -> list[VolunteerRow]:
    roles = _roles_of(VolunteerRole.volunteer_id, VolunteerRole.role_id, Volunteer.id)
    # Columns, not entities: loading Volunteer would also run its eager role query.
    cols = _columns(Volunteer, "id preferred_name first_name last_name status started_on email")
    stmt = select(*cols, Volunteer.phone, roles)
    return [
        _volunteer_row(r)
        for r in _page(session, _volunteer_filter(stmt, q.text), VOLUNTEER_SORTS, q)
    ]


def _volunteer_row(r: Any) -> VolunteerRow:
    full = " ".join(p for p in (r.first_name, r.last_name) if p)
    return VolunteerRow(
        r.id, r.preferred_name, full, _joined(r[-1]), r.status, r.started_on, r.email, r.phone
    )


def count_volunteers(session: Session, text: str = "") -> int:
    return _count(session, _volunteer_filter(select(Volunteer.id), text))


# Rota -------------------------------------------------------------------------------------------
SHIFT_SORTS: Sorts = {
    "date": (Shift.starts_at, Shift.id),
    "venue": (Venue.name, Shift.starts_at, Shift.id),
    "activity": (Activity.name, Shift.starts_at, Shift.id),
}


def _shift_filter(stmt: Query, text: str, since: datetime | None) -> Query:
    if since is not None:
        stmt = stmt.where(Shift.starts_at >= since)
    t = text.strip()
    if t:
        stmt = stmt.where(
            or_(
                Shift.activity_id.in_(_matching(Activity.name, Activity.id, t)),
                Shift.venue_id.in_(_matching(Venue.name, Venue.id, t)),
            )
        )
    return stmt


def _filled(shift_id: Any) -> Any:
    return (
        select(func.count())
        .where(Assignment.shift_id == shift_id, Assignment.status.in_(FILLING))
        .scalar_subquery()
    )


def shifts_page(
    session: Session, q: PageQuery = PageQuery(), since: datetime | None = None
) -> list[ShiftRow]:
    """Shifts with their staffing; `since` leaves out shifts that started earlier."""
    stmt = (
        select(
            *_columns(Shift, "id starts_at ends_at min_volunteers max_volunteers status"),
            Venue.name.label("venue"),
            Activity.name.label("activity"),
            _filled(Shift.id).label("filled"),
        )
        .join(Activity, Activity.id == Shift.activity_id)
        .outerjoin(Venue, Venue.id == Shift.venue_id)
    )
    rows = _page(session, _shift_filter(stmt, q.text, since), SHIFT_SORTS, q)
    zone = _zone(session)
    return [_shift_row(r, zone) for r in rows]


def _shift_row(r: Any, zone: ZoneInfo) -> ShiftRow:
    start, end = r.starts_at.astimezone(zone), r.ends_at.astimezone(zone)
    return ShiftRow(
        r.id,
        start.date(),
        start.time(),
        end.time(),
        r.venue,
        r.activity,
        r.filled,
        r.min_volunteers,
        r.max_volunteers,
        r.status == ShiftStatus.CANCELLED,
    )


def count_shifts(session: Session, text: str = "", since: datetime | None = None) -> int:
    return _count(session, _shift_filter(select(Shift.id), text, since))


# Session logs -----------------------------------------------------------------------------------
SESSION_SORTS: Sorts = {
    "date": (SessionLog.started_at, SessionLog.id),
    "volunteer": (Volunteer.preferred_name, SessionLog.started_at, SessionLog.id),
    "activity": (Activity.name, SessionLog.started_at, SessionLog.id),
}


def _session_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    if not t:
        return stmt
    return stmt.where(
        or_(
            SessionLog.volunteer_id.in_(_matching(Volunteer.preferred_name, Volunteer.id, t)),
            SessionLog.activity_id.in_(_matching(Activity.name, Activity.id, t)),
        )
    )


def session_logs_page(session: Session, q: PageQuery = PageQuery()) -> list[SessionLogRow]:
    """What was delivered: when, what, by whom, and anonymous head counts (never the notes)."""
    stmt = (
        select(
            *_columns(SessionLog, "id started_at mode attendees new_attendees"),
            Activity.name.label("activity"),
            Volunteer.preferred_name.label("volunteer"),
        )
        .join(Activity, Activity.id == SessionLog.activity_id)
        .join(Volunteer, Volunteer.id == SessionLog.volunteer_id)
    )
    zone = _zone(session)
    return [
        _session_row(r, r.started_at.astimezone(zone))
        for r in _page(session, _session_filter(stmt, q.text), SESSION_SORTS, q)
    ]


def _session_row(r: Any, start: datetime) -> SessionLogRow:
    return SessionLogRow(
        r.id,
        start.date(),
        start.time(),
        r.activity,
        r.volunteer,
        r.mode,
        r.attendees,
        r.new_attendees,
    )


def count_session_logs(session: Session, text: str = "") -> int:
    return _count(session, _session_filter(select(SessionLog.id), text))


# Supervision ------------------------------------------------------------------------------------
SUPERVISION_SORTS: Sorts = {
    "date": (SupervisionSession.held_on, SupervisionSession.id),
    "supervisor": (User.display_name, SupervisionSession.held_on, SupervisionSession.id),
}


def _supervision_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    if not t:
        return stmt
    supervisors = _matching(User.display_name, User.id, t)
    return stmt.where(SupervisionSession.supervisor_user_id.in_(supervisors))


def supervision_page(session: Session, q: PageQuery = PageQuery()) -> list[SupervisionRow]:
    """Supervision sessions: when, what kind, who led them and how many attended; no notes."""
    supervisees = (
        select(func.count())
        .where(
            SupervisionAttendee.session_id == SupervisionSession.id,
            SupervisionAttendee.attended.is_(True),
        )
        .scalar_subquery()
    )
    stmt = select(
        *_columns(SupervisionSession, "id held_on kind"),
        User.display_name,
        SupervisionSession.duration_minutes,
        supervisees,
    ).join(User, User.id == SupervisionSession.supervisor_user_id)
    rows = _page(session, _supervision_filter(stmt, q.text), SUPERVISION_SORTS, q)
    return [SupervisionRow(*r) for r in rows]


def count_supervision(session: Session, text: str = "") -> int:
    return _count(session, _supervision_filter(select(SupervisionSession.id), text))


# Training ---------------------------------------------------------------------------------------
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
    return stmt.where(Course.name.icontains(t, autoescape=True)) if t else stmt


def courses_page(session: Session, q: PageQuery = PageQuery()) -> list[CourseRow]:
    """The course catalogue with how many completions each course has had."""
    required = _roles_of(course_requirements.c.course_id, course_requirements.c.role_id, Course.id)
    stmt = select(
        Course.id,
        Course.name,
        Course.validity_months,
        required,
        _completions,
        _last_completed,
        Course.active,
    )
    rows = _page(session, _course_filter(stmt, q.text), COURSE_SORTS, q)
    return [CourseRow(r[0], r[1], r[2], _joined(r[3]), r[4], r[5], r[6]) for r in rows]


def count_courses(session: Session, text: str = "") -> int:
    return _count(session, _course_filter(select(Course.id), text))


# Reports ----------------------------------------------------------------------------------------
REPORT_SORTS: Sorts = {
    "exported": (ReportExport.exported_at, ReportExport.id),
    "kind": (ReportExport.kind, ReportExport.period_start, ReportExport.id),
    "period": (ReportExport.period_start, ReportExport.id),
}


def _report_filter(stmt: Query, text: str) -> Query:
    t = text.strip()
    return stmt.where(ReportExport.report_code.icontains(t, autoescape=True)) if t else stmt


def reports_page(session: Session, q: PageQuery = PageQuery()) -> list[ReportRow]:
    """Reports that were exported, who exported them and whether a trustee signed them off."""
    signed = select(ReportSignOff.id).where(ReportSignOff.report_export_id == ReportExport.id)
    stmt = select(
        *_columns(ReportExport, "id report_code kind period_start period_end exported_at"),
        User.display_name,
        signed.exists(),
    ).outerjoin(User, User.id == ReportExport.exported_by_user_id)
    rows = _page(session, _report_filter(stmt, q.text), REPORT_SORTS, q)
    return [ReportRow(*r) for r in rows]


def count_reports(session: Session, text: str = "") -> int:
    return _count(session, _report_filter(select(ReportExport.id), text))


# Today ------------------------------------------------------------------------------------------
def today_summary(session: Session, today: date) -> TodaySummary:
    """The figures a coordinator looks at first: who is active and what needs attention."""
    start = datetime.combine(today, time(), _zone(session)).astimezone(UTC)
    ahead = _shifts_ahead(session, start, start + timedelta(days=LOOKAHEAD_DAYS))
    sessions, reached = session.execute(
        select(func.count(), func.coalesce(func.sum(SessionLog.attendees), 0)).where(
            SessionLog.started_at >= start - timedelta(days=30), SessionLog.started_at < start
        )
    ).one()
    count = func.count()
    return TodaySummary(
        active_volunteers=_scalar(
            session, select(count).where(Volunteer.status == VolunteerStatus.ACTIVE)
        ),
        shifts_ahead=len(ahead),
        shifts_needing_cover=sum(1 for w in ahead if w in ("short", "unfilled")),
        open_concerns=_scalar(
            session, select(count).where(SafeguardingConcern.status != ConcernStatus.CLOSED)
        ),
        overdue_actions=_scalar(
            session,
            select(count).where(
                SupervisionAction.status == ActionStatus.OPEN, SupervisionAction.due_on < today
            ),
        ),
        debriefs_waiting=_scalar(
            session,
            select(count).where(
                FollowUp.kind == FollowUpKind.DEBRIEF, FollowUp.status == FollowUpStatus.OPEN
            ),
        ),
        sessions_last_30_days=sessions,
        people_reached_last_30_days=reached,
    )


def _scalar(session: Session, stmt: Query) -> int:
    return session.scalar(stmt) or 0


def _shifts_ahead(session: Session, start: datetime, end: datetime) -> Sequence[str]:
    """The staffing word of every planned shift starting between start and end."""
    stmt = select(_filled(Shift.id), Shift.min_volunteers, Shift.max_volunteers).where(
        Shift.starts_at >= start, Shift.starts_at < end, Shift.status == ShiftStatus.PLANNED
    )
    return [staffing_word(n, least, most) for n, least, most in session.execute(stmt)]
