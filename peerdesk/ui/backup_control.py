"""Backups and restoring one, for whoever may manage the data: "Back up now", the automatic
backup when one is due, and "Restore from backup…", which signs everyone out first."""

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from peerdesk.dates import show_datetime
from peerdesk.errors import PeerdeskError
from peerdesk.services import backups
from peerdesk.ui import messages
from peerdesk.ui.messages import sentence
from peerdesk.ui.tasks import Progress

if TYPE_CHECKING:
    from peerdesk.ui.store_control import StoreControl

log = logging.getLogger(__name__)
AUTO_BACKUP_CHECK_MS = 60_000


class BackupControl(QObject):
    def __init__(self, control: "StoreControl") -> None:
        super().__init__(control)
        self.control = control
        self.window = control.window
        self.timer = QTimer(self, interval=AUTO_BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.back_up_if_due)
        self.window.backup_action.triggered.connect(self.back_up_now)
        self.window.restore_action.triggered.connect(self.choose_backup_to_restore)

    def last_backup_words(self) -> str:
        store = self.control.store
        last = store.last_backup() if store is not None else None
        return show_datetime(last.taken_at) if last else "none yet"

    def show_status(self) -> None:
        if self.control.store is not None:
            self.window.show_status(self.last_backup_words())

    def back_up_now(self) -> None:
        signed = self.control.signed_in
        if signed is None:
            return

        def done(path: Path) -> None:
            self.show_status()
            messages.inform(self.window, f"Your data was backed up to {path}.")

        self.control.tasks.run(
            lambda progress: backups.back_up(signed, progress=progress),
            title="Backing up",
            on_done=done,
        )

    def back_up_if_due(self) -> None:
        store = self.control.store
        if store is None or self.control.tasks.busy or not store.backup_due():
            return
        self.control.tasks.run(
            lambda _p: store.backup(reason="auto"),
            on_done=lambda _p: self.show_status(),
            on_error=self._auto_backup_failed,
        )

    def _auto_backup_failed(self, err: BaseException) -> None:
        if isinstance(err, PeerdeskError):
            log.error("automatic backup failed: %s", err)
        said = sentence(err)  # a bug is logged with its traceback, and described plainly
        self.window.statusBar().showMessage(f"The automatic backup did not work: {said}")

    def choose_backup_to_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Restore from backup",
            str(self.control.folder.backup_dir),
            "peerdesk backups (*.sqlite3)",
        )
        if path and messages.confirm(
            self.window,
            "Restoring replaces the data you have now with the backup. peerdesk keeps a copy "
            "of what you have now in the backups folder first. Everyone signs in again "
            "afterwards.",
            "Restore",
        ):
            self.restore_backup(Path(path))

    def restore_backup(self, source: Path) -> None:
        """Sign out, restore with the data's keys, then back to the sign-in screen: the
        restored data may hold other accounts than the ones signed in now."""
        control = self.control
        signed = control.signed_in
        if signed is None:
            return
        username = signed.actor.username
        control.leave()
        self.window.show_signed_out()

        def work(progress: Progress) -> Path | None:
            return backups.restore_as(signed, source, progress)  # signs out first

        def done(kept: Path | None) -> None:
            note = f" What you had before is kept at {kept}." if kept else ""
            control.flow.show_sign_in(username, f"The backup was restored.{note} Sign in again.")

        def failed(err: BaseException) -> None:
            control.flow.show_sign_in(username, sentence(err))

        control.tasks.run(work, title="Restoring", on_done=done, on_error=failed)
