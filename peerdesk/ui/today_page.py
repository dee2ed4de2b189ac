"""The Today page: the organisation's name and the figures that need attention first."""

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

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
    set_up_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel("<h1>peerdesk</h1>")
        self.subtitle = QLabel("Opening your data…")
        self.set_up = QPushButton("&Set up peerdesk…")
        self.set_up.clicked.connect(self.set_up_requested)
        self.set_up.hide()
        self.numbers: dict[str, QLabel] = {}
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.subtitle)
        row = QHBoxLayout()
        row.addWidget(self.set_up)
        row.addStretch(1)
        self._layout.addLayout(row)
        self._layout.addStretch(1)

    def _add_figures(self) -> None:
        """The grid of figures, built when there are first figures to show (so that the
        window, and this page with it, appears without waiting for it)."""
        from PySide6.QtCore import Qt

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        for n, (key, meaning) in enumerate(FIGURES):
            number = QLabel("–")
            font = number.font()
            font.setPointSizeF(font.pointSizeF() * 2.2)
            font.setBold(True)
            number.setFont(font)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setAccessibleName(meaning)
            row, col = divmod(n, 2)
            grid.addWidget(number, row, col * 2)
            grid.addWidget(QLabel(meaning), row, col * 2 + 1)
            self.numbers[key] = number
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._layout.insertLayout(self._layout.count() - 1, grid)

    def show_summary(self, organisation: str | None, summary: "TodaySummary | None") -> None:
        from peerdesk.dates import show_date

        if not self.numbers:
            self._add_figures()
        today = date.today()
        if organisation is None:
            self.title.setText("<h1>Welcome to peerdesk</h1>")
            self.subtitle.setText("There is no organisation in this data folder yet.")
            self.set_up.show()
        else:
            self.title.setText(f"<h1>{_escape(organisation)}</h1>")
            self.subtitle.setText(f"Today is {today:%A} {show_date(today)}.")
            self.set_up.hide()
        for key, label in self.numbers.items():
            label.setText(f"{getattr(summary, key):,}" if summary else "–")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
