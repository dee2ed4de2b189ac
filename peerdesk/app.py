"""Starts the window: the main window first, then what the data folder needs (the welcome,
encrypting data from before encryption, or the sign-in screen).

Only Qt and the window's own modules are imported before the window is shown; logging, the
database stack and the services follow, so the window appears about as fast as an empty one.
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from peerdesk.ui import error_hooks
from peerdesk.ui.collector import collect_on_gui_thread
from peerdesk.ui.contrast import selection_fix
from peerdesk.ui.main_window import MainWindow

# Beside this module in the package (and in the installed bundle), so the window, the taskbar and
# the installers show the same picture.
ICON = Path(__file__).with_name("resources") / "peerdesk.png"


def create_window() -> MainWindow:
    """The application object and the main window, on screen (no data yet)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("peerdesk")
    app.setApplicationName("peerdesk")
    collect_on_gui_thread(app)
    QApplication.setWindowIcon(QIcon(str(ICON)))
    window = MainWindow(build_pages=False)
    window.show()
    return window


def open_data(window: MainWindow, data_dir: Path | None) -> None:
    """Logging on, then the start-up flow (the data opens when someone signs in)."""
    from peerdesk.db.paths import DataFolder, default_data_dir
    from peerdesk.logsetup import configure
    from peerdesk.ui.store_control import StoreControl

    folder = DataFolder(data_dir or default_data_dir())
    try:
        folder.ensure()
    except Exception as err:  # an unusable folder is said plainly, in the window
        from peerdesk.ui.messages import show_error

        show_error(window, err)
        QApplication.exit(1)
        return
    configure(folder.log_dir)
    StoreControl(window, folder).start()


# Set to a number of milliseconds, the window closes itself that long after starting: the
# installer's smoke test checks that a built bundle can start the window and quit cleanly.
QUIT_AFTER_MS = "PEERDESK_QUIT_AFTER_MS"


def quit_after(window: MainWindow) -> None:
    """Close the window the usual way (signing out, letting go of the folder), then quit."""
    given = os.environ.get(QUIT_AFTER_MS, "")
    if not given.isdigit():
        return

    def close() -> None:
        window.close()
        QApplication.quit()  # also ends a dialog that is waiting for an answer

    QTimer.singleShot(int(given), close)


def once_on_screen(window: MainWindow, steps: list[Callable[[], object]], waits: int = 100) -> None:
    """Each step in a turn of the event loop of its own, once the window is on screen (exposed,
    so painted): nothing holds up its first picture. After about a second regardless, for a
    window that is never exposed (started minimised, say)."""
    handle = window.windowHandle()
    if waits and (handle is None or not handle.isExposed()):
        QTimer.singleShot(10, lambda: once_on_screen(window, steps, waits - 1))
        return
    for step in steps:
        QTimer.singleShot(0, step)


def readable_selection() -> None:
    """The selected-row colour darkened to read at 4.5:1. Once the window is on screen: reading
    the palette's colours makes PySide6 build its enums, which would hold up the first picture."""
    QApplication.setPalette(selection_fix(QApplication.palette()))


# Set to 1, the window prints "shown" on stdout once the main window is on screen (exposed) and
# the event loop is running: how benchmarks/bench_startup.py and the start-up tests see, from
# outside, the window appear by the same path a user starts it.
REPORT_SHOWN = "PEERDESK_REPORT_SHOWN"


def report_when_shown(window: MainWindow) -> None:
    if os.environ.get(REPORT_SHOWN) != "1":
        return
    handle = window.windowHandle()
    if handle is not None and handle.isExposed():
        print("shown", flush=True)
        return
    QTimer.singleShot(0, lambda: report_when_shown(window))


def main(data_dir: Path | None = None) -> int:
    window = create_window()
    report_when_shown(window)
    error_hooks.install(window)  # from here on, a bug is logged and said, never silent
    once_on_screen(
        window, [readable_selection, window.build_pages, lambda: open_data(window, data_dir)]
    )
    quit_after(window)
    return QApplication.exec()
