"""The rota's part of the Today page's "Needs attention": for coordinators, shifts in the next
two weeks that are short or unfilled and open cover requests; for a volunteer, the cover
requests they could take. Trustees see none of it (a provider decides who sees what)."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.models import Shift, ShiftStatus
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.rota.cover import open_cover_requests
from peerdesk.services.rota.shapes import CoverRequest, ShiftDetail
from peerdesk.services.rota.shifts import details
from peerdesk.wording import NEEDS_COVER

AREA = "rota"
LOOKAHEAD_DAYS = 14
# A gap this close is urgent: there is little time left to find someone.
URGENT_HOURS = 48
# Each short shift is named up to this many; the rest are counted.
NAMED = 5


def rota_attention(session: Session, actor: Actor, now: datetime) -> list[Attention]:
    requests = open_cover_requests(session, actor, now)
    if can(actor, Permission.EDIT_ROTA):
        return _gaps(session, now) + [_cover_for_coordinator(r) for r in requests]
    return [_cover_for_volunteer(r) for r in requests]


def _when(shift: ShiftDetail) -> str:
    return f"{shift.title} on {show_date(shift.local_start.date())} at {shift.local_start:%H:%M}"


def _gaps(session: Session, now: datetime) -> list[Attention]:
    stmt = (
        select(Shift)
        .where(
            Shift.starts_at >= now,
            Shift.starts_at < now + timedelta(days=LOOKAHEAD_DAYS),
            Shift.status == ShiftStatus.PLANNED,
        )
        .order_by(Shift.starts_at)
    )
    gaps = [d for d in details(session, stmt) if d.staffing in NEEDS_COVER]
    found = [
        Attention(
            AREA,
            f"{_when(d)} is {d.staffing}: {d.filled} of {d.min_volunteers} needed.",
            urgent=d.starts_at - now < timedelta(hours=URGENT_HOURS),
        )
        for d in gaps[:NAMED]
    ]
    if len(gaps) > NAMED:
        more = len(gaps) - NAMED
        shifts = "shifts need" if more > 1 else "shift needs"
        found.append(Attention(AREA, f"{more} more {shifts} volunteers in the next two weeks."))
    return found


def _cover_for_coordinator(r: CoverRequest) -> Attention:
    offers = len(r.offers)
    waiting = (
        f"{offers} offer{'s' if offers > 1 else ''} to cover waiting for you to confirm."
        if offers
        else "Nobody has offered to cover yet."
    )
    return Attention(AREA, f"{r.name} can't make {_when(r.shift)}. {waiting}")


def _cover_for_volunteer(r: CoverRequest) -> Attention:
    if r.offers:
        return Attention(AREA, f"You offered to cover {_when(r.shift)}; a coordinator confirms it.")
    return Attention(AREA, f"{r.name} needs cover for {_when(r.shift)}. You could take it.")
