"""The cycle collector runs on the GUI thread while the window runs (peerdesk/ui/collector.py)."""

import gc
import threading
from typing import Any

from pytestqt.qtbot import QtBot

from peerdesk.ui.collector import collect_on_gui_thread


class Cycle:
    def __init__(self, seen: list[bool]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread() is threading.main_thread())


def test_cycles_are_collected_by_the_gui_thread_on_its_timer(qapp: Any, qtbot: QtBot) -> None:
    collect_on_gui_thread(qapp)
    assert not gc.isenabled()
    seen: list[bool] = []
    made = 0
    while gc.get_count()[0] <= gc.get_threshold()[0] and made < 1_000_000:
        Cycle(seen)
        made += 1
    assert not seen  # nothing collected them as they were made
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=5_000)
    assert all(seen)
