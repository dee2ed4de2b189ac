"""The Today page: the organisation's name and the figures that need attention first.

Figures a role may not see come as None from the service and are hidden, not shown as zero."""

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from peerdesk import clock

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent

    from peerdesk.services.attention import Attention
    from peerdesk.services.browse import TodaySummary
    from peerdesk.services.dbs import RecheckDue
    from peerdesk.services.training import Expiring

# (attribute of TodaySummary, what the number means), two to a row: the shifts ahead and how many
# of them are short share the first row, so "of them" reads next to what it refers to.
FIGURES = (
    ("shifts_ahead", "shifts in the next 14 days"),
    ("shifts_needing_cover", "of them short or unfilled"),
    ("active_volunteers", "active volunteers"),
    ("overdue_actions", "supervision actions overdue"),
    ("debriefs_waiting", "debrief requests waiting"),
    ("open_concerns", "safeguarding concerns open"),
    ("sessions_last_30_days", "sessions in the last 30 days"),
    ("people_reached_last_30_days", "attendances in the last 30 days"),
)


class LinksLabel(QLabel):
    """Sentences with links, where Tab lands on the first link (Shift+Tab on the last) so that
    Enter opens it: a plain QLabel takes the focus with no link chosen, and Enter does nothing."""

    def focusInEvent(self, event: "QFocusEvent") -> None:
        from PySide6.QtCore import Qt  # here, not at start-up: the Qt namespace is slow to load

        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            super().focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)


class TodayPage(QWidget):
    # The key of an area a "Needs attention" link asks to open, with "#place" for a part of it.
    open_area = Signal(str)

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
        self.coming_up: QLabel | None = None  # built the first time a coordinator signs in
        self._coming_up_heading: QLabel | None = None
        self.attention: QLabel | None = None  # built the first time there is something to show
        self._attention_heading: QLabel | None = None

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
            said = QLabel(meaning, self)
            said.setWordWrap(True)  # on a narrow window or at a large text size: two lines
            self.numbers[key], self._meanings[key] = number, said
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._layout.insertLayout(2, grid)  # under the title and subtitle

    def show_summary(self, organisation: str, summary: "TodaySummary") -> None:
        from peerdesk.dates import show_date

        if not self.numbers:
            self._add_figures()
        today = clock.today()
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

    def show_coming_up(
        self, expiring: "list[Expiring]", rechecks: "list[RecheckDue]", today: date
    ) -> None:
        """What needs arranging soon: training running out and DBS rechecks due."""
        if self.coming_up is None:
            self._add_coming_up()
        assert self.coming_up is not None
        lines = [*expiring_sentences(expiring), rechecks_sentence(rechecks, today)]
        self.coming_up.setText("\n\n".join(lines))
        self._show_coming_up(True)

    def _add_coming_up(self) -> None:
        from PySide6.QtCore import Qt

        self._coming_up_heading = QLabel("<h3>Coming up</h3>", self)
        label = self.coming_up = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # names are shown as typed, never as markup
        label.setAccessibleName("Coming up")
        at = self._layout.count() - 1  # above the stretch at the end
        self._layout.insertSpacing(at, 12)  # apart from the figures above
        self._layout.insertWidget(at + 1, self._coming_up_heading)
        self._layout.insertWidget(at + 2, label)

    def _show_coming_up(self, on: bool) -> None:
        """Shown to coordinators only; hidden (and empty) for everyone else."""
        for label in (self._coming_up_heading, self.coming_up):
            if label is not None:
                label.setVisible(on)

    def show_attention(self, items: "list[Attention]", area_labels: dict[str, str]) -> None:
        """What needs looking at, one sentence each with a link to the area that deals with it;
        hidden when there is nothing."""
        if self.attention is None:
            if not items:
                return
            self._add_attention()
        assert self.attention is not None and self._attention_heading is not None
        lines = []
        for item in items:
            text = _escape(item.sentence)
            if item.urgent:
                text = f"<b>Urgent:</b> {text}"
            label = area_labels.get(item.area)
            if label:
                href = f"{item.area}#{item.place}" if item.place else item.area
                text += f' <a href="{href}">Open {_escape(label)}</a>'
            lines.append(f"<li>{text}</li>")
        self.attention.setText(f"<ul>{''.join(lines)}</ul>" if lines else "")
        for widget in (self._attention_heading, self.attention):
            widget.setVisible(bool(lines))

    def _add_attention(self) -> None:
        from PySide6.QtCore import Qt

        self._attention_heading = QLabel("<h3>Needs attention</h3>", self)
        label = self.attention = LinksLabel(self)
        label.setWordWrap(True)
        # Rich text for the links; every sentence is escaped, so names never become markup.
        label.setTextFormat(Qt.TextFormat.RichText)
        # Tab reaches each link and Enter opens it, as a click does.
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.setAccessibleName("Needs attention")
        label.linkActivated.connect(self.open_area.emit)
        at = 2 + (1 if self.numbers else 0)  # under the title, subtitle and figures
        self._layout.insertSpacing(at, 12)
        self._layout.insertWidget(at + 1, self._attention_heading)
        self._layout.insertWidget(at + 2, label)

    def clear(self) -> None:
        """Nobody is signed in: no name, no figures."""
        self.title.setText("<h1>peerdesk</h1>")
        self.subtitle.clear()
        if self.attention is not None:
            self.show_attention([], {})
        if self.coming_up is not None:
            self.coming_up.clear()
        self._show_coming_up(False)
        for label in self.numbers.values():
            label.setText("–")


# (from day, to day) after today: each stretch of the 90 days ahead counted on its own, so
# nobody is counted twice.
EXPIRY_BANDS = ((1, 30), (31, 60), (61, 90))
NAMES_SHOWN = 3


def expiring_sentences(expiring: "list[Expiring]") -> list[str]:
    """One sentence for each stretch of the next 90 days in which training runs out."""
    lines = []
    for first, last in EXPIRY_BANDS:
        found = [e for e in expiring if first <= e.days_left <= last]
        if not found:
            continue
        when = "In the next 30 days" if first == 1 else f"In {first} to {last} days"
        what = "training course runs out" if len(found) == 1 else "training courses run out"
        people = [f"{e.volunteer}'s {e.course}" for e in found]
        lines.append(f"{when}, {len(found)} {what}: {_some(people)}.")
    return lines or ["No training runs out in the next 90 days."]


def rechecks_sentence(rechecks: "list[RecheckDue]", today: date) -> str:
    """The DBS rechecks due soon or overdue, and who has no check at all."""
    if not rechecks:
        return "No DBS rechecks are due in the next 60 days."
    from peerdesk.dates import show_date

    people = []
    for r in rechecks:
        if r.recheck_due_on is None:
            people.append(f"{r.volunteer} (no check recorded)")
        elif r.recheck_due_on <= today:
            people.append(f"{r.volunteer} (overdue since {show_date(r.recheck_due_on)})")
        else:
            people.append(f"{r.volunteer} (by {show_date(r.recheck_due_on)})")
    n = len(rechecks)
    what = "DBS recheck is" if n == 1 else "DBS rechecks are"
    return f"{n} {what} due in the next 60 days or overdue: {_some(people)}."


def _some(items: list[str]) -> str:
    """The first few, then how many more: "A, B and C, and 4 more"."""
    shown, more = items[:NAMES_SHOWN], len(items) - NAMES_SHOWN
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"{listed}, and {more} more" if more > 0 else listed


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
