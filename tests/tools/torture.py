"""Kill a writing process with SIGKILL at random moments and check what it left behind:
the file must pass integrity_check and hold every row whose commit was reported."""

import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

WRITER = Path(__file__).with_name("torture_writer.py")


@dataclass
class TortureResult:
    kills: int
    integrity_failures: int
    lost_rows: int
    committed: int


def _kill_once(data_dir: Path, rng: random.Random) -> set[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the writer is up and committing
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    return {line for line in (first + rest).split() if len(line) == 32}


def _check(db_file: Path, committed: set[str]) -> tuple[bool, int]:
    conn = sqlite3.connect(db_file)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in conn.execute("SELECT id FROM volunteers")}
    finally:
        conn.close()
    return ok, len(committed - present)


def torture(data_dir: Path, kills: int, seed: int = 7) -> TortureResult:
    rng = random.Random(seed)
    committed: set[str] = set()
    failures = lost = 0
    for _ in range(kills):
        committed |= _kill_once(data_dir, rng)
        ok, missing = _check(data_dir / "peerdesk.sqlite3", committed)
        failures += not ok
        lost = max(lost, missing)
    return TortureResult(kills, failures, lost, len(committed))
