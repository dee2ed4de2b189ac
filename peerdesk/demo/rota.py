"""The rota: venues, activities, shift patterns, every shift generated from them (plus a few
one-off events), and who was offered, confirmed, declined, asked for cover, attended or did not
show. Past shifts are mostly attended; the next few weeks are confirmed or still on offer, with a
few short-staffed or unfilled so the rota view has gaps to fill. Holiday closures and the odd
cancelled or moved session are recorded as pattern exceptions.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from peerdesk.dates import utc_from_local
from peerdesk.demo.context import DemoContext, Rows
from peerdesk.demo.lifecycle import VolunteerPlan
from peerdesk.demo.organisation import FACILITATOR, RoleInfo
from peerdesk.demo.patterns import (
    ACTIVITIES,
    CLOSED_YEARS_AGO,
    LARGE_ACTIVITIES,
    LARGE_VENUES,
    ONE_OFF_EVENTS,
    ONLINE,
    VENUES,
    PlannedPattern,
    event_day,
    plan_patterns,
)
from peerdesk.demo.shifts import ShiftDraft, ShiftOutcome, ShiftWriter
from peerdesk.demo.staffing import Staffing
from peerdesk.models import (
    Activity,
    ActivityKind,
    ExceptionKind,
    PatternException,
    ShiftPattern,
    Venue,
    pattern_required_roles,
)

HOLIDAY_CLOSURES = ((12, 25), (12, 26), (1, 1))
CANCEL_REASONS = (
    "Venue closed: the heating was not working",
    "Snow: everyone stayed at home to stay safe",
    "Facilitator unwell; participants were told by text",
    "Room double-booked by the venue",
)
Slot = tuple[int, time, time]


@dataclass
class Rota:
    """What later stages need from the rota."""

    past: list[ShiftOutcome]
    regular_slots: dict[int, list[Slot]] = field(default_factory=dict)  # by plan index


@dataclass(frozen=True)
class Places:
    venues: dict[str, uuid.UUID]
    activities: dict[str, tuple[uuid.UUID, ActivityKind]]


def add_places(ctx: DemoContext, rows: Rows) -> Places:
    created = ctx.stamp(ctx.history_start, 9)
    large = ctx.size == "large"
    venues: dict[str, uuid.UUID] = {}
    for name, address, notes in VENUES + (LARGE_VENUES if large else ()):
        venues[name] = rows.record(
            Venue, created, name=name, address=address, notes=notes,
            active=name not in CLOSED_YEARS_AGO,
        )  # fmt: skip
    activities: dict[str, tuple[uuid.UUID, ActivityKind]] = {}
    for name, kind in ACTIVITIES + (LARGE_ACTIVITIES if large else ()):
        activity_id = rows.record(
            Activity, created, name=name, kind=kind, active=name not in CLOSED_YEARS_AGO
        )
        activities[name] = (activity_id, kind)
    return Places(venues, activities)


def build_rota(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    plans: list[VolunteerPlan],
    roles: dict[str, RoleInfo],
) -> Rota:
    places = add_places(ctx, rows)
    staffing = Staffing(plans, ctx.future_end, rng)
    writer = ShiftWriter(ctx, rng, rows, plans, staffing, roles[FACILITATOR].id)
    rota = Rota(past=writer.past)
    for planned in plan_patterns(ctx, rng):
        pattern_id, planned_at = add_pattern(ctx, rows, planned, places, roles[FACILITATOR].id)
        for day in planned.occurrences:
            draft = occurrence_draft(ctx, rng, rows, planned, places, (pattern_id, planned_at), day)
            writer.write(draft, team_key=str(pattern_id))
        note_regulars(ctx, planned, staffing.teams.get(str(pattern_id), []), rota)
    for draft in one_off_drafts(ctx, places):
        writer.write(draft, team_key=None)
    return rota


def add_pattern(
    ctx: DemoContext,
    rows: Rows,
    planned: PlannedPattern,
    places: Places,
    facilitator_id: uuid.UUID,
) -> tuple[uuid.UUID, datetime]:
    """The pattern row; returns its id and when it was set up."""
    spec = planned.spec
    activity_id, kind = places.activities[spec.activity]
    still_running = spec.until_on is None or spec.until_on >= ctx.today
    created = ctx.stamp(max(ctx.history_start, planned.first_on - timedelta(days=21)), 12)
    pattern_id = rows.record(
        ShiftPattern,
        created,
        title=spec.title,
        activity_id=activity_id,
        venue_id=places.venues[spec.venue] if spec.venue else None,
        rrule=planned.rrule,
        first_on=planned.first_on,
        until_on=spec.until_on,
        local_start=spec.local_start,
        duration_minutes=spec.minutes,
        min_volunteers=spec.min_volunteers,
        max_volunteers=spec.max_volunteers,
        lone_working=spec.lone_working,
        active=still_running,
    )
    if kind is ActivityKind.GROUP:
        rows.add(pattern_required_roles, {"pattern_id": pattern_id, "role_id": facilitator_id})
    return pattern_id, created


def occurrence_draft(
    ctx: DemoContext,
    rng: random.Random,
    rows: Rows,
    planned: PlannedPattern,
    places: Places,
    pattern: tuple[uuid.UUID, datetime],
    day: date,
) -> ShiftDraft:
    """One occurrence as a shift, closed for the holidays, now and then cancelled or moved."""
    spec = planned.spec
    pattern_id, planned_at = pattern
    starts = utc_from_local(day, spec.local_start.hour, spec.local_start.minute)
    draft = ShiftDraft(
        pattern_id=pattern_id,
        occurrence_on=day,
        activity=places.activities[spec.activity],
        venue_id=places.venues[spec.venue] if spec.venue else None,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=spec.minutes),
        min_volunteers=spec.min_volunteers,
        max_volunteers=spec.max_volunteers,
        lone_working=spec.lone_working,
        planned_at=planned_at,
        online=spec.venue == ONLINE,
    )
    if (day.month, day.day) in HOLIDAY_CLOSURES:
        add_exception(ctx, rows, pattern_id, day, None)
        return draft.cancelled("Closed for the holidays")
    roll = rng.random()
    if roll < 0.005:
        return draft.cancelled(rng.choice(CANCEL_REASONS))
    if roll < 0.008:
        moved = draft.moved(timedelta(days=1), "Moved a day: the venue was needed for voting")
        add_exception(ctx, rows, pattern_id, day, (moved.starts_at, moved.ends_at))
        return moved
    return draft


def add_exception(
    ctx: DemoContext,
    rows: Rows,
    pattern_id: uuid.UUID,
    day: date,
    moved_to: tuple[datetime, datetime] | None,
) -> None:
    rows.record(
        PatternException,
        ctx.stamp(day - timedelta(days=30), 12),
        pattern_id=pattern_id,
        occurrence_on=day,
        kind=ExceptionKind.MOVED if moved_to else ExceptionKind.CANCELLED,
        moved_starts_at=moved_to[0] if moved_to else None,
        moved_ends_at=moved_to[1] if moved_to else None,
    )


def note_regulars(ctx: DemoContext, planned: PlannedPattern, team: list[int], rota: Rota) -> None:
    """The regulars of a pattern still running usually keep its times free."""
    spec = planned.spec
    if spec.until_on is not None and spec.until_on < ctx.today:
        return
    start = spec.local_start
    end_minutes = start.hour * 60 + start.minute + spec.minutes
    end = time(min(23, end_minutes // 60), end_minutes % 60)
    for index in team:
        for weekday in spec.weekdays:
            rota.regular_slots.setdefault(index, []).append((weekday, start, end))


def one_off_drafts(ctx: DemoContext, places: Places) -> list[ShiftDraft]:
    """Yearly events that belong to no pattern."""
    drafts = []
    for year in range(ctx.history_start.year, ctx.future_end.year + 1):
        for title, activity, venue, when, start, minutes, low, high in ONE_OFF_EVENTS:
            day = event_day(year, *when)
            if not ctx.history_start <= day <= ctx.future_end:
                continue
            starts = utc_from_local(day, start.hour, start.minute)
            draft = ShiftDraft(
                pattern_id=None,
                occurrence_on=None,
                activity=places.activities[activity],
                venue_id=places.venues[venue],
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                min_volunteers=low,
                max_volunteers=high,
                lone_working=False,
                planned_at=ctx.cap(starts - timedelta(days=60)),
                notes=title,
            )
            drafts.append(draft)
    return drafts
