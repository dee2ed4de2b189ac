"""Python's cycle collector on the GUI thread only.

The collector runs in whichever thread happens to allocate past its threshold. When that is a
worker thread (sign-in, reports) and the garbage holds Qt objects, PySide6 deletes them off the
GUI thread and the process can crash (seen as a segmentation fault during a sign-in). So while
the window runs, automatic collection is off and the GUI thread collects on a timer, with the
same thresholds Python would use. Reference counting still frees everything that is not a cycle
at once.
"""

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class _Collector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(INTERVAL_MS)

    def collect(self) -> None:
        counts, limits = gc.get_count(), gc.get_threshold()
        if counts[0] <= limits[0]:
            return
        generation = 0
        if counts[1] > limits[1]:
            generation = 2 if counts[2] > limits[2] else 1
        gc.collect(generation)


def collect_on_gui_thread(app: QCoreApplication) -> None:
    """Turn automatic collection off and collect from `app`'s thread instead (once per app)."""
    if app.findChild(_Collector) is not None:
        return
    _Collector(app)
    gc.disable()
