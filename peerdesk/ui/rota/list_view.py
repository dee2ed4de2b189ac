"""The rota's List view: every shift, or those from today, in the window's usual paged list,
with who is on each shift and the rota's venue, activity and volunteer filters."""

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.services.browse import PageQuery
from peerdesk.services.browse.calendar import (
    NO_FILTER,
    CalendarShift,
    RotaFilter,
    count_rota_list,
    rota_list_page,
)
from peerdesk.services.permissions import Actor
from peerdesk.ui.paged_model import Column, ListSource
from peerdesk.ui.rota.wording import YOURS, people, times

COLUMNS = (
    Column("Date", lambda s: show_date(s.starts.date()), sort="date"),
    Column("Time", lambda s: times(s)),
    Column("Shift", lambda s: (f"{YOURS} " if s.mine else "") + s.heading),
    Column("Venue", lambda s: s.venue or "", sort="venue"),
    Column("Activity", lambda s: s.activity, sort="activity"),
    Column("Staffing", lambda s: s.staffing.capitalize(), status=True),
    Column("Volunteers", lambda s: f"{s.filled} of {s.min_volunteers}–{s.max_volunteers}"),
    Column("On the shift", people),
)


def today_start() -> datetime:
    """Local midnight today, in UTC: the upcoming list starts there."""
    return clock.start_of_today()


def _page(
    only: RotaFilter, upcoming: bool, session: Session, actor: Actor, q: PageQuery
) -> list[CalendarShift]:
    return rota_list_page(session, actor, q, only, today_start() if upcoming else None)


def _count(only: RotaFilter, upcoming: bool, session: Session, actor: Actor, text: str) -> int:
    return count_rota_list(session, actor, text, only, today_start() if upcoming else None)


def rota_sources(only: RotaFilter = NO_FILTER) -> tuple[ListSource, ListSource]:
    """The list from today, and the whole history (what "Show past shifts" switches to)."""
    made: list[Any] = []
    for upcoming in (True, False):
        made.append(
            ListSource(
                key="rota",
                noun="upcoming shift" if upcoming else "shift",
                page=partial(_page, only, upcoming),
                count=partial(_count, only, upcoming),
                columns=COLUMNS,
            )
        )
    return made[0], made[1]
