"""The kill -9 torture: a writer committing through the store is killed with SIGKILL 200 times;
after each kill the file must pass integrity_check and hold every row whose commit was reported.

Run: python benchmarks/bench_torture.py [KILLS]
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tools.torture import torture

TARGET_KILLS = 200


def main(kills: int = TARGET_KILLS) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = torture(Path(tmp) / "data", kills=kills)
        took = time.perf_counter() - started
    print(
        f"kill -9 torture: {result.kills} kills, {result.committed} committed rows, "
        f"{result.integrity_failures} integrity failures, {result.lost_rows} lost committed rows "
        f"({took:.0f} s)"
    )
    return 0 if result.integrity_failures == 0 and result.lost_rows == 0 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else TARGET_KILLS))
