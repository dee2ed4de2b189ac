"""The Today page: the organisation's name and the figures that need attention first.

Figures a role may not see come as None from the service and are hidden, not shown as zero."""

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from peerdesk.services.browse import TodaySummary

# (attribute of TodaySummary, what the number means)
FIGURES = (
    ("active_volunteers", "active volunteers"),
    ("shifts_ahead", "shifts in the next 14 days"),
    ("shifts_needing_cover", "of them short or unfilled"),
    ("overdue_actions", "supervision actions overdue"),
    ("debriefs_waiting", "debrief requests waiting"),
    ("open_concerns", "safeguarding concerns open"),
    ("sessions_last_30_days", "sessions in the last 30 days"),
    ("people_reached_last_30_days", "attendances in the last 30 days"),
)


class TodayPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel("<h1>peerdesk</h1>")
        self.subtitle = QLabel("Opening your data…")
        self.numbers: dict[str, QLabel] = {}
        self._meanings: dict[str, QLabel] = {}
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.subtitle)
        self._layout.addStretch(1)

    def _add_figures(self) -> None:
        """The grid of figures, built when there are first figures to show (so that the
        window, and this page with it, appears without waiting for it)."""
        from PySide6.QtCore import Qt

        grid = self._grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        for key, meaning in FIGURES:
            number = QLabel("–", self)
            font = number.font()
            font.setPointSizeF(font.pointSizeF() * 2.2)
            font.setBold(True)
            number.setFont(font)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setAccessibleName(meaning)
            self.numbers[key], self._meanings[key] = number, QLabel(meaning, self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._layout.insertLayout(self._layout.count() - 1, grid)

    def show_summary(self, organisation: str, summary: "TodaySummary") -> None:
        from peerdesk.dates import show_date

        if not self.numbers:
            self._add_figures()
        today = date.today()
        self.title.setText(f"<h1>{_escape(organisation)}</h1>")
        self.subtitle.setText(f"Today is {today:%A} {show_date(today)}.")
        shown = []
        for key, label in self.numbers.items():
            value = getattr(summary, key)
            label.setText("–" if value is None else f"{value:,}")
            if value is not None:
                shown.append(key)
        self._place(shown)

    def _place(self, keys: list[str]) -> None:
        """Lay out only the figures this person may see, two to a row without gaps."""
        for key in self.numbers:
            for widget in (self.numbers[key], self._meanings[key]):
                self._grid.removeWidget(widget)
                widget.setVisible(key in keys)
        for n, key in enumerate(keys):
            row, col = divmod(n, 2)
            self._grid.addWidget(self.numbers[key], row, col * 2)
            self._grid.addWidget(self._meanings[key], row, col * 2 + 1)

    def clear(self) -> None:
        """Nobody is signed in: no name, no figures."""
        self.title.setText("<h1>peerdesk</h1>")
        self.subtitle.clear()
        for label in self.numbers.values():
            label.setText("–")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
