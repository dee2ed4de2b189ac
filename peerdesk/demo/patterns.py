"""Where and what the group runs: venues, activities and recurring shift patterns.

A pattern's recurrence is a real RFC 5545 RRULE built with dateutil in Europe/London wall-clock
time (weekly, fortnightly, "second Tuesday of the month"); its occurrences are expanded here as
local dates, and the rota turns each into a UTC start and end, so a 10:00 shift is at 10:00 local
time in both summer and winter. The small demo runs the core patterns; the large one adds more
over the years until it reaches its target number of shifts.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekdays

from peerdesk.demo.context import DemoContext, months_after
from peerdesk.models import ActivityKind
from peerdesk.wording import WEEKDAYS as DAY_NAMES

GROUP, ONE_TO_ONE = ActivityKind.GROUP, ActivityKind.ONE_TO_ONE
PHONE, WALK = ActivityKind.PHONE_ONLINE, ActivityKind.WALK_AND_TALK
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}

CENTRE = "Riverside Community Centre"
LIBRARY = "Riverside Library — Meeting Room 2"
CAFE = "The Teapot Café"
PARK = "Riverside Park (meet at the bandstand)"
ONLINE = "Online"
CHURCH_HALL = "St Anne's Church Hall"
FAMILY_HUB = "Millbrook Family Hub"
NORTHGATE = "Northgate Library"

# name, address, notes, only in the large demo
VENUES = (
    (
        CENTRE,
        "2 Mill Lane, Riverside",
        "Side entrance is step-free; room booked as 'Peer Support'.",
    ),
    (LIBRARY, "Library Square, Riverside", "Ask at the front desk for the key."),
    (CAFE, "31 Bridge Street, Riverside", "The quiet table at the back is kept for us."),
    (PARK, None, "Meeting point for walk and talk; the route avoids the busy road."),
    (ONLINE, None, "Video calls; the link is in the volunteer handbook."),
)
LARGE_VENUES = (
    (CHURCH_HALL, "Church Street, Riverside", None),
    (FAMILY_HUB, "Millbrook Road, Riverside", "Buzz for the first floor."),
    (NORTHGATE, "Northgate, Riverside", "Closed; groups moved to the main library."),
)
ACTIVITIES = (
    ("1:1 peer support drop-in", ONE_TO_ONE),
    ("Peer support phone line", PHONE),
    ("Wellbeing peer group", GROUP),
    ("Online peer group", GROUP),
    ("Carers' peer group", GROUP),
    ("Walk and talk", WALK),
    ("Café conversations", ONE_TO_ONE),
    ("Outreach stall", ONE_TO_ONE),
)
LARGE_ACTIVITIES = (
    ("Men's peer group", GROUP),
    ("Young adults' peer group (18–25)", GROUP),
    ("Creative wellbeing group", GROUP),
    ("Evening video support", PHONE),
    ("Gardening peer group", GROUP),
)
# Retired in the large demo: nothing may be planned there after these dates.
CLOSED_YEARS_AGO = {NORTHGATE: 3, "Gardening peer group": 2}


@dataclass(frozen=True)
class PatternSpec:
    title: str
    activity: str
    venue: str | None
    weekdays: tuple[int, ...]  # Monday = 0
    local_start: time
    minutes: int
    min_volunteers: int
    max_volunteers: int
    every_weeks: int = 1  # 2: fortnightly
    nth: int | None = None  # monthly, on the nth weekday
    lone_working: bool = False
    first_on: date | None = None  # None: from the start of the demo history
    until_on: date | None = None


@dataclass(frozen=True)
class PlannedPattern:
    spec: PatternSpec
    rrule: str
    first_on: date
    occurrences: tuple[date, ...]


def core_patterns(ctx: DemoContext) -> list[PatternSpec]:
    """The group's regular week: every kind of activity, at several venues."""
    start = ctx.history_start
    switch = start + (ctx.today - start) * 3 // 5  # the online group moved to Thursdays
    return [
        PatternSpec("Tuesday drop-in", "1:1 peer support drop-in", CENTRE, (1,), time(10), 180,
                    1, 2),
        PatternSpec("Thursday library 1:1", "1:1 peer support drop-in", LIBRARY, (3,), time(14),
                    120, 1, 1, lone_working=True),
        PatternSpec("Wednesday wellbeing group", "Wellbeing peer group", CENTRE, (2,),
                    time(18, 30), 120, 2, 3),
        PatternSpec("Online peer group (Mondays)", "Online peer group", ONLINE, (0,), time(19),
                    90, 1, 2, every_weeks=2, until_on=switch),
        PatternSpec("Online peer group (Thursdays)", "Online peer group", ONLINE, (3,),
                    time(19), 90, 1, 2, every_weeks=2, first_on=switch + timedelta(days=1)),
        PatternSpec("Phone line — daytime", "Peer support phone line", None, (0, 2, 4),
                    time(10), 180, 1, 2),
        PatternSpec("Phone line — evening", "Peer support phone line", None, (1, 3), time(18),
                    120, 1, 1, lone_working=True),
        PatternSpec("Saturday walk and talk", "Walk and talk", PARK, (5,), time(10, 30), 90, 2,
                    4),
        PatternSpec("Carers' peer group", "Carers' peer group", LIBRARY, (1,), time(10), 120, 2,
                    3, nth=2),
        PatternSpec("Café conversations", "Café conversations", CAFE, (4,), time(11), 120, 1, 2,
                    every_weeks=2, first_on=months_after(start, 4)),
    ]  # fmt: skip


# activity, venues, local starts, minutes, min, max, lone working
EXTRA_TEMPLATES = (
    ("1:1 peer support drop-in", (CHURCH_HALL, FAMILY_HUB, CENTRE, NORTHGATE),
     (time(10), time(13, 30)), 180, 1, 2, False),
    ("Peer support phone line", (None,), (time(10), time(14), time(18)), 150, 1, 2, False),
    ("Evening video support", (ONLINE,), (time(18, 30), time(19)), 120, 1, 1, True),
    ("Men's peer group", (FAMILY_HUB, CHURCH_HALL), (time(18, 30),), 120, 2, 3, False),
    ("Young adults' peer group (18–25)", (CENTRE, NORTHGATE), (time(17, 30),), 90, 2, 3, False),
    ("Creative wellbeing group", (CHURCH_HALL, LIBRARY), (time(13, 30),), 120, 2, 3, False),
    ("Gardening peer group", (FAMILY_HUB,), (time(10, 30),), 120, 2, 4, False),
    ("Walk and talk", (PARK,), (time(10, 30), time(14)), 90, 2, 4, False),
    ("Café conversations", (CAFE,), (time(11), time(15)), 120, 1, 2, False),
)  # fmt: skip


def build_rule(spec: PatternSpec, first_on: date) -> rrule:
    start = datetime.combine(first_on, spec.local_start)
    if spec.nth is not None:
        days = [weekdays[d](spec.nth) for d in spec.weekdays]
        return rrule(MONTHLY, byweekday=days, dtstart=start)
    days = [weekdays[d] for d in spec.weekdays]
    return rrule(WEEKLY, interval=spec.every_weeks, byweekday=days, dtstart=start)


def rule_text(rule: rrule) -> str:
    """The RRULE value alone ("FREQ=WEEKLY;BYDAY=TU"): the pattern keeps its first date and
    local start time in their own columns."""
    return str(rule).splitlines()[-1].removeprefix("RRULE:")


def plan_pattern(ctx: DemoContext, spec: PatternSpec) -> PlannedPattern | None:
    first = spec.first_on or ctx.history_start
    last = min(spec.until_on or ctx.future_end, ctx.future_end)
    found = build_rule(spec, first).between(
        datetime.combine(first, time(0)), datetime.combine(last, time(23, 59)), inc=True
    )
    if not found:
        return None
    first_on = found[0].date()
    rule = rule_text(build_rule(spec, first_on))
    return PlannedPattern(spec, rule, first_on, tuple(moment.date() for moment in found))


def extra_pattern(ctx: DemoContext, rng: random.Random) -> PatternSpec:
    """Another regular session started (and perhaps later stopped) some time in the history."""
    activity, venues, starts, minutes, low, high, lone = rng.choice(EXTRA_TEMPLATES)
    venue = rng.choice(venues)
    closed = closed_on(ctx, venue, activity)
    latest = min(ctx.today - timedelta(days=90), (closed or ctx.today) - timedelta(days=180))
    first = ctx.history_start + timedelta(days=rng.randint(0, (latest - ctx.history_start).days))
    until = closed or retired_on(ctx, rng, first)
    weekday = rng.randint(0, 4) if rng.random() < 0.85 else 5
    every, nth = rng.choices(((1, None), (2, None), (1, (weekday % 4) + 1)), (70, 20, 10))[0]
    start = rng.choice(starts)
    when = f"{ORDINALS[nth]} {DAY_NAMES[weekday]}" if nth else f"{DAY_NAMES[weekday]}s"
    title = f"{activity} — {when} {start:%H:%M}" + (" (fortnightly)" if every == 2 else "")
    return PatternSpec(title, activity, venue, (weekday,), start, minutes, low, high, every,
                       nth, lone, first, until)  # fmt: skip


def closed_on(ctx: DemoContext, venue: str | None, activity: str) -> date | None:
    """When a venue or activity that no longer runs stopped, if it has."""
    years = [CLOSED_YEARS_AGO[k] for k in (venue, activity) if k in CLOSED_YEARS_AGO]
    return ctx.today - timedelta(days=365 * max(years)) if years else None


def retired_on(ctx: DemoContext, rng: random.Random, first: date) -> date | None:
    """Some sessions stop after a while: funding ends, a room is lost, people move on."""
    if rng.random() < 0.3 and (ctx.today - first).days > 400:
        return first + timedelta(days=rng.randint(180, (ctx.today - first).days - 30))
    return None


def plan_patterns(ctx: DemoContext, rng: random.Random) -> list[PlannedPattern]:
    """The core week, plus (large demo) more patterns until the target number of shifts."""
    planned = [p for spec in core_patterns(ctx) if (p := plan_pattern(ctx, spec))]
    total = sum(len(p.occurrences) for p in planned)
    while total < ctx.scale.target_shifts:
        extra = plan_pattern(ctx, extra_pattern(ctx, rng))
        if extra:
            planned.append(extra)
            total += len(extra.occurrences)
    return planned


# title, activity, venue, (month, weekday or None, day or nth), local start, minutes, min, max
ONE_OFF_EVENTS = (
    ("World Mental Health Day stall", "Outreach stall", CENTRE, (10, None, 10), time(11), 240,
     2, 4),
    ("Time to Talk Day drop-in", "1:1 peer support drop-in", LIBRARY, (2, 3, 1), time(12), 180,
     1, 2),
    ("Summer peer picnic", "Wellbeing peer group", PARK, (8, 5, 1), time(12), 180, 2, 4),
)  # fmt: skip


def event_day(year: int, month: int, weekday: int | None, nth: int) -> date:
    """The nth given weekday of the month, or day `nth` when no weekday is given."""
    if weekday is None:
        return date(year, month, nth)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
