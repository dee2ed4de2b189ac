"""Who may go on a shift, and why not: each reason in a sentence, blocking or only warning as the
organisation's policy says; and "suggest volunteers", the clear and available, fairest first.

The reasons themselves are checked in `checks`. Training and DBS standings come from the same
rules as the compliance pages (`services.compliance`): a mandatory course for one of the
volunteer's roles that has expired on the shift's day, or, for a role that needs DBS, no DBS check
recorded or its recheck overdue on that day (`DBS_NOT_IN_PLACE`, the rule Today and the report
use).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.models import (
    Assignment,
    EligibilityRule,
    Shift,
    UsualAvailability,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.rota.checks import Checker
from peerdesk.services.rota.common import (
    get_shift,
    pairs,
    require_editor,
)
from peerdesk.services.rota.shapes import Eligibility, Reason, Suggestion

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
    return policy_of(session)


def policy_of(session: Session) -> RotaPolicy:
    """The organisation's choices, each reason it has not chosen for following the default."""
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
    return eligibility_of(session, shift, volunteer, policy_of(session))


def eligibility_of(
    session: Session, shift: Shift, volunteer: Volunteer, policy: RotaPolicy
) -> Eligibility:
    """One person and one shift (for many, use a `Checker` directly)."""
    return Checker(session, [volunteer.id], policy.blocking).check(shift, volunteer.id)


def suggest_volunteers(
    session: Session, actor: Actor, shift_id: uuid.UUID, now: datetime, limit: int = 10
) -> list[Suggestion]:
    """Active volunteers with no concern about this shift, not already on it: those usually
    free at its time first, then those who have not said, each group fewest recent shifts
    first. Coordinators only (it compares people's workloads)."""
    require_editor(actor, "see suggested volunteers")
    from peerdesk.services.rota.shifts import volunteer_roles

    shift = get_shift(session, shift_id)
    policy = policy_of(session)
    on_it = select(Assignment.volunteer_id).where(Assignment.shift_id == shift.id)
    people = session.scalars(
        select(Volunteer).where(
            Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.id.not_in(on_it)
        )
    ).all()
    checker = Checker(session, [v.id for v in people], policy.blocking)
    clear = [v for v in people if checker.check(shift, v.id).clear]
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
    # The shifts of those weeks first (an index range), not everyone's whole history.
    weeks = select(Shift.id).where(
        Shift.starts_at >= since, Shift.starts_at < now + timedelta(weeks=FAIRNESS_WEEKS)
    )
    return pairs(
        session,
        select(Assignment.volunteer_id, func.count())
        .where(
            Assignment.shift_id.in_(weeks),
            Assignment.volunteer_id.in_(ids),
            Assignment.status.in_(("confirmed", "attended")),
        )
        .group_by(Assignment.volunteer_id),
    )


def _usually_free(session: Session, shift: Shift, ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
    """True when one of their usual times covers the shift, False when they gave usual times
    and none does; absent when they gave none."""
    zone = group_zone(session)
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
