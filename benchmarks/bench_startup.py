"""Startup: process start to a bare PySide6 main window on screen, against process start to
peerdesk's main window on screen, in the same interpreter. Runs alternate so drift in the machine
affects both alike; the medians are compared. Target: peerdesk at most 1.3 times the bare window.

Run: python benchmarks/bench_startup.py [RUNS]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
RUNS = 7

# Each child prints "shown" once its window has been shown and the event loop has run once.
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 700)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""
PEERDESK = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from peerdesk.app import create_window
window = create_window()
QTimer.singleShot(0, lambda: (print("shown", flush=True), QApplication.quit()))
QApplication.exec()
"""


def time_to_window(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    took = time.perf_counter() - started
    child.wait()
    if line.strip() != "shown":
        raise RuntimeError(f"the window did not show (exit code {child.returncode})")
    return took


def main(runs: int = RUNS) -> int:
    with tempfile.TemporaryDirectory() as settings:
        # Settings in a temporary folder: the benchmark never reads or writes the user's own.
        env = {**os.environ, "XDG_CONFIG_HOME": settings, "HOME": settings}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        time_to_window(BARE, env)  # warm the file cache for both
        time_to_window(PEERDESK, env)
        bare, ours = [], []
        for _ in range(runs):
            bare.append(time_to_window(BARE, env))
            ours.append(time_to_window(PEERDESK, env))
    bare_ms, ours_ms = statistics.median(bare) * 1000, statistics.median(ours) * 1000
    ratio = ours_ms / bare_ms
    print(
        f"startup to window shown ({env['QT_QPA_PLATFORM']}, median of {runs}): bare PySide6 "
        f"{bare_ms:.0f} ms, peerdesk {ours_ms:.0f} ms, ratio {ratio:.2f} (target <= {TARGET_RATIO})"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS))
