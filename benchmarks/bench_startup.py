"""Startup: process start to a bare PySide6 main window on screen, against process start to
peerdesk's main window on screen, started the way a user starts it: the installed `peerdesk`
program with no command (or `python -m peerdesk` where the program is not installed). Runs
alternate so drift in the machine affects both alike; the medians are compared. Target: peerdesk
at most 1.3 times the bare window.

"On screen" is the same test for both: the main window is exposed and the event loop is running.
peerdesk says so on stdout when PEERDESK_REPORT_SHOWN=1 (see peerdesk/app.py); what the window
does after that (opening the data folder: logging, the welcome screen) is not timed. Each run gets
a new, empty data folder (the first-run screen) and settings in a temporary folder, so the
user's own data and settings are never read or written.

Run: python benchmarks/bench_startup.py [RUNS]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import overhead_missed_widely

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
RUNS = 7
GIVE_UP_S = 120

# Prints "shown" once the window is exposed and the event loop runs, as peerdesk's hook does.
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 700)
window.show()
def check():
    if window.windowHandle().isExposed():
        print("shown", flush=True)
        app.quit()
    else:
        QTimer.singleShot(0, check)
QTimer.singleShot(0, check)
app.exec()
"""


def peerdesk_program() -> tuple[list[str], str]:
    """The console script installed beside this Python, else `python -m peerdesk`."""
    script = Path(sys.executable).with_name("peerdesk")
    if script.is_file():
        return [str(script)], "the installed peerdesk program"
    return [sys.executable, "-m", "peerdesk"], "python -m peerdesk (no peerdesk program installed)"


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its "shown"; the process is then ended."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    give_up = threading.Timer(GIVE_UP_S, child.kill)
    give_up.start()
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        took = time.perf_counter() - started
    finally:
        give_up.cancel()
        if child.poll() is None:
            child.terminate()  # peerdesk goes on to open its data folder; that is not timed
        _out, err = child.communicate()  # Qt's notes on stderr are shown only on failure
    if line.strip() != "shown":
        raise RuntimeError(
            f"{command[0]}: the window did not show (exit code {child.returncode})\n{err[-2000:]}"
        )
    return took


def main(runs: int = RUNS) -> int:
    program, which = peerdesk_program()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Path(scratch) / "home"
        settings.mkdir()
        # Settings in a temporary folder: the benchmark never reads or writes the user's own.
        env = {
            **os.environ,
            "HOME": str(settings),
            "XDG_CONFIG_HOME": str(settings / ".config"),
            "XDG_DATA_HOME": str(settings / ".local" / "share"),
            "PEERDESK_REPORT_SHOWN": "1",
        }
        env.pop("PEERDESK_QUIT_AFTER_MS", None)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        bare_command = [sys.executable, "-c", BARE]
        folders = (Path(scratch) / f"data-{n}" for n in range(2 * runs + 2))

        def ours() -> float:
            return time_to_window([*program, "--data-dir", str(next(folders))], env)

        time_to_window(bare_command, env)  # warm the file cache for both
        ours()
        bare_s, ours_s = [], []
        for _ in range(runs):
            bare_s.append(time_to_window(bare_command, env))
            ours_s.append(ours())
    bare_ms, ours_ms = statistics.median(bare_s) * 1000, statistics.median(ours_s) * 1000
    ratio = ours_ms / bare_ms
    print(
        f"startup to window shown ({env['QT_QPA_PLATFORM']}, median of {runs}, {which}): "
        f"bare PySide6 {bare_ms:.0f} ms, peerdesk {ours_ms:.0f} ms, ratio {ratio:.2f} "
        f"(target <= {TARGET_RATIO})"
    )
    return 1 if overhead_missed_widely(ratio, TARGET_RATIO) else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS))
