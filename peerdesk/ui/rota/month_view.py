"""The month calendar: six weeks of days in a table, each cell painted by a delegate with the
day's shifts as one line each (staffing in colour and in words) and "+N more" when they do not
fit. A model and a delegate rather than a widget per shift: switching months on ten years of
data only resets 42 cells, whatever the number of shifts.

A click on a shift's line opens it; a click on "+N more" or the day's number, or Enter on a
day, offers the day's shifts in a menu (every shift is reachable from the keyboard).
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

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

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.services.browse.calendar import CalendarShift, OnShift
from peerdesk.ui.rota.wording import (
    DAY_NAMES,
    NEEDS,
    colour,
    described,
    needs_filling,
    one_line,
    person,
    staffing_ink,
)
from peerdesk.wording import Staffing

Index = QModelIndex | QPersistentModelIndex
WEEKS = 6
CELL_ROLE = Qt.ItemDataRole.UserRole + 1


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
    for word in (Staffing.UNFILLED, Staffing.SHORT, Staffing.OVER):
        n = sum(1 for s in live if s.staffing == word)
        if n:
            parts.append(f"{n} {word}")
    cancelled = len(shifts) - len(live)
    if cancelled:
        parts.append(f"{cancelled} cancelled")
    return ", ".join(parts)


# Who is on some shifts, by stored id: the grid has no room for names, so its tooltips ask.
PeopleReader = Callable[[list[str]], dict[str, list[OnShift]]]
TOOLTIP_SHIFTS = 20


class DayCell(NamedTuple):
    """One day of the grid, worked out once when the month is read (painting asks often)."""

    day: date
    shifts: list[CalendarShift]
    in_month: bool
    today: bool
    to_fill: int  # short or unfilled shifts
    worst: Staffing  # unfilled if any is, else short


def day_cell(day: date, shifts: list[CalendarShift], month: int, today: date) -> DayCell:
    words = [s.staffing for s in shifts]
    unfilled = words.count(Staffing.UNFILLED)
    return DayCell(
        day,
        shifts,
        day.month == month,
        day == today,
        unfilled + words.count(Staffing.SHORT),
        Staffing.UNFILLED if unfilled else Staffing.SHORT,
    )


class MonthModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.people_for: PeopleReader | None = None
        self.first = clock.today().replace(day=1)
        self.today = clock.today()
        self._cells: list[DayCell] = []  # none until a month is read for someone

    def show_month(self, first: date, shifts: list[CalendarShift], today: date) -> None:
        self.beginResetModel()
        self.first, self.today = first.replace(day=1), today
        days = by_day(shifts)
        start = grid_start(self.first)
        self._cells = [
            day_cell(d, days.get(d, []), self.first.month, today)
            for d in (start + timedelta(days=n) for n in range(7 * WEEKS))
        ]
        self.endResetModel()

    def forget(self) -> None:
        """Signing out: not a cell left, so nothing of the month can be shown."""
        self.beginResetModel()
        self._cells = []
        self.endResetModel()

    def day(self, index: Index) -> date:
        return grid_start(self.first) + timedelta(days=index.row() * 7 + index.column())

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - grid_start(self.first)).days
        if not 0 <= offset < 7 * WEEKS:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def cell(self, index: Index) -> DayCell | None:
        n = index.row() * 7 + index.column()
        return self._cells[n] if index.isValid() and 0 <= n < len(self._cells) else None

    def shifts_on(self, day: date) -> list[CalendarShift]:
        cell = self.cell(self.index_of(day))
        return cell.shifts if cell is not None else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._cells else WEEKS

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        if role == CELL_ROLE:
            return cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            summary = day_summary(cell.shifts) if cell.shifts else "no shifts"
            return f"{show_date(cell.day)}: {summary}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell.day)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DAY_NAMES[section] if 0 <= section < 7 else None
        return None

    def _tooltip(self, day: date) -> str:
        """The day's shifts with who is on each, read when the pointer rests on the day."""
        shifts = self.shifts_on(day)[:TOOLTIP_SHIFTS]
        people = self.people_for([s.key for s in shifts]) if self.people_for else {}
        lines = [show_date(day)]
        for shift in shifts:
            names = ", ".join(person(p) for p in people.get(shift.key, []))
            lines.append(one_line(shift, day) + (f": {names}" if names else ""))
        more = len(self.shifts_on(day)) - len(shifts)
        if more > 0:
            lines.append(f"… and {more} more")
        return "\n".join(lines)


def to_fill(cell: DayCell) -> str:
    """The day's header says how many shifts want people: "⚠ 2 to fill"."""
    return f"{NEEDS} {cell.to_fill} to fill" if cell.to_fill else ""


def line_text(shift: CalendarShift, day: date) -> str:
    """A shift's line in its cell. A short or unfilled one starts with ⚠, since a narrow
    cell cuts off the line's end, where "– short" is: the stripe is never the only cue."""
    line = one_line(shift, day)
    return f"{NEEDS} {line}" if needs_filling(shift) else line


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
        """Everything from the one DayCell: asking the model role by role (as Qt's own item
        painting does) costs more than the drawing on a month of a busy group."""
        cell: DayCell | None = index.data(CELL_ROLE)
        if cell is None:
            return
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        layout = CellLayout(option.rect, self.line_height(option), len(cell.shifts))
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        self._paint_header(painter, option, layout, cell, selected)
        if selected:
            painter.setPen(palette.highlightedText().color())
        else:
            ink = palette.text() if cell.in_month else palette.placeholderText()
            painter.setPen(ink.color())
        fonts = _Fonts(option.font)
        for n, shift in enumerate(cell.shifts[: layout.shown]):
            self._paint_line(painter, fonts, layout.line(n), shift, cell.day)
        if layout.more:
            more = layout.line(layout.shown)
            painter.setFont(option.font)
            painter.drawText(more, Qt.AlignmentFlag.AlignVCenter, f"+{layout.more} more")
        painter.restore()

    def _paint_header(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        layout: CellLayout,
        cell: DayCell,
        selected: bool,
    ) -> None:
        box = layout.rect
        rect = QRect(box.left() + 4, box.top() + 2, box.width() - 8, layout.line_height)
        palette = option.palette
        font = QFont(option.font)
        font.setBold(cell.today)
        painter.setFont(font)
        day = cell.day
        number = f"{day.day} {DAY_NAMES[day.weekday()]}" if day.day == 1 else str(day.day)
        if cell.today:
            number += " · today"
        if selected:
            painter.setPen(palette.highlightedText().color())
        elif cell.today:
            painter.setPen(palette.highlight().color())
        else:
            ink = palette.text() if cell.in_month else palette.placeholderText()
            painter.setPen(ink.color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number)
        if cell.to_fill:
            painter.setPen(staffing_ink(cell.worst, palette, selected))
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, to_fill(cell)
            )

    def _paint_line(
        self, painter: QPainter, fonts: "_Fonts", rect: QRect, shift: CalendarShift, day: date
    ) -> None:
        painter.fillRect(
            QRect(rect.left(), rect.top() + 2, 4, rect.height() - 4), colour(shift.staffing)
        )
        text_rect = rect.adjusted(8, 0, 0, 0)
        painter.setFont(fonts.pick(shift.mine is not None, shift.cancelled))
        metrics = painter.fontMetrics()
        text = metrics.elidedText(
            line_text(shift, day), Qt.TextElideMode.ElideRight, text_rect.width()
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
        self.setTabKeyNavigation(False)  # Tab leaves the month; the arrow keys move in it
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


class _Fonts:
    """The four faces a shift's line may need, made once per cell rather than once per line:
    bold for the signed-in volunteer's own shifts, struck out for cancelled ones."""

    def __init__(self, base: QFont) -> None:
        self._made: dict[tuple[bool, bool], QFont] = {}
        self._base = base

    def pick(self, bold: bool, struck: bool) -> QFont:
        font = self._made.get((bold, struck))
        if font is None:
            font = QFont(self._base)
            font.setBold(bold)
            font.setStrikeOut(struck)
            self._made[(bold, struck)] = font
        return font
