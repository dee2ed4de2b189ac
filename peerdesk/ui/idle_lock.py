"""Locking the screen when nobody has touched the shared laptop for a while.

An application-wide event filter sees every key press, click and mouse movement in every window
and dialog of peerdesk, and starts the countdown again; when it runs out, `idle` is emitted and
the control does what "Lock / switch user" does.
"""

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleLock(QObject):
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, after_ms: int) -> None:
        """Count down from now, and again from every key press or mouse movement."""
        self._timer.start(after_ms)

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()  # restarts with the same interval
        return False

    def remove(self) -> None:
        """Stop watching (the window is closing)."""
        self.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
