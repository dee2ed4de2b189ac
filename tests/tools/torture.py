"""Kill a writing process with SIGKILL at random moments and check what it left behind:
the file must pass integrity_check and hold every row whose commit was reported."""

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from peerdesk.db import cipher
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault

WRITER = Path(__file__).with_name("torture_writer.py")


@dataclass
class TortureResult:
    kills: int
    integrity_failures: int
    lost_rows: int
    committed: int


def _kill_once(vault: Vault, rng: random.Random) -> set[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(vault.folder.root), vault.master.hex()],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the writer is up and committing
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    return {line for line in (first + rest).split() if len(line) == 32}


def _check(vault: Vault, committed: set[str]) -> tuple[bool, int]:
    conn = cipher.connect(vault.folder.db_file, vault.key)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in conn.execute("SELECT id FROM volunteers")}
    finally:
        conn.close()
    return ok, len(committed - present)


def torture(data_dir: Path, kills: int, seed: int = 7) -> TortureResult:
    rng = random.Random(seed)
    vault, _ = Vault.create(DataFolder(data_dir), "torture", "a long enough passphrase")
    Store.open(vault).close(backup=False)
    committed: set[str] = set()
    failures = lost = 0
    for _ in range(kills):
        committed |= _kill_once(vault, rng)
        ok, missing = _check(vault, committed)
        failures += not ok
        lost = max(lost, missing)
    return TortureResult(kills, failures, lost, len(committed))
