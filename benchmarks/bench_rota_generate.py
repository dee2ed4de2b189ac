"""Generating a year of shifts from 40 patterns (weekly, twice and three times weekly,
fortnightly, monthly on the nth weekday), into a new encrypted store, as a coordinator: rules
expanded in local time, each date turned into UTC, written as shifts with their required roles,
one audit event per pattern, committed. Target: 0.5 s.

The baseline is the bare `dateutil.rrule` expansion of the same 40 rules for the same year, in
the same run: the ratio says what the database work costs on top of the arithmetic.

Run: python benchmarks/bench_rota_generate.py
"""

import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_ms, missed_widely, new_folder
from sqlalchemy import delete, func, insert, select

from peerdesk.models import (
    Activity,
    ActivityKind,
    Role,
    Shift,
    ShiftPattern,
    Venue,
    pattern_required_roles,
)
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import generate_shifts
from peerdesk.services.rota.rules import occurrences, parse_rule
from peerdesk.services.setup import start_organisation

TARGET_MS = 500.0
PATTERNS = 40
TODAY = date(2027, 1, 4)
RULES = (
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=WEEKLY;BYDAY=SA",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=WEEKLY;BYDAY=WE",
)


def main() -> int:
    person = start_organisation(new_folder(), "Bench Group", "coordinator", "Coordinator",
                                "a long bench passphrase").signed_in  # fmt: skip
    try:
        patterns = add_patterns(person)
        bare = median_ms(lambda: expand(patterns))
        made = generate_ms(person)
        with person.store.read() as s:
            shifts = s.scalar(select(func.count()).select_from(Shift))
    finally:
        person.store.close(backup=False)
    print(f"bare rrule expansion of {PATTERNS} rules for a year: {bare:.1f} ms")
    print(
        f"generate a year of {PATTERNS} patterns ({shifts} shifts): {made:.1f} ms "
        f"(target {TARGET_MS:.0f} ms; {made / bare:.0f}x the bare expansion)"
    )
    return 1 if missed_widely(made, TARGET_MS) else 0


def add_patterns(person: SignedIn) -> list[tuple[str, date, clock]]:
    with person.store.session(person.actor) as s:
        activity = Activity(name="Peer group", kind=ActivityKind.GROUP)
        venue, role = Venue(name="Community centre"), Role(name="Group facilitator")
        s.add_all([activity, venue, role])
        s.flush()
        made = []
        for n in range(PATTERNS):
            rule, start = RULES[n % len(RULES)], clock(9 + n % 10, 30 * (n % 2))
            pattern = ShiftPattern(title=f"Pattern {n + 1}", activity_id=activity.id,
                                   venue_id=venue.id, rrule=rule, first_on=TODAY,
                                   local_start=start, duration_minutes=120, min_volunteers=1,
                                   max_volunteers=3)  # fmt: skip
            s.add(pattern)
            s.flush()
            if n % 3 == 0:
                s.execute(insert(pattern_required_roles).values(pattern_id=pattern.id,
                                                                role_id=role.id))  # fmt: skip
            made.append((rule, TODAY, start))
    return made


def expand(patterns: list[tuple[str, date, clock]]) -> int:
    last = TODAY + timedelta(days=364)
    return sum(len(occurrences(parse_rule(r, first, at), first, last)) for r, first, at in patterns)


def generate_ms(person: SignedIn, repeats: int = 5) -> float:
    """The median time of a generation from nothing; the shifts are cleared between runs,
    outside the timing."""
    times = []
    for _ in range(repeats):
        with person.store.session(person.actor) as s:
            s.execute(delete(Shift))
        started = time.perf_counter()
        with person.store.session(person.actor) as s:
            generate_shifts(s, person.actor, TODAY)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
