"""Status moves (applicant → induction → probation → active ⇄ paused) and the leaving workflow.

A move goes straight to the status wanted (an applicant who has done induction and probation
elsewhere becomes active in one change); steps may be skipped forward, never back. What is not
yet in place for delivering (mandatory training, a DBS check) is listed for the coordinator as
information: the rota and the compliance views are where it is acted on, not a status change.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Role,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.services.compliance import DBSStatus, TrainingStatus
from peerdesk.services.dbs import volunteer_dbs
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.rota.leavers import release_future_shifts
from peerdesk.services.training import volunteer_training
from peerdesk.services.volunteers.common import (
    check_date,
    get_editable,
    tidy,
)

S = VolunteerStatus
# The way in, in order: any later step may be reached in one change.
PATH = (S.APPLICANT, S.INDUCTION, S.PROBATION, S.ACTIVE)
MOVES: dict[VolunteerStatus, frozenset[VolunteerStatus]] = {
    S.APPLICANT: frozenset({S.INDUCTION, S.PROBATION, S.ACTIVE}),
    S.INDUCTION: frozenset({S.PROBATION, S.ACTIVE}),
    S.PROBATION: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.PAUSED}),
    S.PAUSED: frozenset({S.ACTIVE}),
    S.LEFT: frozenset(),
}


@dataclass(frozen=True)
class AffectedShift:
    """A future shift the leaver was on; `still_on` counts those confirmed on it now (as the
    rota's staffing does), and `short` is fewer than its minimum."""

    shift_id: uuid.UUID
    activity: str
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    still_on: int

    @property
    def short(self) -> bool:
        return self.still_on < self.min_volunteers


def allowed_moves(status: VolunteerStatus) -> frozenset[VolunteerStatus]:
    """Where a volunteer may go next; leaving (from anything but left) is `leave`."""
    return MOVES[status]


def in_path_order(statuses: Iterable[VolunteerStatus]) -> list[VolunteerStatus]:
    """Statuses in the order a volunteer passes through them (paused after active)."""
    order = [*PATH, S.PAUSED, S.LEFT]
    return sorted(statuses, key=order.index)


def not_yet_in_place(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, today: date
) -> list[str]:
    """What a volunteer does not yet have for delivering, one short phrase each: mandatory
    courses missing or expired, and the DBS check when a role of theirs needs one. Shown when
    their status changes, as information; it does not stop the change."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    gaps = [
        f"{c.course}: {c.status.value}"
        for c in volunteer_training(session, actor, volunteer_id, today)
        if c.mandatory and c.status in (TrainingStatus.MISSING, TrainingStatus.EXPIRED)
    ]
    needs_dbs = session.scalar(
        select(func.count())
        .select_from(VolunteerRole)
        .join(Role, Role.id == VolunteerRole.role_id)
        .where(VolunteerRole.volunteer_id == volunteer_id, Role.needs_dbs)
    )
    if needs_dbs:
        dbs = volunteer_dbs(session, actor, volunteer_id, today).status
        if dbs is DBSStatus.NONE:
            gaps.append("DBS check: none recorded")
        elif dbs is DBSStatus.RECHECK_OVERDUE:
            gaps.append("DBS check: recheck overdue")
    return gaps


def change_status(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    new_status: VolunteerStatus,
    on: date,
    note: str | None = None,
) -> None:
    require(actor, Permission.EDIT_VOLUNTEERS)
    volunteer = get_editable(session, volunteer_id)
    if new_status is S.LEFT:
        raise ValidationError("To record someone leaving, use the leaving steps (date and reason).")
    _check_move(volunteer.status, new_status)
    _check_day(session, volunteer, on)
    volunteer.status = new_status
    if new_status in (S.PROBATION, S.ACTIVE) and volunteer.started_on is None:
        # Starting to volunteer is the start: without the date, reports would not count them
        # on the books and supervision would not know when the first one falls due.
        volunteer.started_on = on
    session.add(
        VolunteerStatusChange(
            volunteer_id=volunteer.id, status=new_status, changed_on=on, note=tidy(note)
        )
    )
    session.flush()


def _check_move(current: VolunteerStatus, new: VolunteerStatus) -> None:
    if current is new:
        raise ValidationError(f"This volunteer is already {current.value}.")
    if current is S.LEFT:
        raise ValidationError(
            "This volunteer has left; if they come back, add them again as an applicant."
        )
    if new not in MOVES[current]:
        *others, last = [s.value for s in in_path_order(MOVES[current])]
        nexts = f"{', '.join(others)} or {last}" if others else last
        raise ValidationError(
            f"A volunteer who is {current.value} can move to {nexts} (or leave), "
            f"not straight to {new.value}."
        )


def _check_day(session: Session, volunteer: Volunteer, on: date) -> None:
    """Not absurd, and not before the status history's last step (the history stays in order)."""
    check_date(on, "date of the change", clock.today())
    last = session.scalar(
        select(func.max(VolunteerStatusChange.changed_on)).where(
            VolunteerStatusChange.volunteer_id == volunteer.id
        )
    )
    if last is not None and on < last:
        raise ValidationError(
            f"The date is before their last status change ({show_date(last)}); check it."
        )


def leave(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, on: date, reason: str | None
) -> list[AffectedShift]:
    """Record leaving on a day; the shifts they were still on after that day are declined and
    returned (soonest first) so the coordinator can see which are now short."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    volunteer = get_editable(session, volunteer_id)
    if volunteer.status is S.LEFT:
        raise ValidationError("This volunteer has already left.")
    if volunteer.started_on is not None and on < volunteer.started_on:
        raise ValidationError("The leaving date is before their start date; check it.")
    _check_day(session, volunteer, on)
    volunteer.status, volunteer.left_on = S.LEFT, on
    volunteer.leaving_reason = tidy(reason)
    # The reason is confidential: it stays on the record, never in the history's plain note.
    session.add(VolunteerStatusChange(volunteer_id=volunteer.id, status=S.LEFT, changed_on=on))
    # The rota takes them off later shifts and says how each is staffed without them.
    released = release_future_shifts(session, volunteer.id, _after_day(session, on))
    return [
        AffectedShift(r.shift_id, r.activity, r.starts_at, r.ends_at, r.min_volunteers, r.filled)
        for r in released
    ]


def _after_day(session: Session, on: date) -> datetime:
    """The first moment after `on` in the group's own time zone, in UTC."""
    zone = organisation_settings(session).zone
    local = datetime.combine(on + timedelta(days=1), time(), tzinfo=zone)
    return local.astimezone(UTC)
