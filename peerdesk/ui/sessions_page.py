"""The session-log parts of the window, wired together: "Log a session" (where a volunteer
lands after signing in), the Sessions list with its filters, totals and export, a log opened
from the list, and the Safeguarding area with the concern form.

`SessionDesk` is made with the window's pages and told when someone signs in and out; it
reads and writes through short sessions for that person only.
"""

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from peerdesk import clock
from peerdesk.models import Activity, Venue, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import (
    Permission,
    can,
    visible_volunteer_ids,
)
from peerdesk.services.sessions import (
    SessionFilter,
    SessionTotals,
    export_session_logs,
    filtered_count,
    filtered_page,
    session_totals,
)
from peerdesk.ui import areas, messages
from peerdesk.ui.concern_form import SENT, ConcernDialog, ConcernView
from peerdesk.ui.concerns_page import ConcernsPage
from peerdesk.ui.list_page import ListPage
from peerdesk.ui.messages import sentence
from peerdesk.ui.paged_model import ListSource
from peerdesk.ui.session_log_dialog import SessionLogDialog
from peerdesk.ui.session_log_for_others import LogForOthersDialog
from peerdesk.ui.session_log_form import LogSessionPage


def periods(today: date) -> list[tuple[str, date | None, date | None]]:
    """The periods the Sessions list offers: (words, first day, last day)."""
    month = today.replace(day=1)
    last_month = month - relativedelta(months=1)
    year = today.replace(month=1, day=1)
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return [
        ("All time", None, None),
        ("This month", month, today),
        ("Last month", last_month, month - timedelta(days=1)),
        ("The last 3 months", month - relativedelta(months=2), today),
        ("This financial year (from April)", april, today),
        ("This calendar year", year, today),
        ("The last 12 months", today - relativedelta(years=1) + timedelta(days=1), today),
    ]


class SessionFilterBar(QWidget):
    """Period, activity, venue and volunteer; the totals for what they match; export."""

    def __init__(self) -> None:
        super().__init__()
        self.period = self._combo("Period")
        self.activity = self._combo("Activity")
        self.venue = self._combo("Venue")
        self.volunteer = self._combo("Volunteer")
        self.export = QPushButton("E&xport…")
        self.export.setToolTip("Save the sessions shown as a CSV or Excel file")
        self.log = QPushButton("&Log a session…")
        self.log.setToolTip("A session you ran, or one from a paper form")
        self.totals = QLabel()
        self.totals.setAccessibleName("Totals")
        bold = self.totals.font()
        bold.setBold(True)
        self.totals.setFont(bold)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        for widget in (self.period, self.activity, self.venue, self.volunteer):
            row.addWidget(widget)
        row.addWidget(self.export)
        row.addWidget(self.log)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.totals)

    def add_row(self, widget: QWidget) -> None:
        """Another row of tools under the filters (feedback for the session chosen)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, widget)

    @staticmethod
    def _combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def offer(self, signed: SignedIn, today: date) -> None:
        for combo in (self.period, self.activity, self.venue, self.volunteer):
            combo.blockSignals(True)
            combo.clear()
        for words, first, last in periods(today):
            self.period.addItem(words, (first, last))
        with signed.store.read() as s:
            activities = s.execute(select(Activity.id, Activity.name).order_by(Activity.name))
            venues = s.execute(select(Venue.id, Venue.name).order_by(Venue.name)).all()
            people = _people(s, signed)
            self.activity.addItem("Every activity", None)
            for key, name in activities:
                self.activity.addItem(name, key)
        self.venue.addItem("Every venue", None)
        for key, name in venues:
            self.venue.addItem(name, key)
        self.volunteer.addItem("Everyone", None)
        for key, name in people:
            self.volunteer.addItem(name, key)
        self.volunteer.setVisible(len(people) > 1)
        for combo in (self.period, self.activity, self.venue, self.volunteer):
            combo.blockSignals(False)

    def chosen(self) -> SessionFilter:
        first, last = self.period.currentData() or (None, None)
        return SessionFilter(first, last, self.activity.currentData(), self.venue.currentData(),
                             self.volunteer.currentData())  # fmt: skip

    def clear(self) -> None:
        for combo in (self.period, self.activity, self.venue, self.volunteer):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.totals.clear()


def _people(s: Any, signed: SignedIn) -> list[tuple[uuid.UUID, str]]:
    """Whose sessions the person may look for: everyone (coordinators), or those they see."""
    visible = visible_volunteer_ids(s, signed.actor)
    stmt = select(Volunteer.id, Volunteer.preferred_name).where(Volunteer.anonymised_at.is_(None))
    if visible is not None:
        stmt = stmt.where(Volunteer.id.in_(visible))
    return [(k, n) for k, n in s.execute(stmt.order_by(Volunteer.preferred_name))]


def totals_words(sessions: int, hours: float, attendances: int, new: int) -> str:
    def n(count: float, one: str, many: str) -> str:
        shown = f"{count:,.1f}".removesuffix(".0") if isinstance(count, float) else f"{count:,}"
        return f"{shown} {one if count == 1 else many}"

    return " · ".join((n(sessions, "session", "sessions"),
                       n(hours, "volunteer hour", "volunteer hours"),
                       n(attendances, "attendance", "attendances"),
                       n(new, "new person", "new people")))  # fmt: skip


class SessionDesk(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.signed: SignedIn | None = None
        self.log_page = LogSessionPage()
        self.concerns_page = ConcernsPage()
        self.list_page: ListPage = window.lists["sessions"]
        self.bar = SessionFilterBar()
        self.list_page.add_tool(self.bar)
        self._typing = QTimer(self, singleShot=True, interval=300)
        self._typing.timeout.connect(self.show_totals)
        self.list_page.filter.textChanged.connect(self._typing.start)
        for combo in (self.bar.period, self.bar.activity, self.bar.venue, self.bar.volunteer):
            combo.currentIndexChanged.connect(lambda _n: self.apply_filter())
        self.bar.export.clicked.connect(self.export)
        self.bar.log.clicked.connect(self.log_session)
        self.list_page.row_opened.connect(lambda row: self.open_log(row.id))
        self.log_page.concern_wanted.connect(self.raise_concern)
        self.concerns_page.open_concern.connect(self.open_concern)
        self.concerns_page.raise_concern.connect(lambda: self.raise_concern(None, None))
        self.dialog: QWidget | None = None
        self.log_dialog: QWidget | None = None
        self._asked: tuple[SessionFilter, str] | None = None  # the filter totals are read for

    def pages(self) -> dict[str, QWidget]:
        return {"log": self.log_page, "safeguarding": self.concerns_page}

    # Signed in and out ---------------------------------------------------------------------
    def signed_in(self, signed: SignedIn, keys: list[str]) -> None:
        self.signed = signed
        actor = signed.actor
        if "sessions" in keys:
            self.bar.offer(signed, clock.today())
            self.bar.export.setVisible(can(actor, Permission.VIEW_SESSION_LOGS))
            self.bar.log.setVisible(can(actor, Permission.LOG_SESSIONS_FOR_OTHERS) or "log" in keys)
            self.apply_filter()
        if "log" in keys:
            self.log_page.attach(signed.store, actor)
        if "safeguarding" in keys:
            self.concerns_page.attach(signed.store, actor)

    def signed_out(self) -> None:
        self.signed, self._asked = None, None
        self._typing.stop()
        self.bar.clear()
        self.log_page.detach()
        self.concerns_page.detach()

    # The Sessions list ---------------------------------------------------------------------
    def apply_filter(self) -> None:
        signed = self.signed
        if signed is None:
            return
        where = self.bar.chosen()
        source: ListSource = replace(
            areas.SESSION_LOGS,
            page=lambda s, a, q: filtered_page(s, a, q, where),
            count=lambda s, a, text: filtered_count(s, a, text, where),
        )
        self.list_page.attach(source, signed.store.read, signed.actor)
        self.show_totals()

    def show_totals(self) -> None:
        """Totals read every matching log (half a second over ten years): in the background,
        the list usable meanwhile; only the answer to the latest filter is shown."""
        signed, control = self.signed, getattr(self.window, "control", None)
        if signed is None or control is None:
            return
        where, text = self.bar.chosen(), self.list_page.filter.text()
        self._asked = asked = (where, text)
        self.bar.totals.setText("Adding up…")

        def work(_progress: object) -> SessionTotals:
            with signed.store.read() as s:
                return session_totals(s, signed.actor, where, text)

        def done(t: SessionTotals) -> None:
            if self.signed is signed and self._asked == asked:
                words = totals_words(t.sessions, t.volunteer_hours, t.attendances, t.new_people)
                self.bar.totals.setText(words)

        def failed(err: BaseException) -> None:
            said = sentence(err)  # a bug is logged even when its answer is no longer wanted
            if self.signed is signed and self._asked == asked:
                self.bar.totals.setText(said)

        control.tasks.run(work, on_done=done, on_error=failed)

    def export(self) -> None:
        signed = self.signed
        if signed is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export sessions", "sessions.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        signed = self.signed
        if signed is None:
            return
        try:
            n = export_session_logs(signed, path, self.bar.chosen(), self.list_page.filter.text())
        except Exception as err:  # said plainly
            messages.show_error(self.window, err)
            return
        what = "1 session log was" if n == 1 else f"{n:,} session logs were"
        messages.inform(self.window, f"{what} saved to {path}.")

    def open_log(self, log_id: uuid.UUID) -> None:
        signed = self.signed
        if signed is None:
            return
        dialog = SessionLogDialog(signed.store, signed.actor, log_id, self.window)
        self._open(dialog)

    def log_session(self) -> None:
        """A coordinator logs a session for anyone; others go to their own "Log a session"."""
        signed = self.signed
        if signed is None:
            return
        if not can(signed.actor, Permission.LOG_SESSIONS_FOR_OTHERS):
            self.window.show_area("log")
            return
        dialog = LogForOthersDialog(signed.store, signed.actor, self.window)
        dialog.page.concern_wanted.connect(self.raise_concern)
        self.log_dialog = dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    # Concerns ------------------------------------------------------------------------------
    def raise_concern(self, log_id: uuid.UUID | None, ended_at: datetime | None) -> None:
        signed = self.signed
        if signed is None:
            return
        dialog = ConcernDialog(signed.store, signed.actor, self.window, log_id,
                               ended_at or clock.now())  # fmt: skip
        dialog.accepted.connect(lambda: self._concern_sent())
        self._open(dialog)

    def _concern_sent(self) -> None:
        messages.inform(self.window, SENT)

    def open_concern(self, concern_id: uuid.UUID) -> None:
        signed = self.signed
        if signed is None:
            return
        view = ConcernView(signed.store, signed.actor, concern_id, self.window)
        self._open(view)

    def _open(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
