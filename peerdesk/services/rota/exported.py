"""The shifts a rota export (the calendar file, the printed rota) may show its reader.

The same rule as the window's calendar (`browse.calendar.sees_names`): trustees read staffing
figures, not people, so their exports carry how many are on each shift and never who. The
places stay in each shift, with their status but without a name, a role or an id, so the
staffing words and counts are the same as everyone else's.
"""

import uuid
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from peerdesk.services.browse.calendar import sees_names
from peerdesk.services.permissions import Actor
from peerdesk.services.rota.shapes import OnShift, ShiftDetail
from peerdesk.services.rota.shifts import shifts_between

NOBODY = uuid.UUID(int=0)


def shifts_to_export(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    volunteer_id: uuid.UUID | None = None,
) -> list[ShiftDetail]:
    """`shifts_between`, with the people on them hidden from a reader who may not see names."""
    shifts = shifts_between(session, actor, first_day, last_day, volunteer_id=volunteer_id)
    if sees_names(actor):
        return shifts
    return [replace(s, people=tuple(_unnamed(p) for p in s.people)) for s in shifts]


def _unnamed(place: OnShift) -> OnShift:
    return replace(
        place, assignment_id=NOBODY, volunteer_id=NOBODY, name="", roles=(), covering=None
    )
