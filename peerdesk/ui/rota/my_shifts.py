""" "My shifts": the signed-in volunteer's own shifts, coming up and recent, with where their
place stands (offered, confirmed, cover requested…) and how the shift is staffed, and a way
to say when they are usually free and away ("My availability…", opened by the `RotaDesk`)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.dates import show_date
from peerdesk.services.browse.calendar import AHEAD_DAYS, RECENT_DAYS, CalendarShift, MyShifts
from peerdesk.ui.rota.wording import DAY_NAMES, described, staffing_ink, times
from peerdesk.wording import word

SHIFT_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ["Date", "Time", "Shift", "Venue", "Your place", "Staffing"]


class MyShiftsView(QWidget):
    """The list of one's shifts under a row with "My availability…"."""

    shift_chosen = Signal(object)  # CalendarShift
    availability_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shifts = MyShiftsList()
        self.shifts.shift_chosen.connect(self.shift_chosen)
        self.availability_button = QPushButton("My a&vailability…")
        self.availability_button.setToolTip(
            "The days and times you are usually free, and the dates you are away"
        )
        self.availability_button.clicked.connect(self.availability_requested)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Coordinators go by your availability when they build the rota."))
        bar.addStretch(1)
        bar.addWidget(self.availability_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.shifts, 1)

    def show_shifts(self, mine: MyShifts) -> None:
        self.shifts.show_shifts(mine)

    def clear(self) -> None:
        self.shifts.clear()


class MyShiftsList(QTreeWidget):
    shift_chosen = Signal(object)  # CalendarShift

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("My shifts")
        self.setHeaderLabels(HEADERS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemActivated.connect(self._open)
        for column, width in enumerate((170, 110, 260, 240, 130)):
            self.setColumnWidth(column, width)

    def show_shifts(self, mine: MyShifts) -> None:
        self.clear()
        self._group(f"Coming up in the next {AHEAD_DAYS} days", mine.upcoming, "No shifts yet.")
        self._group(f"The last {RECENT_DAYS} days", mine.recent, "No shifts.")
        self.expandAll()

    def _group(self, title: str, shifts: list[CalendarShift], empty: str) -> None:
        group = QTreeWidgetItem(self, [f"{title} ({len(shifts)})"])
        group.setFirstColumnSpanned(True)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        if not shifts:
            QTreeWidgetItem(group, [empty]).setFlags(Qt.ItemFlag.ItemIsEnabled)
        for shift in shifts:
            day = shift.starts.date()
            item = QTreeWidgetItem(
                group,
                [
                    f"{DAY_NAMES[day.weekday()]} {show_date(day)}",
                    times(shift),
                    shift.heading,
                    shift.venue or "",
                    word(shift.mine) if shift.mine else "",
                    shift.staffing.capitalize(),
                ],
            )
            item.setData(0, SHIFT_ROLE, shift)
            item.setToolTip(2, described(shift))
            item.setForeground(5, QBrush(staffing_ink(shift.staffing, self.palette())))

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        shift = item.data(0, SHIFT_ROLE)
        if shift is not None:
            self.shift_chosen.emit(shift)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._open(item, 0)
            return
        super().keyPressEvent(event)
