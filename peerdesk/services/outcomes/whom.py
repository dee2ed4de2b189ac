"""What works for whom: the service calls the window and the reports use.

Only people who may see the group's figures get them (coordinators and trustees). The figures
come from `analysis` over the period's outcome observations; response rates divide the forms
answered by the attendances the session logs count for the same group (activity, mode, venue,
time of day, day of week: the head counts are anonymous, so there is no rate by identity).
"""

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import utc_hour
from peerdesk.errors import ValidationError
from peerdesk.models import Activity, SessionLog, Venue
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.outcomes import analysis
from peerdesk.services.outcomes.analysis import Breakdown, Dimension, OutcomeSummary, summarise
from peerdesk.services.outcomes.observations import outcome_observations
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.reporting.activity import MODE_WORDS, bounds_utc


def what_works_for_whom(
    session: Session, actor: Actor, start: date, end: date, measure_key: str, dimension: str
) -> Breakdown:
    """`measure_key`'s change (or, for feedback, its average answer) in the period by
    `dimension`: a Dimension's value, or analysis.identity_dimension(question)."""
    require(actor, Permission.VIEW_FIGURES)
    _check_period(start, end)
    if dimension not in analysis.SESSION_DIMENSIONS and not dimension.startswith(analysis.IDENTITY):
        choices = ", ".join(analysis.SESSION_DIMENSIONS)
        raise ValidationError(
            f"Figures cannot be broken down by “{dimension}”; choose {choices}, or an "
            "identity or community question."
        )
    org = organisation_settings(session)
    observations = outcome_observations(session, start, end)
    rates = attendances_by(session, start, end, org.timezone, dimension)
    return analysis.breakdown(
        observations, measure_key, dimension, org.suppression_threshold, rates
    )


def outcome_summary(session: Session, actor: Actor, start: date, end: date) -> OutcomeSummary:
    require(actor, Permission.VIEW_FIGURES)
    _check_period(start, end)
    org = organisation_settings(session)
    return summarise(
        outcome_observations(session, start, end),
        start,
        end,
        org.suppression_threshold,
        attendances_by(session, start, end, org.timezone, None).get("", 0),
    )


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("The period ends before it starts; choose an end date after it.")


def attendances_by(
    session: Session, start: date, end: date, zone: str, dimension: str | None
) -> Mapping[str, int]:
    """Attendances in the period by the groups of a session dimension, and "" for all of them
    (only "" for None or an identity question: head counts are anonymous)."""
    wanted = () if dimension is None else (dimension,)
    return attendances_by_each(session, start, end, zone, wanted).get(dimension or "", {"": 0})


def attendances_by_each(
    session: Session, start: date, end: date, zone: str, dimensions: Sequence[str]
) -> dict[str, dict[str, int]]:
    """`attendances_by` for several dimensions from one query. Grouped in SQL by activity,
    mode, venue and UTC hour; the hour is placed in the local day and time of day in Python
    (offsets are whole or half hours)."""
    since, until = bounds_utc(start, end, zone)
    hour = utc_hour(SessionLog.started_at)
    rows = session.execute(
        select(Activity.name, SessionLog.mode, Venue.name, hour, func.sum(SessionLog.attendees))
        .join(Activity, Activity.id == SessionLog.activity_id)
        .outerjoin(Venue, Venue.id == SessionLog.venue_id)
        .where(SessionLog.started_at >= since, SessionLog.started_at < until)
        .group_by(Activity.name, SessionLog.mode, Venue.name, hour)
    )
    local = _local_finder(ZoneInfo(zone))
    by_session = [d for d in dimensions if not d.startswith(analysis.IDENTITY)]
    counts: dict[str, dict[str, int]] = {d: defaultdict(int) for d in [*dimensions, ""]}
    for activity, mode, venue, stamp, seen in rows:
        seen = seen or 0
        weekday, local_hour = local(stamp)
        groups = {
            Dimension.ACTIVITY: activity,
            Dimension.MODE: MODE_WORDS[mode],
            Dimension.VENUE: venue,
            Dimension.TIME_OF_DAY: analysis.time_of_day(local_hour),
            Dimension.WEEKDAY: analysis.WEEKDAYS[weekday],
        }
        for d in by_session:
            counts[d][groups[Dimension(d)] or analysis.NOT_RECORDED] += seen
        for d in (*dimensions, ""):
            counts[d][""] += seen
    return {d: dict(c) for d, c in counts.items()}


def _local_finder(zone: ZoneInfo) -> "functools._lru_cache_wrapper[tuple[int, int]]":
    @functools.cache
    def local(stamp: str) -> tuple[int, int]:
        # "YYYY-MM-DD HH" is ISO 8601: fromisoformat reads it several times faster than strptime.
        began = datetime.fromisoformat(stamp).replace(tzinfo=UTC).astimezone(zone)
        return began.weekday(), began.hour

    return local
