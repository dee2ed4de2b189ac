"""The one clock: every "now" and "today" in peerdesk is asked for here.

Why one place: what is overdue, which shifts are to come and which report period is current all
depend on the day, and the day must be the same for every layer (the window, the services, the
reports, the command line) and settable in tests. Tests move it with `time-machine` (which moves
Python's own clock, so these functions follow) or run the whole program under `faketime`.

"today" is the day in the organisation's zone (Europe/London unless it says otherwise), not the
computer's: a laptop set to UTC would otherwise start the day an hour late all summer.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from peerdesk.dates import DEFAULT_ZONE


def now() -> datetime:
    """This instant, in UTC (how peerdesk stores every time)."""
    return datetime.now(UTC)


def today(zone: str | ZoneInfo = DEFAULT_ZONE) -> date:
    """Today's date where the group is."""
    return now().astimezone(_zone(zone)).date()


def start_of_today(zone: str | ZoneInfo = DEFAULT_ZONE) -> datetime:
    """Local midnight at the start of today, in UTC."""
    day = today(zone)
    local_midnight = datetime(day.year, day.month, day.day, tzinfo=_zone(zone))
    return local_midnight.astimezone(UTC)


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
