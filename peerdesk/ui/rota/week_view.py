"""The week calendar: a column per day, a card per shift (times, staffing in colour and words,
what and where, who is on it with their roles). Each card is one cell of a table, so arrow keys
move between shifts and Enter or a double-click opens one; a shift across midnight has a card
on both days.

A day is never squeezed below what its words need: when the window is narrow (a small laptop,
a large text size) the week shows fewer days side by side, a page of days at a time (previous
and next step by page), and each card grows to hold all its words, wrapped, rather than
cutting them short with "…"."""

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
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QResizeEvent
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
from peerdesk.wording import SHORT_MONTHS

Index = QModelIndex | QPersistentModelIndex
SHIFT_ROLE = Qt.ItemDataRole.UserRole + 1
# The height of a card with little to say: the time and the staffing, what and where, and who
# is on, with room for two of them to wrap. A card with more grows to hold it.
CARD_LINES = 6
# The narrowest a day may be: room for the usual staffing words in bold.
READABLE_DAY = "Short: 1 of 2–3"
# Days side by side: the whole week, or pages that split it evenly enough (Mon–Thu, Fri–Sun).
DAYS_SIDE_BY_SIDE = (7, 4, 3, 2, 1)


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
            label = f"{DAY_NAMES[section]} {day.day} {SHORT_MONTHS[day.month - 1]}"
            # "today" on a line of its own: a narrow day's heading is never cut short by it.
            return f"{label}\ntoday" if day == self.today else label
        if role == Qt.ItemDataRole.FontRole and day == self.today:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ShiftCard(QStyledItemDelegate):
    """Paints one shift: a staffing stripe, then its words (see `card_lines`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shortened: list[str] = []  # text painted cut short with "…", to be found in tests

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
        status = staffing_ink(shift.staffing, palette, selected)
        day = index.model().day(index.column())  # type: ignore[attr-defined]
        for n, (font, is_status, text) in enumerate(card_lines(shift, day, opt.font, body.width())):
            self._line(painter, body, n, line, font, status if is_status else ink, text)
        painter.restore()

    def _line(
        self, painter: QPainter, body: QRect, n: int, height: int, font: QFont, ink: Any, text: str
    ) -> None:
        painter.setFont(font)
        painter.setPen(ink)
        rect = QRect(body.left(), body.top() + n * height, body.width(), height)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        if elided != text:
            self.shortened.append(text)  # only a word wider than the day itself comes here
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height() + 1
        shift: CalendarShift | None = index.data(SHIFT_ROLE)
        width = option.rect.width() - 18  # the margins and stripe in paint()
        if shift is None or width <= 0:
            return QSize(150, line * CARD_LINES + 8)
        day = index.model().day(index.column())  # type: ignore[attr-defined]
        lines = len(card_lines(shift, day, option.font, width))
        return QSize(150, line * max(lines, CARD_LINES) + 8)


def card_lines(
    shift: CalendarShift, day: date, font: QFont, width: int
) -> list[tuple[QFont, bool, str]]:
    """A card's lines as (font, in the staffing colour, text): the times and the staffing in
    bold, then what and where, and who is on, each wrapped to `width` between words."""
    bold = QFont(font)
    bold.setBold(True)
    bold.setStrikeOut(shift.cancelled)
    plain = QFont(font)
    mark = f"{YOURS} " if shift.mine else ""
    where = shift.heading + (f" · {shift.venue}" if shift.venue else "")
    who = people(shift) + (" · lone working" if shift.lone_working else "")
    lines: list[tuple[QFont, bool, str]] = []
    for face, is_status, text in (
        (bold, False, f"{mark}{times(shift, day)}"),
        (bold, True, staffing_text(shift)),
        (plain, False, where),
        (plain, False, who),
    ):
        lines += [(face, is_status, part) for part in _wrap(QFontMetrics(face), text, width)]
    return lines


def _wrap(metrics: QFontMetrics, text: str, width: int) -> list[str]:
    """`text` in lines of `width`, broken between words (a word wider than that on its own
    is shortened with "…" by whoever draws it)."""
    lines: list[str] = []
    words = text.split(" ")
    while words:
        taken = 1
        while (
            taken < len(words) and metrics.horizontalAdvance(" ".join(words[: taken + 1])) <= width
        ):
            taken += 1
        lines.append(" ".join(words[:taken]))
        words = words[taken:]
    return lines


class WeekView(QTableView):
    shift_chosen = Signal(object)  # CalendarShift
    page_changed = Signal()  # the days shown side by side changed (the window was resized)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Week")
        self.setTabKeyNavigation(False)  # Tab leaves the week; the arrow keys move in it
        self.week = WeekModel(self)
        self.setModel(self.week)
        self.setItemDelegate(ShiftCard(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)  # so each card is asked its height at its day's width
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.doubleClicked.connect(self._open)
        self.day = self.week.monday  # the day whose page of days is shown
        self.days_shown = 7

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
        """Show the page of days holding `day`, on its first shift."""
        self.day = day
        self._show_page()
        column = (day - self.week.monday).days
        if 0 <= column < 7 and self.week.shift(self.week.index(0, column)) is not None:
            self.setCurrentIndex(self.week.index(0, column))

    # Pages of days -----------------------------------------------------------------------------
    def readable_width(self) -> int:
        """The narrowest a day may be: its staffing words in bold, the stripe and margins."""
        bold = QFont(self.font())
        bold.setBold(True)
        return QFontMetrics(bold).horizontalAdvance(READABLE_DAY) + 18  # stripe and margins

    def first_day_shown(self) -> date:
        """Pages start on Monday and follow each other (a short last page ends on Sunday)."""
        column = min(max((self.day - self.week.monday).days, 0), 6)
        return self.week.monday + timedelta(days=column // self.days_shown * self.days_shown)

    def last_day_shown(self) -> date:
        return min(
            self.first_day_shown() + timedelta(days=self.days_shown - 1),
            self.week.monday + timedelta(days=6),
        )

    def stepped(self, day: date, direction: int) -> date:
        """The first day of the page before (-1) or after (1) the one holding `day`."""
        monday = monday_of(day)
        if self.days_shown >= 7:
            return day + timedelta(days=7 * direction)
        start = (day - monday).days // self.days_shown * self.days_shown
        start += self.days_shown * direction
        if start > 6:
            return monday + timedelta(days=7)
        if start < 0:
            return monday - timedelta(days=7 - 6 // self.days_shown * self.days_shown)
        return monday + timedelta(days=start)

    def _show_page(self) -> None:
        first = (self.first_day_shown() - self.week.monday).days
        for column in range(7):
            self.setColumnHidden(column, not first <= column < first + self.days_shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = self.viewport().width() // self.readable_width()
        fits = next((n for n in DAYS_SIDE_BY_SIDE if n <= room), 1)
        if fits != self.days_shown:
            self.days_shown = fits
            self._show_page()
            self.page_changed.emit()
