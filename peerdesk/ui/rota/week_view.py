"""The week calendar: a column per day, a card per shift (times, staffing in colour and words,
what and where, who is on it with their roles). Each card is one cell of a table, so arrow keys
move between shifts and Enter or a double-click opens one; a shift across midnight has a card
on both days."""

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import MONTHS
from peerdesk.services.browse.calendar import CalendarShift
from peerdesk.ui.rota.month_view import by_day
from peerdesk.ui.rota.wording import (
    DAY_NAMES,
    YOURS,
    colour,
    described,
    people,
    staffing_ink,
    staffing_text,
    times,
)

Index = QModelIndex | QPersistentModelIndex
SHIFT_ROLE = Qt.ItemDataRole.UserRole + 1
# The time and the staffing take a line each; what and where, and who is on, up to two each:
# a narrow day (a small window, a large text size) wraps them rather than cutting them short.
CARD_LINES = 6


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class WeekModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.monday = monday_of(clock.today())
        self.today = clock.today()
        self._columns: list[list[CalendarShift]] = [[] for _ in range(7)]
        self._shown = False  # no rows at all until a week is read for someone

    def show_week(self, monday: date, shifts: list[CalendarShift], today: date) -> None:
        self.beginResetModel()
        self.monday, self.today = monday_of(monday), today
        days = by_day(shifts)
        self._columns = [days.get(self.monday + timedelta(days=n), []) for n in range(7)]
        self._shown = True
        self.endResetModel()

    def forget(self) -> None:
        """Signing out: no rows left, so nothing of the week can be shown."""
        self.beginResetModel()
        self._columns, self._shown = [[] for _ in range(7)], False
        self.endResetModel()

    def day(self, column: int) -> date:
        return self.monday + timedelta(days=column)

    def shifts_on(self, day: date) -> list[CalendarShift]:
        column = (day - self.monday).days
        return list(self._columns[column]) if 0 <= column < 7 else []

    def shift(self, index: Index) -> CalendarShift | None:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        return column[index.row()] if index.row() < len(column) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self._shown:
            return 0
        return max(1, *(len(c) for c in self._columns))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.shift(index) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shift = self.shift(index)
        if role == SHIFT_ROLE:
            return shift
        if shift is None:
            if role == Qt.ItemDataRole.DisplayRole and index.row() == 0:
                return "No shifts"
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return described(shift)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 7:
            return None
        day = self.day(section)
        if role == Qt.ItemDataRole.DisplayRole:
            label = f"{DAY_NAMES[section]} {day.day} {MONTHS[day.month - 1]}"
            # "today" on a line of its own: a narrow day's heading is never cut short by it.
            return f"{label}\ntoday" if day == self.today else label
        if role == Qt.ItemDataRole.FontRole and day == self.today:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ShiftCard(QStyledItemDelegate):
    """Paints one shift: a staffing stripe, then four lines of words."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        shift: CalendarShift | None = index.data(SHIFT_ROLE)
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        text = opt.text
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect.adjusted(4, 3, -4, -3)
        palette = opt.palette
        painter.save()
        if shift is None:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter, text)
            painter.restore()
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        ink = (palette.highlightedText() if selected else palette.text()).color()
        painter.fillRect(QRect(rect.left(), rect.top(), 5, rect.height()), colour(shift.staffing))
        body = rect.adjusted(10, 0, 0, 0)
        line = opt.fontMetrics.height() + 1
        bold = QFont(opt.font)
        bold.setBold(True)
        bold.setStrikeOut(shift.cancelled)
        mark = f"{YOURS} " if shift.mine else ""
        day = index.model().day(index.column())  # type: ignore[attr-defined]
        self._line(painter, body, 0, line, bold, ink, f"{mark}{times(shift, day)}")
        status = staffing_ink(shift.staffing, palette, selected)
        self._line(painter, body, 1, line, bold, status, staffing_text(shift))
        plain = QFont(opt.font)
        where = shift.heading + (f" · {shift.venue}" if shift.venue else "")
        who = people(shift) + (" · lone working" if shift.lone_working else "")
        n = 2
        for text in (where, who):
            for part in _wrap(opt.fontMetrics, text, body.width(), 2):
                self._line(painter, body, n, line, plain, ink, part)
                n += 1
        painter.restore()

    def _line(
        self, painter: QPainter, body: QRect, n: int, height: int, font: QFont, ink: Any, text: str
    ) -> None:
        painter.setFont(font)
        painter.setPen(ink)
        rect = QRect(body.left(), body.top() + n * height, body.width(), height)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height() + 1
        return QSize(150, line * CARD_LINES + 8)


def _wrap(metrics: QFontMetrics, text: str, width: int, most: int) -> list[str]:
    """`text` in at most `most` lines of `width`, broken between words; the last line is
    shortened with "…" by whoever draws it if it is still too long."""
    lines: list[str] = []
    words = text.split(" ")
    while words and len(lines) < most - 1:
        taken = 1
        while (
            taken < len(words) and metrics.horizontalAdvance(" ".join(words[: taken + 1])) <= width
        ):
            taken += 1
        lines.append(" ".join(words[:taken]))
        words = words[taken:]
    if words:
        lines.append(" ".join(words))
    return lines


class WeekView(QTableView):
    shift_chosen = Signal(object)  # CalendarShift

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Week")
        self.setTabKeyNavigation(False)  # Tab leaves the week; the arrow keys move in it
        self.week = WeekModel(self)
        self.setModel(self.week)
        self.setItemDelegate(ShiftCard(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize((self.fontMetrics().height() + 1) * CARD_LINES + 8)
        self.doubleClicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        shift = self.week.shift(index)
        if shift is not None:
            self.shift_chosen.emit(shift)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def select_day(self, day: date) -> None:
        column = (day - self.week.monday).days
        if 0 <= column < 7 and self.week.shift(self.week.index(0, column)) is not None:
            self.setCurrentIndex(self.week.index(0, column))
