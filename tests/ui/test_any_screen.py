"""Any screen: the window fits a 1366×768 laptop at 100 % and at 200 % (683×384 in Qt's
logical pixels), every area and tab scrolls rather than cutting anything off, and every control
Tab can reach lies inside the window.

Qt reads QT_SCALE_FACTOR once, when the application starts, so the 200 % run is this file (and
the keyboard-only path, test_keyboard_path) run again in a fresh interpreter with it set."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.models import UserRole
from peerdesk.services.setup import ensure_account
from peerdesk.ui.main_window import MainWindow
from tests.conftest import TEST_SECRET
from tests.ui.conftest import OpenWindow, sign_in
from tests.ui.keyboard_checks import cut_off

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the demo below is built around this day

SCALE = float(os.environ.get("QT_SCALE_FACTOR", "1"))
# The screen, in the logical pixels Qt lays out in; the window leaves room for a panel.
SCREEN = QSize(int(1366 / SCALE), int(768 / SCALE))
WINDOW = QSize(SCREEN.width(), SCREEN.height() - int(40 / SCALE))


@pytest.fixture
def demo_folder(store: Store) -> Iterator[DataFolder]:
    generate_demo(store, seed=7, size="small", today=TODAY)
    ensure_account(store, "coordinator", "Coordinator", UserRole.COORDINATOR, TEST_SECRET)
    store.close(backup=False)
    yield store.folder


def views(window: MainWindow) -> Iterator[str]:
    """Each area of the sidebar, and in it each tab, made the one showing; says which."""
    for key in window.area_keys():
        window.show_area(key)
        page = window.stack.currentWidget()
        yield key
        for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(window)]:
            for n in range(tabs.count()):
                tabs.setCurrentIndex(n)
                yield f"{key}: {tabs.tabText(n)}"


def test_every_area_fits_the_screen_and_cuts_nothing_off(
    open_window: OpenWindow, demo_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(demo_folder)
    window.resize(WINDOW)
    qtbot.waitUntil(lambda: window.sign_in_page is not None)
    fits = window.minimumSizeHint()
    assert fits.width() <= SCREEN.width() and fits.height() <= SCREEN.height(), "sign-in"
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    problems = []
    for where in views(window):
        window.resize(WINDOW)
        qtbot.wait(1)  # let the layouts settle at this size
        fits = window.minimumSizeHint()
        if fits.width() > SCREEN.width() or fits.height() > SCREEN.height():
            problems.append(f"{where}: the window needs {fits.width()}×{fits.height()}")
        if window.size() != WINDOW:
            problems.append(f"{where}: the window grew to {window.width()}×{window.height()}")
        problems += [f"{where}: {control} is cut off" for control in cut_off(window)]
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(SCALE != 1, reason="this is the run at 200 %")
def test_at_double_scale(tmp_path: Path) -> None:
    """This file and the keyboard-only paths again at QT_SCALE_FACTOR=2 (a fresh interpreter:
    Qt reads it at start)."""
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    here = Path(__file__)
    run = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
            str(here),
            *(str(here.with_name(f"test_keyboard_{n}.py")) for n in ("path", "first_month")),
        ],
        cwd=here.parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
