"""`peerdesk demo --size large`: ten years of a busy group (DESIGN.md section 6) written into a
fresh, encrypted data folder, with its four demo accounts. Prints the time, the database file's
size and the rows of each kind; misses its target at 60 seconds or more.

Run: python benchmarks/bench_demo.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_large_demo

LIMIT_SECONDS = 60.0


def main() -> int:
    started = time.perf_counter()
    folder, made = make_large_demo()
    store = made.signed_in.store
    store.close(backup=False)
    took = time.perf_counter() - started
    size_mb = folder.db_file.stat().st_size / 1_000_000
    print(f"large demo: {took:.1f} s (limit {LIMIT_SECONDS:.0f} s), {size_mb:.0f} MB encrypted")
    return 0 if took < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
