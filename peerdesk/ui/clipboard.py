"""Copying confidential text (a recovery key) so that it does not stay on the clipboard.

The laptop is shared: whatever is left on the clipboard is pasted by the next person. The text is
marked as a secret for clipboard managers that honour the hint (KDE's Klipper, and others that
follow it), and cleared after a while unless something else has been copied since.
"""

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000
_SECRET_HINT = "x-kde-passwordManagerHint"


def copy_confidential(text: str, clear_after_ms: int = CLEAR_AFTER_MS) -> QTimer:
    """Put `text` on the clipboard; after `clear_after_ms` clear it if it still holds `text`.
    Returns the timer (its parent is the application, so it outlives a closed dialog)."""
    clipboard = QGuiApplication.clipboard()
    data = QMimeData()
    data.setText(text)
    data.setData(_SECRET_HINT, b"secret")
    clipboard.setMimeData(data)
    timer = QTimer(QGuiApplication.instance(), singleShot=True, interval=clear_after_ms)

    def clear_if_unchanged() -> None:
        if clipboard.text() == text:
            clipboard.clear()
        timer.deleteLater()

    timer.timeout.connect(clear_if_unchanged)
    timer.start()
    return timer
