"""A dot-and-whisker chart of change in a measure, one row per group, painted with QPainter
(PySide6-Essentials has no QtCharts).

Each row: the group's name on the left; on a shared axis the dot (the average change) and the
whisker (its interval), with a line at no change; on the right, n and the response rate. A group
too small to say anything gets a plain line of words instead of a dot, so no one reads a
meaningless figure off the chart. The same figures are in an accessible table beside it (see
`outcomes_page`), so nothing here is the only way to read them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW_LINES = 2.2  # each row is this many lines of text tall: room to click and to read
TOO_FEW = "Too few people to show"
Scale = Callable[[float], float]  # a value on the axis → where it is drawn


@dataclass(frozen=True)
class ChartRow:
    """One group's figures as the chart draws them; `change` None: too few to show."""

    group: str
    change: float | None
    low: float | None
    high: float | None
    people: int
    response: str  # "64 %" or "–"
    note: str = TOO_FEW


class ChangeChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.axis = ""
        self.change = True  # a change from zero (with its line), or an average answer
        self.setAccessibleName("Chart of change by group")
        self.setAccessibleDescription("The same figures are in the table beside the chart.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def show_rows(self, rows: Sequence[ChartRow], axis: str, change: bool = True) -> None:
        """`axis`: what the axis measures, in words; `change`: the values are changes, so no
        change (zero) is on the axis with a line."""
        self.rows, self.axis, self.change = list(rows), axis, change
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.show_rows([], "")

    def _row_height(self) -> int:
        return int(self.fontMetrics().height() * ROW_LINES)

    def sizeHint(self) -> QSize:
        lines = max(len(self.rows), 1) + 2  # the rows, the axis and its words
        return QSize(560, lines * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    # Painting ------------------------------------------------------------------------------
    def _span(self) -> tuple[float, float]:
        """The axis: every interval (and zero, for a change), with a little room either side."""
        ends = [0.0] if self.change else []
        for row in self.rows:
            ends += [v for v in (row.low, row.high, row.change) if v is not None]
        low, high = (min(ends), max(ends)) if ends else (0.0, 1.0)
        if high - low < 1:
            low, high = low - 0.5, high + 0.5
        pad = (high - low) * 0.08
        return low - pad, high + pad

    def caption(self) -> str:
        """The words under the axis; none before there are figures (nothing is drawn then, so
        there is no axis and no line to explain)."""
        if not self.rows:
            return ""
        return f"{self.axis}; the dashed line is no change" if self.change else self.axis

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text = self.palette().color(QPalette.ColorRole.WindowText)
        height = self._row_height()
        names = max([metrics.horizontalAdvance(r.group) for r in self.rows] + [60]) + 12
        names = min(names, self.width() // 3)
        figures = metrics.horizontalAdvance("n = 9999 · 100 %") + 12
        plot = QRectF(names, 0, max(self.width() - names - figures, 40), height * len(self.rows))
        low, high = self._span()

        def x(value: float) -> float:
            return plot.left() + (value - low) / (high - low) * plot.width()

        if self.change:
            painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x(0), 0), QPointF(x(0), plot.bottom()))
        for n, row in enumerate(self.rows):
            self._paint_row(painter, row, n * height, height, names, plot, x)
        self._paint_axis(painter, plot, low, high, x)
        painter.end()

    def _paint_row(self, painter: QPainter, row: ChartRow, top: float, height: int,
                   names: float, plot: QRectF, place: Scale) -> None:  # fmt: skip
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        middle = top + height / 2
        painter.setPen(text)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        name_box = QRectF(0, top, names - 8, height)
        painter.drawText(name_box, flags | Qt.TextFlag.TextSingleLine, row.group)
        figures = f"n = {row.people} · {row.response}"
        right = QRectF(plot.right() + 8, top, self.width() - plot.right() - 8, height)
        painter.drawText(right, flags, figures)
        if row.change is None:  # words on the window's colour, over the line at no change
            box = QRectF(plot.left(), top, plot.width(), height)
            said = painter.boundingRect(box, Qt.AlignmentFlag.AlignCenter, row.note)
            painter.fillRect(said.adjusted(-4, 0, 4, 0), palette.color(QPalette.ColorRole.Window))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, row.note)
            return
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(accent, 2))
        if row.low is not None and row.high is not None:
            painter.drawLine(QPointF(place(row.low), middle), QPointF(place(row.high), middle))
            for end in (row.low, row.high):
                painter.drawLine(QPointF(place(end), middle - 5), QPointF(place(end), middle + 5))
        painter.setBrush(accent)
        painter.drawEllipse(QPointF(place(row.change), middle), 5, 5)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_axis(self, painter: QPainter, plot: QRectF, low: float, high: float,
                    place: Scale) -> None:  # fmt: skip
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        height = self._row_height()
        step = _nice_step((high - low) / 5)
        tick = step * int(low / step)
        while tick <= high:
            if tick >= low:
                at = place(tick)
                painter.drawLine(QPointF(at, plot.bottom()), QPointF(at, plot.bottom() + 4))
                box = QRectF(at - 30, plot.bottom() + 4, 60, height / 2)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{tick:+g}" if tick else "0")
            tick += step
        words = self.caption()
        under = QRectF(plot.left(), plot.bottom() + height / 2 + 4, plot.width(), height)
        painter.drawText(under, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, words)


def _nice_step(rough: float) -> float:
    """A round step for the axis ticks: 0.1, 0.2, 0.5, 1, 2, 5…"""
    if rough <= 0:
        return 1.0
    scale = 10 ** _floor_log10(rough)
    for nice in (1, 2, 5, 10):
        if rough <= nice * scale:
            return float(nice * scale)
    return float(10 * scale)


def _floor_log10(value: float) -> int:
    n = 0
    while value >= 10:
        value /= 10
        n += 1
    while value < 1:
        value *= 10
        n -= 1
    return n
