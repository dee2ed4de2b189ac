"""Supervision on ten years of data (the large demo), as the signed-in coordinator: everyone's
cadence (last, next due, status as of today), the Supervision page's due list, its follow-ups
queue and open actions, and the Today page's sentences. Each is one short read session, as the
window opens it on the GUI thread. Each is measured against the first page of the volunteer list
read in the same run (the baseline of "a list opens": about 4 ms on an idle machine), because
absolute times on a busy machine swing several-fold. Target (issue 18): at most 4 times the
baseline, on the demo and in the stress case below, where a third of the people must be looked up
through their whole history; `make bench` fails only past twice that.

The demo has about 60 volunteers still with the group at a time; the design's size is 300. So the
same figures are measured again on a copy of the demo in which nobody ever left (leaving dates
and the last step of their status history removed), so all 300 histories and sessions are read.

Run: python benchmarks/bench_supervision.py
"""

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shutil

from common import SIGN_IN, large_demo, median_ms, missed_widely, new_folder
from sqlalchemy import delete, func, select, update

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import SupervisionSession, Volunteer, VolunteerStatus, VolunteerStatusChange
from peerdesk.services import browse
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.supervision.cadence import cadence_rows
from peerdesk.services.supervision.due import due_list, supervision_attention
from peerdesk.services.supervision.follow_ups import follow_up_queue
from peerdesk.services.supervision.reading import agreed_actions

TARGET_RATIO = {"large demo": 4.0, "nobody ever left": 4.0}


def main() -> int:
    missed = measure(large_demo(), "large demo")
    missed += measure(nobody_left(), "nobody ever left")
    return 1 if missed else 0


def nobody_left() -> DataFolder:
    """A copy of the large demo in which every leaver stayed (bulk changes, not audited)."""
    folder = new_folder()
    shutil.copytree(large_demo().root, folder.root)
    person = sign_in(folder, *SIGN_IN)
    with person.store.session(person.actor) as s:
        s.execute(
            delete(VolunteerStatusChange).where(
                VolunteerStatusChange.status == VolunteerStatus.LEFT
            )
        )
        s.execute(update(Volunteer).values(left_on=None, anonymised_at=None))
    sign_out(person)
    return folder


def reading(person: SignedIn, read: Callable[..., object]) -> Callable[[], object]:
    def run() -> object:
        with person.store.read() as s:
            return read(s)

    return run


def measure(folder: DataFolder, what: str) -> list[str]:
    print(f"-- {what}")
    person = sign_in(folder, *SIGN_IN)
    actor, today, now = person.actor, clock.today(), clock.now()
    try:
        with person.store.read() as s:
            sessions = s.scalar(select(func.count()).select_from(SupervisionSession))
            rows = cadence_rows(s, today)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        print(f"{sessions} supervision sessions, {len(rows)} volunteers: {counts}")
        baseline = reading(person, lambda s: browse.volunteers_page(s, actor))
        baseline()
        base_ms = median_ms(baseline, repeats=15)
        print(f"baseline, volunteer list first page: median {base_ms:.1f} ms")
        cases = [
            ("cadence of everyone", reading(person, lambda s: cadence_rows(s, today))),
            ("due list (coordinator)", reading(person, lambda s: due_list(s, actor, today))),
            ("follow-ups queue", reading(person, lambda s: follow_up_queue(s, actor, today))),
            ("open agreed actions", reading(person, lambda s: agreed_actions(s, actor))),
            ("Today sentences", reading(person, lambda s: supervision_attention(s, actor, now))),
        ]
        missed: list[str] = []
        for label, run in cases:
            run()  # warm the statement cache, as a second opening of the page would be
            ms = median_ms(run, repeats=15)
            ratio = ms / base_ms if base_ms else float("inf")
            target = TARGET_RATIO[what]
            print(f"{label}: median {ms:.1f} ms, {ratio:.1f}x baseline (target {target:.0f}x)")
            if missed_widely(ratio, target):
                missed.append(f"{what}: {label}")
        return missed
    finally:
        sign_out(person)


if __name__ == "__main__":
    sys.exit(main())
