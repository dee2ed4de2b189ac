"""The Audit page (coordinators): who did what to which record, and when, newest first, each
event a sentence ("Jo changed Sam's phone number"), filtered by person, action, kind of record
and dates; and whether the trail's hash chain still verifies.

The table is the lists' paged model over `audit_view.audit_page`; its filter is this page's own
boxes rather than free text. Checking the chain reads every event, so the control runs it in the
background and hands the answer to `show_chain`.
"""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk.dates import show_datetime
from peerdesk.services.audit_view import AuditFilter, audit_page, count_audit, filter_choices
from peerdesk.services.audit_words import action_words, kind_words
from peerdesk.services.browse import PageQuery
from peerdesk.services.permissions import Actor
from peerdesk.ui.list_page import list_table
from peerdesk.ui.paged_model import Column, ListSource, PagedTableModel
from peerdesk.wording import count

if TYPE_CHECKING:
    from peerdesk.services.audit_view import AuditRow
    from peerdesk.ui.paged_model import Reader

ANY_DAY = QDate(2000, 1, 1)  # the date boxes' "no limit", shown as "Any day"
COLUMNS = (
    Column("When", lambda r: show_datetime(r.occurred_at)),
    Column("Who", lambda r: r.who),
    Column("What happened", lambda r: r.sentence),
    Column("Changes", lambda r: r.changes),
)


class AuditPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.model: PagedTableModel | None = None
        self.filter = AuditFilter()
        self.who = _choice("Who")
        self.action = _choice("What")
        self.record = _choice("Kind of record")
        self.since = _day("From")
        self.until = _day("To")
        self.chain = QLabel(wordWrap=True)
        self.chain.setAccessibleName("Audit trail check")
        self.count = QLabel()
        self.table = list_table("Audit trail")
        self.reset = QPushButton("Show &all")
        self.reset.clicked.connect(self._show_all)
        self._lay_out()
        for box in (self.who, self.action, self.record):
            box.currentIndexChanged.connect(self._apply_filter)
        for day in (self.since, self.until):
            day.dateChanged.connect(self._apply_filter)

    def _lay_out(self) -> None:
        # Two rows of filters, so the page fits a small laptop screen.
        choices, days = QHBoxLayout(), QHBoxLayout()
        for label, box in (("Who", self.who), ("What", self.action), ("Record", self.record)):
            choices.addWidget(QLabel(label))
            choices.addWidget(box, 1)
        for widget in (QLabel("From"), self.since, QLabel("to"), self.until, self.reset):
            days.addWidget(widget)
        days.addStretch(1)
        days.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Audit trail</h2>"))
        layout.addWidget(self.chain)
        layout.addLayout(choices)
        layout.addLayout(days)
        layout.addWidget(self.table)

    def attach(self, read: "Reader", actor: Actor) -> None:
        """Fill the filter boxes and show the newest events, read for `actor`."""
        with read() as session:
            users, actions, kinds = filter_choices(session, actor)
        _fill(self.who, "Everyone", users, str)
        _fill(self.action, "Every action", actions, action_words)
        _fill(self.record, "Every kind", kinds, kind_words)
        self.model = PagedTableModel(self._source(), read, actor, parent=self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._show_count()

    def detach(self) -> None:
        """Forget every event, name and choice shown (signing out)."""
        model, self.model = self.model, None
        self.table.setModel(None)
        if model is not None:
            model.forget()
            model.setParent(None)
            model.deleteLater()
        for box in (self.who, self.action, self.record):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)
        self._show_all(reload=False)
        self.chain.clear()
        self.count.clear()

    def reload(self) -> None:
        if self.model is not None:
            self.model.reload()
            self._show_count()

    def show_chain(self, problems: list[str]) -> None:
        if not problems:
            self.chain.setText(
                "✔ The audit trail checks out: no event has been changed or removed."
            )
        else:
            shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
            self.chain.setText(
                f"✖ The audit trail does not check out ({count(len(problems), 'problem')}: "
                f"{shown}). "
                "Someone may have changed the data file outside peerdesk; keep a copy of it "
                "and the backups, and ask whoever looks after your peerdesk."
            )

    def _source(self) -> ListSource:
        def page(session: Session, actor: Actor, q: PageQuery) -> list["AuditRow"]:
            return audit_page(session, actor, self.filter, q.offset, q.limit)

        def total(session: Session, actor: Actor, _text: str) -> int:
            return count_audit(session, actor, self.filter)

        return ListSource("audit", "event", COLUMNS, page, total)

    def _apply_filter(self) -> None:
        self.filter = AuditFilter(
            username=self.who.currentData() or "",
            action=self.action.currentData() or "",
            entity_type=self.record.currentData() or "",
            since=_chosen_day(self.since),
            until=_chosen_day(self.until),
        )
        self.reload()

    def _show_all(self, _checked: bool = False, reload: bool = True) -> None:
        for widget in (self.who, self.action, self.record, self.since, self.until):
            widget.blockSignals(True)
        for box in (self.who, self.action, self.record):
            box.setCurrentIndex(0)
        self.since.setDate(ANY_DAY)
        self.until.setDate(ANY_DAY)
        for widget in (self.who, self.action, self.record, self.since, self.until):
            widget.blockSignals(False)
        self.filter = AuditFilter()
        if reload:
            self.reload()

    def _show_count(self) -> None:
        if self.model is not None:
            self.count.setText(count(self.model.total(), "event"))


def _fill(box: QComboBox, everything: str, values: list[str], shown: Callable[[str], str]) -> None:
    box.blockSignals(True)
    box.clear()
    box.addItem(everything, "")
    for value in values:
        box.addItem(shown(value), value)
    box.blockSignals(False)


def _choice(name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def _day(name: str) -> QDateEdit:
    day = QDateEdit()
    day.setCalendarPopup(True)
    day.setAccessibleName(name)
    day.setDisplayFormat("d MMM yyyy")
    day.setMinimumDate(ANY_DAY)
    day.setSpecialValueText("Any day")
    day.setDate(ANY_DAY)
    return day


def _chosen_day(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    return None if chosen == ANY_DAY else date(chosen.year(), chosen.month(), chosen.day())
