"""`make bench`: every benchmark in this folder, each printing its own figures and ratios.

Run one alone with `python benchmarks/bench_NAME.py`. Exit code 1 when any target is missed by
a wide margin (`common.WIDE_MARGIN`); figures merely over target are marked, as noise makes them.
"""

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    missed = []
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"== {path.stem}", flush=True)
        code = load(path).main()  # type: ignore[attr-defined]
        if code:
            missed.append(path.stem)
    if missed:
        print("Targets missed by a wide margin: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
