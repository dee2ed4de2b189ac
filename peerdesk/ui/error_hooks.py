"""The window's last line against bugs: exceptions nobody caught, and Qt's own warnings.

Why: PySide prints an exception raised in a slot or an event handler to the console and carries
on. The installed app has no console, so a bug left a form half done with nothing in the log and
nothing said. Once `install()` has run (when the window starts), an exception that escapes
peerdesk's own handling, on the GUI thread or any other, is logged with its traceback and the
person is told plainly (`messages.UNEXPECTED`), on the GUI thread, in one message box: while
that box is open, or when the same bug happens again, it is only logged, so a bug in a repaint
cannot become a storm of boxes. The window carries on. Qt's warnings and criticals go to the log
as well, instead of to a console nobody sees.

Errors a person can act on (`PeerdeskError`) are said by the form that met them (see
`action.Action`); they reach these hooks only if some code forgot to catch them.
"""

import logging
import sys
import threading
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from peerdesk.ui import messages

log = logging.getLogger(__name__)
qt_log = logging.getLogger("peerdesk.qt")

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def where(err: BaseException) -> tuple[str, str, int]:
    """The kind of exception and the line it was raised on: "the same bug again"."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return type(err).__qualname__, "", 0
    return type(err).__qualname__, tb.tb_frame.f_code.co_filename, tb.tb_lineno


class Reporter(QObject):
    """Lives on the GUI thread; `raised` may be emitted from any thread."""

    raised = Signal(object)

    def __init__(self, window: QWidget | None) -> None:
        super().__init__()
        self.window = window
        self.showing = False
        self.said: set[tuple[str, str, int]] = set()
        self.raised.connect(self.report)

    @Slot(object)
    def report(self, err: BaseException) -> None:
        seen = where(err)
        if seen in self.said:  # its traceback is in the log already
            log.error("unexpected error again: %s at %s:%d", *seen)
            return
        self.said.add(seen)
        if self.showing:  # one box at a time
            log.error("unexpected error", exc_info=_info(err))
            return
        self.showing = True
        try:
            messages.show_error(self._parent(), err)  # logs it with its traceback
        except Exception:  # the hook itself must never take the window down
            log.exception("could not show an unexpected error")
        finally:
            self.showing = False

    def _parent(self) -> QWidget | None:
        """Over the dialog that is open, so the box is not hidden behind it."""
        return QApplication.activeModalWidget() or self.window


_reporter: Reporter | None = None
_previous: dict[str, Any] = {}


def _info(err: BaseException) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    return type(err), err, err.__traceback__


def excepthook(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
    """`sys.excepthook`: log and say an unexpected exception; interrupts end peerdesk as usual."""
    if not isinstance(err, Exception):
        (_previous.get("sys") or sys.__excepthook__)(kind, err, tb)
        return
    if err.__traceback__ is None:
        err = err.with_traceback(tb)
    try:
        if _reporter is None:
            raise RuntimeError("no reporter")
        _reporter.raised.emit(err)  # straight to it on the GUI thread, queued from any other
    except Exception:  # no window (yet, or any more): the log still has it
        log.error("unexpected error", exc_info=(kind, err, tb))


def thread_excepthook(args: threading.ExceptHookArgs) -> None:
    """`threading.excepthook`: the same, for a Python thread."""
    if args.exc_value is None or not isinstance(args.exc_value, Exception):
        (_previous.get("threading") or threading.__excepthook__)(args)
        return
    excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    """Qt's messages into peerdesk's log (its warnings were printed to a console nobody sees)."""
    level = QT_LEVELS.get(kind, logging.WARNING)
    if context.file:
        qt_log.log(level, "%s (%s:%s)", text, context.file, context.line)
    else:
        qt_log.log(level, "%s", text)
    previous = _previous.get("qt")
    if previous is not None:  # e.g. a test's own handler, which fails on Qt warnings
        previous(kind, context, text)


def install(window: QWidget | None) -> None:
    """From now on, unexpected exceptions and Qt's messages go to the log and `window`."""
    global _reporter
    if _reporter is not None:
        _reporter.window = window
        return
    _reporter = Reporter(window)
    _previous["sys"] = sys.excepthook
    _previous["threading"] = threading.excepthook
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    _previous["qt"] = qInstallMessageHandler(qt_message)


def uninstall() -> None:
    """Put back what was there before `install()` (tests use it)."""
    global _reporter
    if _reporter is None:
        return
    sys.excepthook = _previous.pop("sys")
    threading.excepthook = _previous.pop("threading")
    qInstallMessageHandler(_previous.pop("qt"))
    _reporter.deleteLater()
    _reporter = None
