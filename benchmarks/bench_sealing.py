"""Keys by role on the large demo: what sealing the personal values costs (wellbeing words,
session-log notes, DBS numbers, email, phone, address and emergency contact, equality answers;
docs/keys.md).

Measured on a copy of the large demo, signed in as the coordinator:
- how many values are sealed, per column;
- a year's board report (`governance_figures`, which opens the equality answers) and the
  volunteer list's first page (which opens each row's email and phone), with the values sealed,
  as a ratio to the same with them in clear. "cold": the keyring's remembered texts are dropped
  before each run, so every value is opened afresh (the first page after signing in); "warm":
  as the list is shown again, scrolled or re-sorted. The issue's target is at most 1.2x;
- sealing them all from clear, as the first coordinator's sign-in after an upgrade does
  (`seal_existing`), in values per second.

The values are put back in clear by opening each one; the benchmark stops if any could not be
opened (it would then compare against blanks and measure nothing).

Run: python benchmarks/bench_sealing.py
"""

import shutil
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SIGN_IN, large_demo, median_ms, new_folder
from sqlalchemy import func, select, update

from peerdesk import clock
from peerdesk.db.keyring import PREFIX, open_value, seal_existing
from peerdesk.db.sealed_columns import PERSONAL_COLUMNS
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.browse import PageQuery, volunteers_page
from peerdesk.services.reporting.figures import Period, governance_figures

RATIO_TARGET = 1.2


def sealed_counts(person: SignedIn) -> dict[str, int]:
    with person.store.read() as s:
        return {
            f"{spec.column.class_.__tablename__}.{spec.column.key}": s.scalar(
                select(func.count()).where(spec.column.like(PREFIX + "%"))
            )
            or 0
            for spec in PERSONAL_COLUMNS
        }


def put_in_clear(person: SignedIn) -> int:
    """Every personal value back in clear, as before the upgrade (bulk UPDATEs: no audit).
    Refuses to carry on if a value does not open: it would be blanked, and the 'in clear'
    runs would then skip work the sealed runs did."""
    done = 0
    with person.store.session(person.actor) as s:
        for spec in PERSONAL_COLUMNS:
            table = spec.column.class_
            rows = s.execute(select(table.id, spec.column).where(spec.column.like(PREFIX + "%")))
            clear = [{"id": i, spec.column.key: open_value(s, v)} for i, v in rows]
            blank = sum(1 for c in clear if c[spec.column.key] is None)
            if blank:
                raise SystemExit(f"{blank} values of {spec.column} do not open: nothing to compare")
            if clear:
                s.execute(update(table), clear)
            done += len(clear)
    return done


def timed(person: SignedIn, work: Callable[[], object], cold: bool) -> float:
    def run() -> None:
        if cold:
            person.store.keyring.forget_opened()
        work()

    return median_ms(run, repeats=5)


def report(person: SignedIn) -> None:
    end = clock.today() - timedelta(days=1)
    with person.store.read() as s:
        governance_figures(s, person.actor, Period(end - timedelta(days=364), end))


def volunteer_list(person: SignedIn) -> None:
    with person.store.read() as s:
        rows = volunteers_page(s, person.actor, PageQuery())
    assert rows and any(r.email for r in rows)


def measure(person: SignedIn) -> dict[str, float]:
    report(person)  # once untimed, so the database's pages are read in both cases alike
    volunteer_list(person)
    return {
        "report cold": timed(person, lambda: report(person), cold=True),
        "volunteer list cold": timed(person, lambda: volunteer_list(person), cold=True),
        "volunteer list warm": timed(person, lambda: volunteer_list(person), cold=False),
    }


def main() -> int:
    folder = new_folder()
    shutil.copytree(large_demo().root, folder.root)
    started = time.perf_counter()
    person = sign_in(folder, *SIGN_IN)  # a demo from before 0017: upgraded and indexed here
    print(f"first sign-in (upgrade to the newest revision included): "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    try:
        counts = sealed_counts(person)
        total = sum(counts.values())
        print("sealed personal values: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        sealed = measure(person)
        opened = put_in_clear(person)
        clear = measure(person)
        started = time.perf_counter()
        with person.store.session(person.actor) as s:
            seal_existing(s)  # its count misses values the flush hook sealed on the way
        seconds = time.perf_counter() - started
        resealed = sum(sealed_counts(person).values())
    finally:
        sign_out(person)
    print(
        f"sealing {resealed:,} values from clear (first coordinator sign-in after an upgrade): "
        f"{seconds:.1f} s, {resealed / seconds:,.0f} values/s"
    )
    worst = 0.0
    for what in sealed:
        ratio = sealed[what] / clear[what]
        worst = max(worst, ratio)
        print(
            f"{what}: {sealed[what]:.1f} ms sealed, {clear[what]:.1f} ms in clear, "
            f"ratio {ratio:.2f} (target at most {RATIO_TARGET})"
        )
    return 0 if resealed == total == opened and worst <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
