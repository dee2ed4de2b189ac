"""Opening the data and looking after it while the window is open.

Opens the store in the background (creating or upgrading it, with progress), answers a lock held
by another copy and a damaged file, runs the first-run welcome, fills the pages, backs up on
request and automatically, restores a backup, and closes the store when the window closes.
"""

import importlib
import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from peerdesk.dates import show_datetime
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store, restore
from peerdesk.errors import DamagedStoreError, LockedError, PeerdeskError
from peerdesk.services import browse
from peerdesk.services.organisation import create_organisation, current_organisation
from peerdesk.ui import areas, messages
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.tasks import Progress, TaskRunner
from peerdesk.ui.welcome import DEMO, WelcomeDialog

log = logging.getLogger(__name__)
AUTO_BACKUP_CHECK_MS = 60_000
TAKE_OVER = "Take over"
RESTORE_NEWEST = "Restore the newest backup"
START_EMPTY = "Start with an empty data file"
EXIT_GAVE_UP = 1


class StoreControl(QObject):
    def __init__(self, window: MainWindow, folder: DataFolder) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.store: Store | None = None
        self.closing = False
        self.tasks = TaskRunner(window)
        self.auto_backup = QTimer(self, interval=AUTO_BACKUP_CHECK_MS)
        self.auto_backup.timeout.connect(self.back_up_if_due)
        window.control = self
        window.backup_action.triggered.connect(self.back_up_now)
        window.restore_action.triggered.connect(self.choose_backup_to_restore)
        window.today.set_up_requested.connect(self.welcome)

    # Opening ----------------------------------------------------------------------------------
    def open(self, take_over: bool = False) -> None:
        folder = self.folder

        def work(progress: Progress) -> Store:
            return Store.open(folder, take_over=take_over, progress=progress)

        self.tasks.run(
            work, title="Opening your data", on_done=self._opened, on_error=self._open_failed
        )

    def _opened(self, store: Store) -> None:
        if self.closing:  # the window closed while the data was opening
            store.close()
            return
        self.store = store
        read = store.read
        for key, page in self.window.lists.items():
            source, other = _sources(key)
            page.attach(source, read, other)
        self.window.build_pages()
        assert self.window.settings_page is not None
        self.window.settings_page.show_folder(self.folder.root, store.path)
        self.window.set_data_open(True)
        self.window.statusBar().clearMessage()
        self.auto_backup.start()
        if self.refresh() is None:
            self.welcome()

    def _open_failed(self, err: BaseException) -> None:
        if isinstance(err, LockedError):
            choice = messages.choose(
                self.window, "Your data is open in another peerdesk.", str(err), [TAKE_OVER]
            )
            return self.open(take_over=True) if choice == TAKE_OVER else self._give_up()
        if isinstance(err, DamagedStoreError):
            return self._damaged(err)
        messages.show_error(self.window, err)
        self._give_up()

    def _damaged(self, err: DamagedStoreError) -> None:
        actions = [RESTORE_NEWEST] if err.newest_backup else []
        choice = messages.choose(
            self.window, "Your data file could not be opened.", str(err), [*actions, START_EMPTY]
        )
        if choice == RESTORE_NEWEST and err.newest_backup:
            self._restore(Path(err.newest_backup))
        elif choice == START_EMPTY:
            self.open()
        else:
            self._give_up()

    def _give_up(self) -> None:
        self.window.statusBar().showMessage("Your data is not open.")
        QCoreApplication.exit(EXIT_GAVE_UP)

    # First run --------------------------------------------------------------------------------
    def welcome(self) -> None:
        dialog = WelcomeDialog(self._create_organisation, self.window)
        if dialog.exec() and dialog.choice == DEMO:
            self._explore_demo()
        else:
            self.refresh()

    def _create_organisation(self, name: str) -> None:
        assert self.store is not None
        with self.store.session() as session:
            create_organisation(session, name)

    def _explore_demo(self) -> None:
        store = self.store
        assert store is not None

        def work(progress: Progress) -> Any:
            # Imported only when asked for: the demo generator is large.
            demo = importlib.import_module("peerdesk.services.demo")
            return demo.generate_demo(store, size="small", progress=progress)

        self.tasks.run(work, title="Making the demo data", on_done=lambda _s: self.refresh())

    # Showing the data -------------------------------------------------------------------------
    def refresh(self) -> str | None:
        """Re-read every page; returns the organisation's name (None before set-up)."""
        assert self.store is not None
        with self.store.read() as session:
            org = current_organisation(session)
            summary = browse.today_summary(session, date.today()) if org else None
        name = org.name if org else None
        self.window.today.show_summary(name, summary)
        self.window.setWindowTitle(f"{name} – peerdesk" if name else "peerdesk")
        for page in self.window.lists.values():
            page.reload()
        self._show_status()
        return name

    def _show_status(self) -> None:
        assert self.store is not None
        last = self.store.last_backup()
        when = show_datetime(last.taken_at) if last else "none yet"
        self.window.show_status(str(self.store.path), when)

    # Backups ----------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        store = self.store
        if store is None:
            return

        def done(path: Path) -> None:
            self._show_status()
            messages.inform(self.window, f"Your data was backed up to {path}.")

        self.tasks.run(
            lambda progress: store.backup(progress=progress), title="Backing up", on_done=done
        )

    def back_up_if_due(self) -> None:
        store = self.store
        if store is None or self.tasks.busy or not store.backup_due():
            return
        self.tasks.run(
            lambda _p: store.backup(reason="auto"),
            on_done=lambda _p: self._show_status(),
            on_error=self._auto_backup_failed,
        )

    def _auto_backup_failed(self, err: BaseException) -> None:
        log.error("automatic backup failed: %s", err)
        self.window.statusBar().showMessage(f"The automatic backup did not work: {err}")

    def choose_backup_to_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Restore from backup",
            str(self.folder.backup_dir),
            "peerdesk backups (*.sqlite3)",
        )
        if path and messages.confirm(
            self.window,
            "Restoring replaces the data you have now with the backup. peerdesk keeps a copy "
            "of what you have now in the backups folder first.",
            "Restore",
        ):
            self._restore(Path(path))

    def _restore(self, source: Path) -> None:
        self._close_store(backup=False)  # the restore keeps its own copy of what it replaces
        folder = self.folder

        def done(kept: Path | None) -> None:
            note = f" What you had before is kept at {kept}." if kept else ""
            messages.inform(self.window, f"The backup was restored.{note}")
            self.open()

        def failed(err: BaseException) -> None:
            messages.show_error(self.window, err)
            self.open()

        self.tasks.run(
            lambda progress: restore(folder, source, progress=progress),
            title="Restoring",
            on_done=done,
            on_error=failed,
        )

    # Closing ----------------------------------------------------------------------------------
    def _close_store(self, backup: bool) -> None:
        self.auto_backup.stop()
        self.window.set_data_open(False)
        self.tasks.wait()
        store, self.store = self.store, None
        if store is not None:
            store.close(backup=backup)

    def shut_down(self) -> None:
        """The window is closing: finish queued work, back up what changed, let go of the data."""
        self.closing = True
        try:
            self.tasks.wait()
            QCoreApplication.sendPostedEvents()  # deliver a result that is still queued
            self._close_store(backup=True)
        except PeerdeskError as err:
            messages.show_error(self.window, err)


def _sources(key: str) -> tuple[Any, Any]:
    """The list each page shows, and what its option box switches to."""
    if key == "rota":
        return areas.UPCOMING_SHIFTS, areas.SHIFTS
    return {
        "volunteers": areas.VOLUNTEERS,
        "sessions": areas.SESSION_LOGS,
        "supervision": areas.SUPERVISION,
        "training": areas.COURSES,
        "reports": areas.REPORTS,
    }[key], None
