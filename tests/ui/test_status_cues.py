"""Staffing is never told by colour alone, and coloured status words read at 4.5:1 on every
background they are written on, selected or not, in a light and a dark palette."""

import uuid
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from peerdesk.services.browse.calendar import CalendarShift
from peerdesk.ui.contrast import AA, ratio, selection_fix
from peerdesk.ui.paged_model import STATUS_INK, status_ink
from peerdesk.ui.rota.month_view import MonthView
from peerdesk.ui.rota.week_view import ShiftCard, WeekView

pytestmark = pytest.mark.today(date(2026, 3, 2))

Role = QPalette.ColorRole


def _shift(day: int, filled: int, wanted: int = 2) -> CalendarShift:
    return CalendarShift(
        key=uuid.uuid4().hex,
        starts=datetime(2026, 3, day, 10),
        ends=datetime(2026, 3, day, 12),
        title=None,
        activity="Wellbeing peer group with a long name",
        venue=None,
        min_volunteers=wanted,
        max_volunteers=wanted,
        lone_working=False,
        cancelled=False,
        filled=filled,
    )


class Recorder(QPainter):
    """A painter that keeps each piece of text drawn, with the pen it was drawn in."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[tuple[str, QColor]] = []

    def drawText(self, *args: Any) -> None:
        if isinstance(args[-1], str):
            self.texts.append((args[-1], QColor(self.pen().color())))
        super().drawText(*args)


def _paint(view: Any, delegate: Any, row: int, column: int, selected: bool) -> Recorder:
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    option.palette = view.palette()
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    delegate.paint(painter, option, index)
    painter.end()
    return painter


def test_month_marks_a_short_shift_in_words(qtbot: QtBot) -> None:
    view = MonthView()
    qtbot.addWidget(view)
    view.resize(640, 1000)  # cells too narrow for a whole line: its end is cut off
    view.show()
    short, unfilled, filled = _shift(4, 1), _shift(4, 0), _shift(4, 2)
    view.month.show_month(date(2026, 3, 1), [short, unfilled, filled], date(2026, 3, 2))
    index = view.month.index_of(date(2026, 3, 4))
    painted = [
        text for text, _ in _paint(view, view.cells, index.row(), index.column(), False).texts
    ]
    assert "⚠ 2 to fill" in painted
    lines = [text for text in painted if "10:00" in text]
    assert len(lines) == 3
    assert sum(line.startswith("⚠") for line in lines) == 2  # short and unfilled, not filled
    assert any(line.endswith("…") for line in lines)  # cut off, yet still marked
    # What a screen reader hears of the day says it too.
    said = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert said == "4 Mar 2026: 3 shifts, 1 unfilled, 1 short"


def _palettes() -> dict[str, QPalette]:
    light = QStyleFactory.create("Fusion").standardPalette()
    dark = QPalette(light)
    for role, rgb in (
        (Role.Window, (53, 53, 53)),
        (Role.Base, (42, 42, 42)),
        (Role.AlternateBase, (66, 66, 66)),
        (Role.Text, (255, 255, 255)),
        (Role.WindowText, (255, 255, 255)),
        (Role.Highlight, (42, 130, 218)),
        (Role.HighlightedText, (255, 255, 255)),
    ):
        dark.setColor(role, QColor(*rgb))
    # As the app starts: the selection darkened until selected text reads.
    return {name: selection_fix(p).resolve(p) for name, p in (("light", light), ("dark", dark))}


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_status_colour_reads_on_every_background(name: str) -> None:
    palette = _palettes()[name]
    for status in STATUS_INK[False]:
        ink = status_ink(status, palette)
        for role in (Role.Base, Role.AlternateBase, Role.Window):
            assert ratio(ink, palette.color(role)) >= AA, (name, status, role)
        chosen = status_ink(status, palette, selected=True)
        assert ratio(chosen, palette.color(Role.Highlight)) >= AA, (name, status)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_week_and_month_write_status_in_readable_colours(qtbot: QtBot, name: str) -> None:
    palette = _palettes()[name]
    week, month = WeekView(), MonthView()
    for view in (week, month):
        qtbot.addWidget(view)
        view.setPalette(palette)
        view.resize(1000, 600)
        view.show()
    shifts = [_shift(3, 1), _shift(3, 2)]
    week.week.show_week(date(2026, 3, 2), shifts, date(2026, 3, 2))
    month.month.show_month(date(2026, 3, 1), shifts, date(2026, 3, 2))
    cell = month.month.index_of(date(2026, 3, 3))
    card = week.itemDelegate()
    assert isinstance(card, ShiftCard)
    for selected in (False, True):
        back = palette.color(Role.Highlight if selected else Role.Base)
        painted = (
            _paint(week, card, 0, 1, selected).texts + _paint(week, card, 1, 1, selected).texts
        )
        painted += _paint(month, month.cells, cell.row(), cell.column(), selected).texts
        words = [(t, c) for t, c in painted if t.startswith(("Short", "Filled", "⚠ 1 to fill"))]
        assert len(words) == 3
        for text, colour in words:
            assert ratio(colour, back) >= AA, (name, selected, text)
