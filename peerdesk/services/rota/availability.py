"""When a volunteer is usually free (weekly times, local) and the dates they are away. The
volunteer keeps their own; coordinators keep anyone's (they read them to build the rota)."""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import Absence, UsualAvailability, Volunteer
from peerdesk.services.permissions import Actor
from peerdesk.services.rota.common import require_self
from peerdesk.services.rota.shapes import AbsenceInfo, Availability, UsualSlot

MAX_ABSENCE_DAYS = 366


class StaleAvailability(PeerdeskError):
    """The usual times changed after the caller read them."""


MAX_REASON = 200


def availability(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> Availability:
    require_self(actor, volunteer_id, "see availability")
    _volunteer(session, volunteer_id)
    usual = session.scalars(
        select(UsualAvailability)
        .where(UsualAvailability.volunteer_id == volunteer_id)
        .order_by(UsualAvailability.weekday, UsualAvailability.starts_at, UsualAvailability.ends_at)
    )
    away = session.scalars(
        select(Absence).where(Absence.volunteer_id == volunteer_id).order_by(Absence.starts_on)
    )
    return Availability(
        volunteer_id,
        tuple(UsualSlot(u.weekday, u.starts_at, u.ends_at) for u in usual),
        tuple(AbsenceInfo(a.id, a.starts_on, a.ends_on, a.reason) for a in away),
    )


def set_usual_availability(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    slots: Sequence[UsualSlot],
    expected: Sequence[UsualSlot] | None = None,
) -> Availability:
    """Replace someone's usual weekly times with `slots`. `expected` is what the caller showed
    before the change: if the times on record differ (the volunteer and a coordinator both
    editing), nothing is replaced, so neither loses the other's change without knowing."""
    require_self(actor, volunteer_id, "change availability")
    _volunteer(session, volunteer_id)
    if expected is not None and availability(session, actor, volunteer_id).usual != _in_order(
        expected
    ):
        raise StaleAvailability(
            "Someone else changed these usual times after you opened them; close this and "
            "open it again to see theirs."
        )
    for slot in slots:
        if not 0 <= slot.weekday <= 6:
            raise ValidationError("Choose a day of the week for each usual time.")
        if slot.ends <= slot.starts:
            raise ValidationError("A usual time ends before it starts; check the times.")
    session.execute(delete(UsualAvailability).where(UsualAvailability.volunteer_id == volunteer_id))
    for slot in _in_order(slots):
        session.add(
            UsualAvailability(
                volunteer_id=volunteer_id,
                weekday=slot.weekday,
                starts_at=slot.starts,
                ends_at=slot.ends,
            )
        )
    session.flush()
    return availability(session, actor, volunteer_id)


def add_absence(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    reason: str | None = None,
    *,
    today: date,
) -> Availability:
    """Record dates away. `today` is the organisation's local date: time away that is over
    already changes no rota, so it is refused as a slip (a year typed wrong)."""
    require_self(actor, volunteer_id, "record time away")
    _volunteer(session, volunteer_id)
    if ends_on < starts_on:
        raise ValidationError("The time away ends before it starts; check the dates.")
    if ends_on < today:
        raise ValidationError(
            f"That time away is all in the past (it ended {show_date(ends_on)}); "
            "check the year, or leave it out."
        )
    if (ends_on - starts_on).days > MAX_ABSENCE_DAYS:
        raise ValidationError("Time away can be up to a year; for longer, pause the volunteer.")
    clash = session.scalar(
        select(Absence).where(
            Absence.volunteer_id == volunteer_id,
            Absence.starts_on <= ends_on,
            Absence.ends_on >= starts_on,
        )
    )
    if clash is not None:
        raise ValidationError(
            f"That overlaps time away already recorded ({show_date(clash.starts_on)} to "
            f"{show_date(clash.ends_on)}); change that one instead."
        )
    text = (reason or "").strip()[:MAX_REASON] or None
    session.add(
        Absence(volunteer_id=volunteer_id, starts_on=starts_on, ends_on=ends_on, reason=text)
    )
    session.flush()
    return availability(session, actor, volunteer_id)


def remove_absence(session: Session, actor: Actor, absence_id: uuid.UUID) -> Availability:
    absence = session.get(Absence, absence_id)
    if absence is None:
        raise ValidationError("That time away is no longer on record.")
    volunteer_id = absence.volunteer_id
    require_self(actor, volunteer_id, "change time away")
    session.delete(absence)
    session.flush()
    return availability(session, actor, volunteer_id)


def _in_order(slots: Sequence[UsualSlot]) -> tuple[UsualSlot, ...]:
    """As `availability` lists them: by day and start, each once."""
    return tuple(sorted(set(slots), key=lambda s: (s.weekday, s.starts, s.ends)))


def _volunteer(session: Session, volunteer_id: uuid.UUID) -> None:
    if session.get(Volunteer, volunteer_id) is None:
        raise ValidationError("That volunteer is no longer on record.")
