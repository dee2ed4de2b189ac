"""Keys by role on the large demo: what sealing the personal values costs (wellbeing words,
session-log notes, DBS numbers, address and emergency contact, equality answers; docs/keys.md).

Measured on a copy of the large demo:
- how many values are sealed, per column;
- sealing them all from clear, as the first coordinator's sign-in after the 0015 upgrade does
  (`seal_existing`), in values per second;
- a year's board report (`governance_figures`) with the values sealed, as a ratio to the same
  report with them in clear (the report opens the equality answers; the issue's target is at
  most 1.2x). Lists read no sealed column, so they cost what they did by construction.

Run: python benchmarks/bench_sealing.py
"""

import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SIGN_IN, large_demo, median_ms, new_folder, overhead_missed_widely
from sqlalchemy import func, select, update

from peerdesk import clock
from peerdesk.db.keyring import PREFIX, open_value, seal_existing
from peerdesk.db.sealed_columns import PERSONAL_COLUMNS
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.reporting.figures import Period, governance_figures

REPORT_RATIO_TARGET = 1.2


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
    """Every personal value back in clear, as before the upgrade (bulk UPDATEs: no audit)."""
    done = 0
    with person.store.session(person.actor) as s:
        for spec in PERSONAL_COLUMNS:
            table = spec.column.class_
            rows = s.execute(select(table.id, spec.column).where(spec.column.like(PREFIX + "%")))
            clear = [{"id": i, spec.column.key: open_value(s, v)} for i, v in rows]
            if clear:
                s.execute(update(table), clear)
            done += len(clear)
    return done


def report_ms(person: SignedIn) -> float:
    end = clock.today() - timedelta(days=1)
    period = Period(end - timedelta(days=364), end)

    def run() -> None:
        with person.store.read() as s:
            governance_figures(s, person.actor, period)

    return median_ms(run, repeats=5)


def main() -> int:
    folder = new_folder()
    shutil.copytree(large_demo().root, folder.root)
    person = sign_in(folder, *SIGN_IN)
    try:
        counts = sealed_counts(person)
        total = sum(counts.values())
        print("sealed personal values: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        sealed_report = report_ms(person)
        put_in_clear(person)
        clear_report = report_ms(person)
        started = time.perf_counter()
        with person.store.session(person.actor) as s:
            sealed = seal_existing(s)
        seconds = time.perf_counter() - started
    finally:
        sign_out(person)
    ratio = sealed_report / clear_report
    print(
        f"sealing {sealed:,} values from clear (first coordinator sign-in after 0015): "
        f"{seconds:.1f} s, {sealed / seconds:,.0f} values/s"
    )
    print(
        f"a year's board report: {sealed_report:.0f} ms sealed, {clear_report:.0f} ms in clear, "
        f"ratio {ratio:.2f} (target at most {REPORT_RATIO_TARGET})"
    )
    return 0 if sealed == total and not overhead_missed_widely(ratio, REPORT_RATIO_TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
