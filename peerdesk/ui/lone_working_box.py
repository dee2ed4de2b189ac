"""Lone working on the "Log a session" page: for each lone-working shift starting soon or
running, check in with the time you expect to finish, and check out when you are done. Shown
only when there is such a shift."""

import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QTimeEdit
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import DEFAULT_ZONE, show_time
from peerdesk.db.store import Store
from peerdesk.services import lone_working as lw
from peerdesk.services.permissions import Actor
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change


class LoneWorkingBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Working alone")
        self.hint = QLabel(
            "Check in as you start and out when you finish, so someone knows you are safe.",
            wordWrap=True,
        )
        self.store: Store | None = None
        self.actor: Actor | None = None
        self.zone = ZoneInfo(DEFAULT_ZONE)
        self.grid = QGridLayout(self)
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("Lone working message")
        self.buttons: dict[uuid.UUID, QPushButton] = {}
        self.finish: dict[uuid.UUID, QTimeEdit] = {}
        self.hide()

    def attach(self, store: Store, actor: Actor, zone: ZoneInfo) -> None:
        self.store, self.actor, self.zone = store, actor, zone

    def detach(self) -> None:
        self.store, self.actor = None, None
        self._empty()
        self.message.clear()
        self.hide()

    def _empty(self) -> None:
        self.buttons, self.finish = {}, {}
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.message, self.hint):
                widget.deleteLater()

    def load(self) -> None:
        if self.store is None or self.actor is None:
            return
        with self.store.read() as s:
            shifts = lw.lone_working_shifts(s, self.actor, clock.now())
        self._empty()
        self.setVisible(bool(shifts))
        self.grid.addWidget(self.hint, 0, 0, 1, 4)
        for row, shift in enumerate(shifts, start=1):
            self._add(row, shift)
        self.grid.addWidget(self.message, len(shifts) + 1, 0, 1, 4)
        self.grid.setColumnStretch(3, 1)  # the fields keep their own size; the rest is space

    def _add(self, row: int, shift: lw.LoneWorkingShift) -> None:
        start, end = (show_time(t, self.zone.key) for t in (shift.starts_at, shift.ends_at))
        self.grid.addWidget(QLabel(f"{shift.activity}, {start}–{end}"), row, 0)
        if shift.checked_out_at is not None:
            out = show_time(shift.checked_out_at, self.zone.key)
            self.grid.addWidget(QLabel(f"Checked out at {out}."), row, 1, 1, 2)
            return
        if shift.checked_in_at is not None:
            expected = show_time(shift.expected_end_at, self.zone.key)
            self.grid.addWidget(QLabel(f"Checked in; finishing by {expected}."), row, 1)
            button = QPushButton("Check &out")
            button.clicked.connect(lambda _=False, s=shift.shift_id: self.check_out(s))
        else:
            finish = QTimeEdit()
            finish.setDisplayFormat("HH:mm")
            finish.setAccessibleName("Expect to finish at")
            local_end = shift.ends_at.astimezone(self.zone)
            finish.setTime(QTime(local_end.hour, local_end.minute))
            self.finish[shift.shift_id] = finish
            self.grid.addWidget(finish, row, 1)
            button = QPushButton("Check &in")
            button.clicked.connect(lambda _=False, s=shift: self.check_in(s))
        self.buttons[shift.shift_id] = button
        self.grid.addWidget(button, row, 2)

    def check_in(self, shift: lw.LoneWorkingShift) -> None:
        if self.actor is None:
            return
        actor, chosen = self.actor, self.finish[shift.shift_id].time()
        day = shift.starts_at.astimezone(self.zone).date()
        expected = datetime.combine(day, time(chosen.hour(), chosen.minute()), self.zone)
        if expected <= shift.starts_at:  # finishing after midnight
            expected += timedelta(days=1)
        now = clock.now()
        self._act(
            lambda s: lw.check_in(s, actor, shift.shift_id, expected, now),
            "Checked in. Check out when you finish; if you have not by "
            f"{show_time(expected, self.zone.key)}, a coordinator will try to reach you.",
        )

    def check_out(self, shift_id: uuid.UUID) -> None:
        if self.actor is None:
            return
        actor, now = self.actor, clock.now()
        self._act(
            lambda s: lw.check_out(s, actor, shift_id, now),
            "Checked out. Thank you, and look after yourself.",
        )

    def _act(self, work: Callable[[Session], object], done: str) -> None:
        if self.store is None or self.actor is None:
            return
        action = Action(self.message.setText, parent=self, changes={Change.SESSIONS})
        action.write(self.store, self.actor, work)
        if action.failed:  # said plainly, in the box
            return
        self.load()
        self.message.setText(done)
