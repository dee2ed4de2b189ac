"""When a volunteer leaves: they come off every shift still to come, and the coordinator is told
how each of those shifts is staffed without them (which are now short)."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from peerdesk.services.rota.shapes import ReleasedShift, ShiftDetail
from peerdesk.services.rota.shifts import details

A = AssignmentStatus
# Places that still expect them (offers to cover included); attended and no-show are history.
STILL_ON = (A.OFFERED, A.CONFIRMED, A.COVER_REQUESTED)


def release_future_shifts(
    session: Session, volunteer_id: uuid.UUID, start: datetime
) -> list[ReleasedShift]:
    """Decline their places on planned shifts starting at or after `start` (the place stays in
    the history as declined) and return those shifts, soonest first. Called by the leaving
    workflow, which has already checked the coordinator may record it."""
    places = list(
        session.scalars(
            select(Assignment)
            .join(Shift, Shift.id == Assignment.shift_id)
            .where(
                Assignment.volunteer_id == volunteer_id,
                Assignment.status.in_(STILL_ON),
                Shift.starts_at >= start,
                Shift.status == ShiftStatus.PLANNED,
            )
        )
    )
    now = clock.now()
    for place in places:
        place.status, place.responded_at = A.DECLINED, now
    session.flush()
    ids = {p.shift_id for p in places}
    shifts = details(session, select(Shift).where(Shift.id.in_(ids)).order_by(Shift.starts_at))
    return [_released(d) for d in shifts]


def _released(d: ShiftDetail) -> ReleasedShift:
    return ReleasedShift(
        d.id, d.activity, d.starts_at, d.ends_at, d.min_volunteers, d.filled, d.staffing
    )
