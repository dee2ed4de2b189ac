"""Backups on the large demo: signing out after a change when no backup is due (target 0.5 s),
the verified backup itself when one is, and a whole `peerdesk report governance` command
(whose sign-out copied and verified the whole database every time before the hourly rule).

Run: python benchmarks/bench_backup.py
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SIGN_IN, large_demo

from peerdesk.models import Venue
from peerdesk.services.auth import SignedIn, sign_in, sign_out

SIGN_OUT_TARGET_S = 0.5
REPEATS = 5


def _signed_in_with_a_change() -> SignedIn:
    person = sign_in(large_demo(), *SIGN_IN)
    with person.store.session(person.actor) as s:
        s.add(Venue(name=f"Bench venue {time.monotonic_ns()}"))
    return person


def main() -> int:
    folder = large_demo()
    person = _signed_in_with_a_change()
    started = time.perf_counter()
    person.store.backup(reason="auto")
    backup_s = time.perf_counter() - started
    sign_out(person)
    times = []
    for _ in range(REPEATS):
        person = _signed_in_with_a_change()
        started = time.perf_counter()
        sign_out(person)
        times.append(time.perf_counter() - started)
    median = sorted(times)[len(times) // 2]
    print(
        f"sign-out after a change, no backup due: median {median:.3f} s, worst "
        f"{max(times):.3f} s (target {SIGN_OUT_TARGET_S} s); a verified backup when due: "
        f"{backup_s:.1f} s ({folder.db_file.stat().st_size / 1e6:.0f} MB)"
    )
    env = {**os.environ, "PEERDESK_USER": SIGN_IN[0], "PEERDESK_PASSWORD": SIGN_IN[1]}
    out = folder.root.parent / "governance.pdf"
    command = ["report", "governance", "--data-dir", str(folder.root), "--force"]
    period = ["--from", "2026-01-01", "--to", "2026-12-01", "--out", str(out)]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "peerdesk", *command, *period],
        check=True,
        env=env,
        capture_output=True,
    )
    print(f"'peerdesk report governance' whole command: {time.perf_counter() - started:.1f} s")
    # Fails only when well over target, so a busy machine's noise does not fail `make bench`.
    return 0 if median <= 2 * SIGN_OUT_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
