"""One question's answer as a row of large buttons (0 to 10, or a few words), chosen by
keyboard as easily as by touch.

The row is one stop for Tab: a number key picks that answer ("1" then "0" is 10), the arrow
keys, Home and End move along, Delete clears it, and Enter goes on to the next question. The
buttons themselves never take the keyboard, so Tab does not walk through eleven of them. A
screen reader hears the question, and what is chosen, as the row's name and description.
"""

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# The chosen answer must stand out at a glance, in light and dark palettes alike.
CHOSEN = (
    "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text); "
    "font-weight: bold; }"
)
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


class ScoreRow(QWidget):
    changed = Signal()

    def __init__(
        self,
        question: str,
        choices: Sequence[tuple[int, str]],
        ends: tuple[str, str] = ("", ""),
        parent: QWidget | None = None,
    ) -> None:
        """`choices`: (value, what the button says), in order; `ends`: words under the first
        and last button ("Not at all", "Completely")."""
        super().__init__(parent)
        self.question = question
        self.choices = list(choices)
        self._value: int | None = None
        self._last_key: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(question)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so a chosen answer can be taken back (Delete)
        row = QHBoxLayout()
        row.setSpacing(4)
        for n, (_value, words) in enumerate(self.choices):
            button = QPushButton(words.replace("&", "&&"))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{question}: {words}")
            button.setStyleSheet(CHOSEN)
            button.setMinimumHeight(button.sizeHint().height() * 3 // 2)
            if len(words) <= 2:  # numbers: all as wide as "10"; words keep their own width
                button.setMinimumWidth(button.fontMetrics().horizontalAdvance(" 10 ") + 8)
            self.group.addButton(button, n)
            row.addWidget(button, 1)
        self.group.idClicked.connect(self._clicked)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(row)
        if any(ends):
            under = QHBoxLayout()
            low, high = QLabel(ends[0]), QLabel(ends[1])
            high.setAlignment(Qt.AlignmentFlag.AlignRight)
            under.addWidget(low)
            under.addStretch(1)
            under.addWidget(high)
            column.addLayout(under)
        self._describe()

    # The answer -----------------------------------------------------------------------------
    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        if value is not None and value not in self._values():
            return
        self._value = value
        for n, button in enumerate(self.group.buttons()):
            button.setChecked(value is not None and self.choices[n][0] == value)
        self._describe()
        self.update()
        self.changed.emit()

    def clear(self) -> None:
        self._last_key = None
        self.set_value(None)

    def _values(self) -> list[int]:
        return [value for value, _words in self.choices]

    def _clicked(self, n: int) -> None:
        value = self.choices[n][0]
        self.set_value(None if value == self._value else value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def _describe(self) -> None:
        words = dict(self.choices).get(self._value) if self._value is not None else None
        chosen = f"Chosen: {words}." if words is not None else "Nothing chosen yet."
        self.setAccessibleDescription(f"{chosen} Type a number or use the arrow keys.")

    # Keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        digit = DIGITS.get(Qt.Key(key))
        if digit is not None:
            self._typed(digit)
            return
        self._last_key = None
        values = self._values()
        at = values.index(self._value) if self._value in values else None
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.set_value(values[0 if at is None else min(at + 1, len(values) - 1)])
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self.set_value(values[0 if at is None else max(at - 1, 0)])
        elif key == Qt.Key.Key_Home:
            self.set_value(values[0])
        elif key == Qt.Key.Key_End:
            self.set_value(values[-1])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
        else:
            super().keyPressEvent(event)

    def _typed(self, digit: int) -> None:
        """A number picks that answer; "1" then "0" picks 10 where there is one."""
        if digit == 0 and self._last_key == 1 and 10 in self._values():
            self._last_key = None
            self.set_value(10)
            return
        self._last_key = digit
        self.set_value(digit)

    def changeEvent(self, event: QEvent) -> None:
        """A style sheet (CHOSEN) stops the buttons taking the row's font by themselves: the
        screen's large text is handed on here."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            for button in self.group.buttons():
                button.setFont(self.font())

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._last_key = None
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """A thick frame in the highlight colour shows which question the keys answer."""
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 3)
        painter.setPen(pen)
        painter.drawRoundedRect(QRect(self.rect()).adjusted(1, 1, -2, -2), 6, 6)
        painter.end()
