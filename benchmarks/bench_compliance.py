"""The compliance matrix on ten years of data (the large demo), as the signed-in coordinator:
every active volunteer by the mandatory courses of their roles, each cell's status computed from
the newest completion; then the Today page's lists (training expiring in 90 days, DBS rechecks
due). Each is one short read session, as the window would open it. Target: 30 ms each.

The demo has about 60 active volunteers at a time; the design's size is 300. So the same figures
are measured again on a copy of the demo in which every volunteer who ever joined is active.

Run: python benchmarks/bench_compliance.py
"""

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SIGN_IN, large_demo, median_ms, missed_widely, new_folder
from sqlalchemy import update

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import Volunteer, VolunteerStatus
from peerdesk.services import dbs, training
from peerdesk.services.auth import SignedIn, sign_in, sign_out

TARGET_MS = 30.0


def timed(person: SignedIn, read: Callable[..., object], *args: object) -> Callable[[], object]:
    def run() -> object:
        with person.store.read() as s:
            return read(s, person.actor, *args)

    return run


def main() -> int:
    missed = measure(large_demo(), "large demo")
    missed += measure(everyone_active(), "everyone active")
    return 1 if missed else 0


def everyone_active() -> DataFolder:
    """A copy of the large demo with all its volunteers active (a bulk change, not audited)."""
    folder = new_folder()
    shutil.copytree(large_demo().root, folder.root)
    person = sign_in(folder, *SIGN_IN)
    with person.store.session(person.actor) as s:
        s.execute(update(Volunteer).values(status=VolunteerStatus.ACTIVE))
    sign_out(person)
    return folder


def measure(folder: DataFolder, what: str) -> list[str]:
    print(f"-- {what}")
    person = sign_in(folder, *SIGN_IN)
    today = clock.today()
    try:
        with person.store.read() as s:
            matrix = training.compliance_matrix(s, person.actor, today)
        cells = sum(c is not None for r in matrix.rows for c in r.cells)
        print(
            f"matrix: {len(matrix.rows)} active volunteers x {len(matrix.courses)} courses, "
            f"{cells} required cells; "
            + ", ".join(f"{status}: {n}" for status, n in matrix.counts.items())
        )
        cases = [
            ("compliance matrix", timed(person, training.compliance_matrix, today)),
            ("matrix, problems only", timed(person, training.compliance_matrix, today, True)),
            ("training expiring in 90 days", timed(person, training.expiring_training, today)),
            ("DBS rechecks due", timed(person, dbs.dbs_rechecks_due, today)),
        ]
        missed: list[str] = []
        for label, run in cases:
            run()  # warm the statement cache, as a second opening of the page would be
            ms = median_ms(run, repeats=15)
            print(f"{label}: median {ms:.1f} ms (target {TARGET_MS:.0f} ms)")
            if missed_widely(ms, TARGET_MS):
                missed.append(label)
    finally:
        sign_out(person)
    return missed


if __name__ == "__main__":
    sys.exit(main())
