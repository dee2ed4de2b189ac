"""Background tasks: database work off the GUI thread, with progress, answered by signal.

Like Anki's task manager, all database work runs on one serial worker, so an auto-backup never
races a restore. The work gets a `progress(what, done, total)` callback that is safe to call from
the worker; results, progress and errors come back to the GUI thread through queued signals.

Every failure, in the work or in showing its result, goes to the task's `on_error` (which undoes
whatever waited for the work and says why) or, without one, to a message box: a bug is logged
with its traceback and said plainly, never left with a form waiting.

Cancelling is cooperative: `Task.cancel()` (or the progress dialog's Cancel, when the task was
started `cancellable`) means its result or error is never delivered, `on_cancel` runs at once, and
the work's next call to `progress` raises `TaskCancelled` so it can stop early.
"""

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from peerdesk.ui import messages

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
Work = Callable[[Progress], Any]
SHOW_PROGRESS_AFTER_MS = 400  # quick tasks finish without a dialog flashing up


class TaskCancelled(Exception):
    """Raised inside cancelled work by its progress callback, to stop it early."""


class Task(QObject):
    """One piece of work; lives in the GUI thread, so its slots run there."""

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], object] | None,
        on_error: Callable[[BaseException], object] | None,
        dialog: QProgressDialog | None,
    ) -> None:
        super().__init__()
        self._on_done, self._on_error, self._dialog = on_done, on_error, dialog
        self.progressed.connect(self._show_progress)
        self.succeeded.connect(self._finish)
        self.failed.connect(self._fail)
        self.finished = False
        self.cancelled = False
        self.on_cancel: Callable[[], object] | None = None

    def report(self, what: str, done: int, total: int) -> None:
        """The progress callback handed to the work (called on the worker thread)."""
        if self.cancelled:
            raise TaskCancelled
        self.progressed.emit(what, done, total)

    def cancel(self) -> None:
        """Stop waiting for the work: nothing it returns is delivered (GUI thread)."""
        if self.finished or self.cancelled:
            return
        self.cancelled = True
        self._close()
        if self.on_cancel is not None:
            self.on_cancel()

    @Slot(str, int, int)
    def _show_progress(self, what: str, done: int, total: int) -> None:
        if self._dialog is not None and not self.finished:
            self._dialog.setLabelText(f"{what}…")
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot(object)
    def _finish(self, result: Any) -> None:
        if self.cancelled:
            return
        parent = self._parent()
        self._close()
        if self._on_done is not None:
            try:
                self._on_done(result)
            except Exception as err:  # showing the result failed: undo the wait the same way
                self._report(err, parent)

    @Slot(object)
    def _fail(self, err: BaseException) -> None:
        if self.cancelled:
            return
        parent = self._parent()
        self._close()
        self._report(err, parent)

    def _report(self, err: BaseException, parent: QWidget | None) -> None:
        """`on_error` undoes what waited for the work and says why (`messages.sentence` logs a
        bug with its traceback); with none, or if it fails itself, a message box says it."""
        if self._on_error is not None:
            try:
                self._on_error(err)
                return
            except Exception as also:
                err = also
        messages.show_error(parent, err)

    def _parent(self) -> QWidget | None:
        return self._dialog.parentWidget() if self._dialog is not None else None

    def _close(self) -> None:
        self.finished = True
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None


class _Job(QRunnable):
    def __init__(self, work: Work, task: Task) -> None:
        super().__init__()
        self._work, self._task = work, task

    def run(self) -> None:
        try:
            result = self._work(self._task.report)
        except BaseException as err:  # every failure goes back to the GUI thread to be shown
            self._task.failed.emit(err)
        else:
            self._task.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs work one task at a time on a background thread."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._live: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def run(
        self,
        work: Work,
        *,
        title: str | None = None,
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        on_cancel: Callable[[], object] | None = None,
        cancellable: bool = False,
    ) -> Task:
        """Start `work`; with a title, a progress dialog appears if it takes a moment, with a
        Cancel button if `cancellable`."""
        dialog = self._progress_dialog(title, cancellable) if title else None
        task = Task(on_done, on_error, dialog)
        task.on_cancel = on_cancel
        if dialog is not None and cancellable:
            dialog.canceled.connect(task.cancel)
        self._live.add(task)
        task.succeeded.connect(lambda _r: self._live.discard(task))
        task.failed.connect(lambda _e: self._live.discard(task))
        self._pool.start(_Job(work, task))
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (used when the window closes, and by tests)."""
        return self._pool.waitForDone(msecs)

    def _progress_dialog(self, title: str, cancellable: bool) -> QProgressDialog:
        dialog = QProgressDialog(f"{title}…", "Cancel", 0, 0, self._window)
        dialog.setWindowTitle("peerdesk")
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        return dialog
