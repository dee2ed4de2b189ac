"""Who may go on a shift, and why not: each reason in a sentence, blocking or only warning as the
organisation's policy says; and "suggest volunteers", the clear and available, fairest first.

Training and DBS standings come from the same rules as the compliance pages
(`services.compliance`): a mandatory course for one of the volunteer's roles that has expired on
the shift's day, or a DBS recheck overdue on that day for a role that needs DBS.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.models import (
    Absence,
    Assignment,
    Course,
    DBSCheck,
    EligibilityRule,
    Role,
    Shift,
    ShiftStatus,
    TrainingCompletion,
    UsualAvailability,
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
    dbs_recheck,
    status_from_latest,
)
from peerdesk.services.dbs import recheck_months
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.rota.common import get_shift, org_zone, pairs, require_editor
from peerdesk.services.rota.shapes import Concern, Eligibility, Reason, Suggestion

# Places that hold someone to a shift's time: these make a second shift a double booking.
HOLDING = ("offered", "confirmed", "attended")
FAIRNESS_WEEKS = 8
DEFAULT_BLOCKING = frozenset(
    {Reason.DOUBLE_BOOKED, Reason.AWAY, Reason.NOT_ACTIVE, Reason.MISSING_ROLE}
)


@dataclass(frozen=True)
class RotaPolicy:
    """The reasons that stop an assignment; every other reason only warns."""

    blocking: frozenset[Reason]

    def blocks(self, reason: Reason) -> bool:
        return reason in self.blocking


def rota_policy(session: Session, actor: Actor) -> RotaPolicy:
    require(actor, Permission.VIEW_ROTA)
    return _policy(session)


def _policy(session: Session) -> RotaPolicy:
    chosen = pairs(session, select(EligibilityRule.reason, EligibilityRule.blocks))
    return RotaPolicy(frozenset(r for r in Reason if chosen.get(r.value, r in DEFAULT_BLOCKING)))


def set_rota_policy(session: Session, actor: Actor, blocking: Iterable[Reason]) -> RotaPolicy:
    """The reasons that block from now on; every other reason only warns."""
    require_editor(actor, "change the rota's rules")
    chosen = frozenset(Reason(r) for r in blocking)
    rules = {r.reason: r for r in session.scalars(select(EligibilityRule))}
    for reason in Reason:
        rule = rules.get(reason.value)
        if rule is None:
            session.add(EligibilityRule(reason=reason.value, blocks=reason in chosen))
        elif rule.blocks != (reason in chosen):
            rule.blocks = reason in chosen
    session.flush()
    return RotaPolicy(chosen)


def check_eligibility(
    session: Session, actor: Actor, shift_id: uuid.UUID, volunteer_id: uuid.UUID
) -> Eligibility:
    """Every reason this volunteer should not be on this shift (none: they are clear)."""
    require(actor, Permission.VIEW_ROTA)
    shift = get_shift(session, shift_id)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        from peerdesk.errors import ValidationError

        raise ValidationError("That volunteer is no longer on record.")
    return _eligibility(session, shift, volunteer, _policy(session))


def _eligibility(
    session: Session, shift: Shift, volunteer: Volunteer, policy: RotaPolicy
) -> Eligibility:
    day = shift.starts_at.astimezone(org_zone(session)).date()
    found = [
        *_not_active(volunteer),
        *_double_booked(session, shift, volunteer.id),
        *_away(session, volunteer.id, shift, day),
        *_missing_roles(session, shift, volunteer.id),
        *_training_expired(session, volunteer.id, day),
        *_dbs_overdue(session, volunteer.id, day),
    ]
    concerns = tuple(Concern(r, text, policy.blocks(r)) for r, text in found)
    return Eligibility(volunteer.id, volunteer.preferred_name, concerns)


type Found = list[tuple[Reason, str]]


def _not_active(volunteer: Volunteer) -> Found:
    if volunteer.status is VolunteerStatus.ACTIVE:
        return []
    return [(Reason.NOT_ACTIVE, f"{volunteer.preferred_name} is {volunteer.status.value}.")]


def _double_booked(session: Session, shift: Shift, volunteer_id: uuid.UUID) -> Found:
    clash = session.scalar(
        select(Shift)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status.in_(HOLDING),
            Shift.id != shift.id,
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at < shift.ends_at,
            Shift.ends_at > shift.starts_at,
        )
        .limit(1)
    )
    if clash is None:
        return []
    zone = org_zone(session)
    when = clash.starts_at.astimezone(zone)
    return [(Reason.DOUBLE_BOOKED, f"They are already on a shift at {when:%H:%M} that day.")]


def _away(session: Session, volunteer_id: uuid.UUID, shift: Shift, day: date) -> Found:
    zone = org_zone(session)
    last = (shift.ends_at.astimezone(zone) - timedelta(microseconds=1)).date()
    absence = session.scalar(
        select(Absence)
        .where(
            Absence.volunteer_id == volunteer_id,
            Absence.starts_on <= last,
            Absence.ends_on >= day,
        )
        .limit(1)
    )
    if absence is None:
        return []
    span = f"{show_date(absence.starts_on)} to {show_date(absence.ends_on)}"
    return [(Reason.AWAY, f"They are away from {span}.")]


def _missing_roles(session: Session, shift: Shift, volunteer_id: uuid.UUID) -> Found:
    """A role the shift needs (a group needs a facilitator) is missing when nobody else on it
    holds the role, this person does not either, and after them there would be too few places
    left for someone who does. Others may go on first while there is still room."""
    others = select(Assignment.volunteer_id).where(
        Assignment.shift_id == shift.id,
        Assignment.volunteer_id != volunteer_id,
        Assignment.status.in_(HOLDING),
    )
    taken = session.scalar(select(func.count()).select_from(others.subquery())) or 0
    covered = select(VolunteerRole.role_id).where(
        or_(VolunteerRole.volunteer_id.in_(others), VolunteerRole.volunteer_id == volunteer_id)
    )
    needed = select(shift_required_roles.c.role_id).where(
        shift_required_roles.c.shift_id == shift.id
    )
    missing = list(
        session.scalars(
            select(Role.name)
            .where(Role.id.in_(needed), Role.id.not_in(covered))
            .order_by(Role.name)
        )
    )
    if not missing or len(missing) <= shift.max_volunteers - taken - 1:
        return []
    roles = " and a ".join(missing)
    return [
        (
            Reason.MISSING_ROLE,
            f"The shift needs a {roles}, nobody on it is one yet, and this is its last place.",
        )
    ]


def _training_expired(session: Session, volunteer_id: uuid.UUID, day: date) -> Found:
    req = course_requirements
    mandatory = (
        select(Course)
        .join(req, req.c.course_id == Course.id)
        .join(VolunteerRole, VolunteerRole.role_id == req.c.role_id)
        .where(Course.active, VolunteerRole.volunteer_id == volunteer_id)
        .distinct()
    )
    latest = pairs(
        session,
        select(TrainingCompletion.course_id, func.max(TrainingCompletion.completed_on))
        .where(
            TrainingCompletion.volunteer_id == volunteer_id,
            TrainingCompletion.completed_on <= day,
        )
        .group_by(TrainingCompletion.course_id),
    )
    expired = []
    for course in session.scalars(mandatory):
        done = latest.get(course.id)
        if done is None:
            continue  # never done: the compliance page's "missing", not an expiry
        rule = CourseRule(course.validity_months, course.renewal_window_days, course.grace_days)
        if status_from_latest(rule, done, day) is TrainingStatus.EXPIRED:
            expired.append(course.name)
    if not expired:
        return []
    names = ", ".join(sorted(expired))
    return [(Reason.TRAINING_EXPIRED, f"Their mandatory training has expired: {names}.")]


def _dbs_overdue(session: Session, volunteer_id: uuid.UUID, day: date) -> Found:
    needs = session.scalar(
        select(func.count())
        .select_from(VolunteerRole)
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(VolunteerRole.volunteer_id == volunteer_id, Role.needs_dbs)
    )
    if not needs:
        return []
    newest = session.execute(
        select(DBSCheck.issued_on, DBSCheck.update_service)
        .where(DBSCheck.volunteer_id == volunteer_id)
        .order_by(DBSCheck.issued_on.desc(), DBSCheck.created_at.desc())
        .limit(1)
    ).first()
    if newest is None:
        return []  # no check at all: the DBS page's "none"; not an overdue recheck
    status = dbs_recheck(newest.issued_on, newest.update_service, recheck_months(session), day)
    if status is not DBSStatus.RECHECK_OVERDUE:
        return []
    return [(Reason.DBS_OVERDUE, "Their DBS recheck is overdue.")]


def suggest_volunteers(
    session: Session, actor: Actor, shift_id: uuid.UUID, now: datetime, limit: int = 10
) -> list[Suggestion]:
    """Active volunteers with no concern about this shift, not already on it: those usually
    free at its time first, then those who have not said, each group fewest recent shifts
    first. Coordinators only (it compares people's workloads)."""
    require_editor(actor, "see suggested volunteers")
    from peerdesk.services.rota.shifts import volunteer_roles

    shift = get_shift(session, shift_id)
    policy = _policy(session)
    on_it = select(Assignment.volunteer_id).where(Assignment.shift_id == shift.id)
    people = session.scalars(
        select(Volunteer).where(
            Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.id.not_in(on_it)
        )
    ).all()
    clear = [v for v in people if _eligibility(session, shift, v, policy).clear]
    recent = _recent_counts(session, now, [v.id for v in clear])
    free = _usually_free(session, shift, [v.id for v in clear])
    roles = volunteer_roles(session, {v.id for v in clear})
    found = [
        Suggestion(v.id, v.preferred_name, roles.get(v.id, ()), recent.get(v.id, 0), free.get(v.id))
        for v in clear
        if free.get(v.id) is not False
    ]
    found.sort(key=lambda s: (s.usually_available is None, s.recent_shifts, s.name.lower()))
    return found[:limit]


def _recent_counts(session: Session, now: datetime, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    since = now - timedelta(weeks=FAIRNESS_WEEKS)
    return pairs(
        session,
        select(Assignment.volunteer_id, func.count())
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            Assignment.volunteer_id.in_(ids),
            Assignment.status.in_(("confirmed", "attended")),
            Shift.starts_at >= since,
            Shift.starts_at < now + timedelta(weeks=FAIRNESS_WEEKS),
        )
        .group_by(Assignment.volunteer_id),
    )


def _usually_free(session: Session, shift: Shift, ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
    """True when one of their usual times covers the shift, False when they gave usual times
    and none does; absent when they gave none."""
    zone = org_zone(session)
    start, end = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
    found: dict[uuid.UUID, bool] = {}
    slots = session.scalars(
        select(UsualAvailability).where(UsualAvailability.volunteer_id.in_(ids))
    )
    for slot in slots:
        fits = (
            slot.weekday == start.weekday()
            and end.date() == start.date()  # a usual time never runs past midnight
            and slot.starts_at <= start.time()
            and end.time() <= slot.ends_at
        )
        found[slot.volunteer_id] = found.get(slot.volunteer_id, False) or fits
    return found
