"""The month calendar: six weeks of days in a table, each cell painted by a delegate with the
day's shifts as one line each (staffing in colour and in words) and "+N more" when they do not
fit. A model and a delegate rather than a widget per shift: switching months on ten years of
data only resets 42 cells, whatever the number of shifts.

A click on a shift's line opens it; a click on "+N more" or the day's number, or Enter on a
day, offers the day's shifts in a menu (every shift is reachable from the keyboard).
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from peerdesk.dates import show_date
from peerdesk.services.browse.calendar import CalendarShift
from peerdesk.ui.rota.wording import DAY_NAMES, colour, described, one_line

Index = QModelIndex | QPersistentModelIndex
WEEKS = 6
SHIFTS_ROLE = Qt.ItemDataRole.UserRole + 1
DAY_ROLE = Qt.ItemDataRole.UserRole + 2
IN_MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
TODAY_ROLE = Qt.ItemDataRole.UserRole + 4


def grid_start(first_of_month: date) -> date:
    """The Monday on or before the first of the month: where the six weeks begin."""
    return first_of_month - timedelta(days=first_of_month.weekday())


def grid_days(first_of_month: date) -> tuple[date, date]:
    start = grid_start(first_of_month)
    return start, start + timedelta(days=7 * WEEKS - 1)


def by_day(shifts: list[CalendarShift]) -> dict[date, list[CalendarShift]]:
    """Each shift under every day it touches (across midnight: both days), in start order."""
    days: dict[date, list[CalendarShift]] = defaultdict(list)
    for shift in shifts:
        for day in shift.days:
            days[day].append(shift)
    return days


def day_summary(shifts: list[CalendarShift]) -> str:
    """ "12 shifts, 2 short, 1 unfilled": the gaps are what a coordinator looks for."""
    live = [s for s in shifts if not s.cancelled]
    parts = [f"{len(live)} shift{'' if len(live) == 1 else 's'}"]
    for word in ("unfilled", "short", "over"):
        n = sum(1 for s in live if s.staffing == word)
        if n:
            parts.append(f"{n} {word}")
    cancelled = len(shifts) - len(live)
    if cancelled:
        parts.append(f"{cancelled} cancelled")
    return ", ".join(parts)


class MonthModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.first = date.today().replace(day=1)
        self.today = date.today()
        self._days: dict[date, list[CalendarShift]] = {}
        self._shown = False  # no grid at all until a month is read for someone

    def show_month(self, first: date, shifts: list[CalendarShift], today: date) -> None:
        self.beginResetModel()
        self.first, self.today = first.replace(day=1), today
        self._days = by_day(shifts)
        self._shown = True
        self.endResetModel()

    def forget(self) -> None:
        """Signing out: not a cell left, so nothing of the month can be shown."""
        self.beginResetModel()
        self._days, self._shown = {}, False
        self.endResetModel()

    def day(self, index: Index) -> date:
        return grid_start(self.first) + timedelta(days=index.row() * 7 + index.column())

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - grid_start(self.first)).days
        if not 0 <= offset < 7 * WEEKS:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def shifts_on(self, day: date) -> list[CalendarShift]:
        return self._days.get(day, [])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._shown else WEEKS

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.day(index)
        if role == SHIFTS_ROLE:
            return self.shifts_on(day)
        if role == DAY_ROLE:
            return day
        if role == IN_MONTH_ROLE:
            return day.month == self.first.month
        if role == TODAY_ROLE:
            return day == self.today
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            shifts = self.shifts_on(day)
            return f"{show_date(day)}: {day_summary(shifts) if shifts else 'no shifts'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            shifts = self.shifts_on(day)
            lines = [one_line(s, day) for s in shifts[:20]]
            if len(shifts) > 20:
                lines.append(f"… and {len(shifts) - 20} more")
            return "\n".join([show_date(day), *lines])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DAY_NAMES[section] if 0 <= section < 7 else None
        return None


class CellLayout:
    """Where a day cell's number, summary and shift lines go: shared by painting and clicks."""

    def __init__(self, rect: QRect, line_height: int, count: int) -> None:
        self.rect = rect
        self.line_height = line_height
        self.top = rect.top() + line_height + 4
        room = max((rect.bottom() - self.top) // line_height, 0)
        self.shown = count if count <= room else max(room - 1, 0)
        self.more = count - self.shown

    def line(self, n: int) -> QRect:
        return QRect(
            self.rect.left() + 3,
            self.top + n * self.line_height,
            self.rect.width() - 6,
            self.line_height,
        )

    def hit(self, point: QPoint) -> int | None:
        """The shift line under `point` (None: the day's header or "+N more")."""
        if point.y() < self.top:
            return None
        n = (point.y() - self.top) // self.line_height
        return n if n < self.shown else None


class MonthDelegate(QStyledItemDelegate):
    def line_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height() + 2

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        in_month = bool(index.data(IN_MONTH_ROLE))
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        shifts: list[CalendarShift] = index.data(SHIFTS_ROLE) or []
        day: date = index.data(DAY_ROLE)
        rect: QRect = opt.rect
        cell = CellLayout(rect, self.line_height(opt), len(shifts))
        palette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = palette.highlightedText() if selected else palette.text()
        painter.save()
        self._paint_header(painter, opt, cell, day, shifts, in_month, bool(index.data(TODAY_ROLE)))
        painter.setPen(text.color() if in_month or selected else palette.placeholderText().color())
        for n, shift in enumerate(shifts[: cell.shown]):
            self._paint_line(painter, opt, cell.line(n), shift, day)
        if cell.more:
            more = cell.line(cell.shown)
            painter.drawText(more, Qt.AlignmentFlag.AlignVCenter, f"+{cell.more} more")
        painter.restore()

    def _paint_header(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        cell: CellLayout,
        day: date,
        shifts: list[CalendarShift],
        in_month: bool,
        today: bool,
    ) -> None:
        rect = QRect(
            cell.rect.left() + 4, cell.rect.top() + 2, cell.rect.width() - 8, cell.line_height
        )
        palette = opt.palette
        font = QFont(opt.font)
        font.setBold(today)
        painter.setFont(font)
        number = f"{day.day} {DAY_NAMES[day.weekday()]}" if day.day == 1 else str(day.day)
        if today:
            number += " · today"
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setPen(palette.highlightedText().color())
        elif today:
            painter.setPen(palette.highlight().color())
        else:
            painter.setPen(
                palette.text().color() if in_month else palette.placeholderText().color()
            )
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number)
        gaps = [s for s in shifts if s.staffing in ("unfilled", "short")]
        if gaps:
            worst = "unfilled" if any(s.staffing == "unfilled" for s in gaps) else "short"
            painter.setPen(palette.highlightedText().color() if selected else colour(worst))
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{len(gaps)} to fill",
            )
        painter.setFont(opt.font)

    def _paint_line(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        rect: QRect,
        shift: CalendarShift,
        day: date,
    ) -> None:
        painter.fillRect(
            QRect(rect.left(), rect.top() + 2, 4, rect.height() - 4), colour(shift.staffing)
        )
        text_rect = rect.adjusted(8, 0, 0, 0)
        font = QFont(opt.font)
        font.setBold(shift.mine is not None)
        font.setStrikeOut(shift.cancelled)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        text = metrics.elidedText(
            one_line(shift, day), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, text)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(120, self.line_height(option) * 5)


class MonthView(QTableView):
    shift_chosen = Signal(object)  # CalendarShift
    day_chosen = Signal(object)  # date: its shifts are offered in a menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Month")
        self.month = MonthModel(self)
        self.setModel(self.month)
        self.cells = MonthDelegate(self)
        self.setItemDelegate(self.cells)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setMouseTracking(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() * 3)

    def select_day(self, day: date) -> None:
        index = self.month.index_of(day)
        if index.isValid():
            self.setCurrentIndex(index)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        index = self.indexAt(point)
        if not index.isValid():
            return
        shifts = self.month.shifts_on(self.month.day(index))
        cell = CellLayout(
            self.visualRect(index), self.cells.line_height(self.viewOptions()), len(shifts)
        )
        line = cell.hit(point)
        if line is not None:
            self.shift_chosen.emit(shifts[line])
        elif shifts and point.y() >= cell.top:  # "+N more"
            self.offer_day(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            index = self.currentIndex()
            if index.isValid():
                self.offer_day(index)
                return
        super().keyPressEvent(event)

    def offer_day(self, index: QModelIndex) -> None:
        """The day's shifts in a menu; one shift opens straight away."""
        day = self.month.day(index)
        shifts = self.month.shifts_on(day)
        if len(shifts) == 1:
            self.shift_chosen.emit(shifts[0])
            return
        if not shifts:
            self.day_chosen.emit(day)
            return
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for shift in shifts:
            action = menu.addAction(one_line(shift, day))
            action.setToolTip(described(shift))
            action.triggered.connect(lambda _c=False, s=shift: self.shift_chosen.emit(s))
        rect = self.visualRect(index)
        menu.popup(self.viewport().mapToGlobal(rect.topLeft()))
        self.open_menu = menu  # kept for tests

    def viewOptions(self) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return option
