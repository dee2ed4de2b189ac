"""The large demo: ten years of a busy group (DESIGN.md section 6) written into a fresh data
folder. Prints the time, the database file's size and the rows of each kind; misses its target
when it takes 60 seconds or more.

Run: python benchmarks/bench_demo.py [SEED]
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.services.demo import generate_demo

LIMIT_SECONDS = 60.0
TODAY = date(2026, 11, 26)  # fixed, so every run writes the same data


def main(seed: int = 1) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp) / "data")
        store = Store.open(folder)
        started = time.perf_counter()
        summary = generate_demo(store, seed=seed, size="large", today=TODAY)
        took = time.perf_counter() - started
        store.close(backup=False)
        size_mb = folder.db_file.stat().st_size / 1_000_000
    print(f"large demo: {took:.1f} s (limit {LIMIT_SECONDS:.0f} s), {size_mb:.0f} MB")
    for name, rows in summary.as_dict().items():
        print(f"  {name.replace('_', ' '):24} {rows:>9,}")
    print(f"  {'total':24} {summary.total:>9,}")
    return 0 if took < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
