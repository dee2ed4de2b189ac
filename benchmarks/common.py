"""What the benchmarks share: the large demo data folder, made once per `make bench` run (the
demo benchmark makes it; the others reuse it), and timing helpers."""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerdesk.db.paths import DataFolder
from peerdesk.demo.folder import create_demo
from peerdesk.services.setup import DEMO_PASSWORD, NewVault

_made: dict[str, DataFolder] = {}


def new_folder() -> DataFolder:
    root = Path(tempfile.mkdtemp(prefix="peerdesk-bench-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return DataFolder(root / "data")


def copy_of(folder: Path) -> DataFolder:
    """A throwaway copy of an existing data folder, so a benchmark never changes the original."""
    copy = new_folder()
    shutil.copytree(folder, copy.root)
    return copy


def make_large_demo() -> tuple[DataFolder, NewVault]:
    folder = new_folder()
    made = create_demo(folder, seed=1, size="large")
    _made["large"] = folder
    return folder, made


LARGER = 3  # the larger size `make bench` also measures: this many times the large demo


def larger_demo() -> DataFolder:
    """The large demo's group LARGER times over (people, shifts, sessions; same ten years),
    made once per run.

    PEERDESK_BENCH_LARGER_DEMO=DIR reuses one made earlier (seed 1, LARGER times the large demo,
    closed), copied first like the large demo: building it takes half an hour or more on a busy
    machine."""
    if "larger" not in _made and (made_earlier := os.environ.get("PEERDESK_BENCH_LARGER_DEMO")):
        _made["larger"] = copy_of(Path(made_earlier))
    if "larger" not in _made:
        folder = new_folder()
        made = create_demo(folder, seed=1, size="large", times=LARGER)
        made.signed_in.store.close(backup=False)
        _made["larger"] = folder
    return _made["larger"]


def large_demo() -> DataFolder:
    """The large demo folder (closed); made now if the demo benchmark has not run.

    PEERDESK_BENCH_LARGE_DEMO=DIR reuses a large demo (seed 1) made earlier with
    `peerdesk demo --size large --data-dir DIR`: building one takes ten minutes or more, and
    someone measuring one change again and again need not wait for it each time."""
    if "large" not in _made and (made_earlier := os.environ.get("PEERDESK_BENCH_LARGE_DEMO")):
        _made["large"] = copy_of(Path(made_earlier))
    if "large" not in _made:
        _folder, made = make_large_demo()
        made.signed_in.store.close(backup=False)
    return _made["large"]


SIGN_IN = ("coordinator", DEMO_PASSWORD)

# A figure over its target is marked; only one over WIDE_MARGIN times it fails `make bench`, so
# the swings of a busy machine never do.
WIDE_MARGIN = 2.0


def judged(figure: float, target: float) -> str:
    """What to print after a figure: nothing within target, "(over target)", or "MISSED" when
    over by a wide margin."""
    if figure <= target:
        return ""
    return "  MISSED" if figure > WIDE_MARGIN * target else "  (over target)"


def missed_widely(figure: float, target: float) -> bool:
    return figure > WIDE_MARGIN * target


def overhead_missed_widely(ratio: float, target: float) -> bool:
    """For a target such as "at most 1.2 times the bare work": missed widely when what is added
    is more than WIDE_MARGIN times what the target allows (here over 1.4 times)."""
    return ratio - 1 > WIDE_MARGIN * (target - 1)


def median_ms(run: Callable[[], object], repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
