"""The Reports area: choose a quarter, a financial year or custom dates, see the governance
figures on screen, write the narrative, export the PDF (on the background worker, with
progress) and, for trustees, sign off an exported report. The list of past exports stays
underneath, as before.

The figures are read on the GUI thread (a few hundred milliseconds for a year of a busy group,
on a button press); rendering and writing the PDF run on the task runner."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.services.permissions import Permission, can
from peerdesk.ui.list_page import ListPage
from peerdesk.wording import SHORT_MONTHS

if TYPE_CHECKING:
    from peerdesk.services.permissions import Actor
    from peerdesk.services.reporting.figures import Audience, GovernanceFigures, Period
    from peerdesk.services.reporting.records import Narrative

QUARTER, YEAR, CUSTOM = "Quarter", "Financial year", "Custom dates"
NARRATIVE_HINTS = {
    "highlights": "What went well: new groups, milestones, thanks.",
    "challenges": "What was hard, and what you are doing about it.",
    "learning": "What the group learned and will change.",
    "lived_experience": "How volunteers and participants with lived experience shaped the work.",
}


@dataclass(frozen=True)
class PeriodChoice:
    label: str
    start: date
    end: date


def financial_year_start(day: date, month: int = 4) -> date:
    """The first day of the financial year (starting in `month`) that `day` falls in."""
    return date(day.year if day.month >= month else day.year - 1, month, 1)


def _month_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def year_label(start: date) -> str:
    """ "2026–27" for a financial year starting in 2026; a calendar year is just "2026"."""
    return str(start.year) if start.month == 1 else f"{start.year}–{str(start.year + 1)[2:]}"


def quarters(today: date, count: int = 8, month: int = 4) -> list[PeriodChoice]:
    """Calendar quarters (the ones a public report may cover), newest first, the current one
    included. Where the financial year starts with a quarter (`month` January, April, July or
    October) each is named by its number in the financial year (Q1 from `month`)."""
    start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    numbered = month % 3 == 1
    found = []
    for _ in range(count):
        end = _month_after(start, 3) - timedelta(days=1)
        months = f"{SHORT_MONTHS[start.month - 1]}–{SHORT_MONTHS[end.month - 1]} {end.year}"
        if numbered:
            number = (start.month - month) % 12 // 3 + 1
            label = f"Q{number} {year_label(financial_year_start(start, month))} ({months})"
        else:
            label = months
        found.append(PeriodChoice(label, start, end))
        start = _month_after(start, -3)
    return found


def quarter_choices(today: date, month: int = 4) -> list[PeriodChoice]:
    """What the quarter list offers: this quarter so far (to today), then the whole quarters
    before it."""
    current, *whole = quarters(today, month=month)
    so_far = f"This quarter so far ({show_date(current.start)} – {show_date(today)})"
    return [PeriodChoice(so_far, current.start, today), *whole]


def years(today: date, count: int = 5, month: int = 4) -> list[PeriodChoice]:
    """Financial years starting in `month`, newest (the current one) first."""
    first = financial_year_start(today, month)
    found = []
    for n in range(count):
        start = date(first.year - n, month, 1)
        end = _month_after(start, 12) - timedelta(days=1)
        found.append(PeriodChoice(year_label(start), start, end))
    return found


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day_of(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_field() -> QDateEdit:
    field = QDateEdit()
    field.setCalendarPopup(True)
    field.setDisplayFormat("d MMM yyyy")  # the British way, as everywhere in peerdesk
    return field


class ReportsPage(QWidget):
    """The page: period, figures, narrative and the past exports."""

    def __init__(self, exports: ListPage) -> None:
        super().__init__()
        self.exports = exports
        # Whether the group logged any session between two days (set by whoever shows the
        # page): a quarter with none is not the one to open on.
        self.has_sessions: Callable[[date, date], bool] = lambda _start, _end: True
        self.year_start_month = 4  # the organisation's, set by whoever shows the page
        for label in exports.findChildren(QLabel):
            if label.text() == "<h2>Reports</h2>":
                label.hide()  # this page has the heading; the tab says what the list is
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of period")
        self.choice = QComboBox()
        self.choice.setAccessibleName("Period")
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice.setMinimumContentsLength(22)  # "Q2 2026–27 (Jul–Sep)" whole
        self.reader = QComboBox()
        self.reader.setAccessibleName("Report for")
        self.start, self.end = date_field(), date_field()
        self.start.setAccessibleName("First day")
        self.end.setAccessibleName("Last day")
        self.show_figures = QPushButton("&Show figures")
        self.export = QPushButton("E&xport PDF…")
        self.sign_off = QPushButton("Si&gn off selected report…")
        self.status = QLabel(wordWrap=True)
        self.figures = QTextBrowser()
        self.figures.setAccessibleName("Figures")
        self.figures.setPlaceholderText(
            "Choose a period and press Show figures: they appear here as the report prints them."
        )
        self.narrative: dict[str, QPlainTextEdit] = {}
        self.tabs = QTabWidget()
        self._lay_out()
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self._fill_kinds()

    def _fill_kinds(self) -> None:
        if self.kind.count() == 0:
            self.kind.addItems([QUARTER, YEAR, CUSTOM])  # and with it, this quarter's choices

    def _fill_readers(self) -> None:
        from peerdesk.services.reporting.figures import Audience

        if self.reader.count() == 0:
            self.reader.addItem("For the board: exact, confidential", Audience.BOARD)
            self.reader.addItem("For funders: small numbers protected", Audience.PUBLIC)

    def audience(self) -> "Audience":
        from peerdesk.services.reporting.figures import Audience

        chosen = self.reader.currentData()
        return chosen if isinstance(chosen, Audience) else Audience.BOARD

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.reader)
        bar.addWidget(self.kind)
        # The period takes the bar's spare width: "This quarter so far (1 Oct 2026 – 8 Dec 2026)"
        # is read whole on a laptop's screen, and still fits at 200 % (22 characters at least).
        bar.addWidget(self.choice, 1)
        dates = QHBoxLayout()
        parts: tuple[QWidget, ...] = (
            QLabel("From"),
            self.start,
            QLabel("to"),
            self.end,
            self.show_figures,
        )
        for part in parts:
            dates.addWidget(part)
        dates.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.export)
        actions.addWidget(self.sign_off)
        actions.addWidget(self.status, 1)
        words = QWidget()
        form = QVBoxLayout(words)
        intro = QLabel(
            "Your words for the report. Please name nobody: the report is shared with hosts and "
            "funders. What you write is kept with the exported report."
        )
        intro.setWordWrap(True)
        form.addWidget(intro)
        from peerdesk.services.reporting.records import Narrative

        for key, title in Narrative.TITLES.items():
            edit = QPlainTextEdit(placeholderText=NARRATIVE_HINTS[key])
            edit.setAccessibleName(title)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(90)
            self.narrative[key] = edit
            label = QLabel(f"<b>{title}</b>")
            label.setBuddy(edit)
            form.addWidget(label)
            form.addWidget(edit, 1)
        self.tabs.addTab(self.figures, "F&igures")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(words)
        self.tabs.addTab(scroll, "&Narrative")
        self.tabs.addTab(self.exports, "Exported &reports")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reports</h2>"))
        layout.addLayout(bar)
        layout.addLayout(dates)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)

    # Period ---------------------------------------------------------------------------------
    def _kind_changed(self, kind: str) -> None:
        today, month = clock.today(), self.year_start_month
        options = quarter_choices(today, month) if kind == QUARTER else []
        options = years(today, month=month) if kind == YEAR else options
        self.choice.blockSignals(True)
        self.choice.clear()
        for option in options:
            self.choice.addItem(option.label, option)
        self.choice.blockSignals(False)
        self.choice.setEnabled(bool(options))
        custom = kind == CUSTOM
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if options:
            # The last complete quarter or year is what is usually reported; a new group with
            # nothing in it yet starts on this quarter so far, where its first sessions are.
            last_whole = options[1] if len(options) > 1 else options[0]
            quiet = kind == QUARTER and not self.has_sessions(last_whole.start, last_whole.end)
            self.choice.setCurrentIndex(0 if quiet or len(options) == 1 else 1)
            self._choice_changed()

    def set_year_start(self, month: int) -> None:
        """The financial year now starts in `month`: the quarters and years offered follow
        (the kind of period chosen stays)."""
        if month == self.year_start_month:
            return
        self.year_start_month = month
        if self.kind.count():
            self._kind_changed(self.kind.currentText())

    def _choice_changed(self) -> None:
        option = self.choice.currentData()
        if isinstance(option, PeriodChoice):
            self.start.setDate(qdate(option.start))
            self.end.setDate(qdate(option.end))

    def period(self) -> "Period":
        from peerdesk.services.reporting.figures import Period

        return Period(day_of(self.start.date()), day_of(self.end.date())).check()

    # Narrative ------------------------------------------------------------------------------
    def narrative_text(self) -> "Narrative":
        from peerdesk.services.reporting.records import Narrative

        return Narrative(**{k: e.toPlainText().strip() for k, e in self.narrative.items()})

    def set_narrative(self, words: "Narrative") -> None:
        for key, edit in self.narrative.items():
            edit.setPlainText(getattr(words, key))

    def narrative_typed(self) -> bool:
        return any(e.toPlainText().strip() for e in self.narrative.values())

    # Showing --------------------------------------------------------------------------------
    def show_for(self, actor: "Actor") -> None:
        self._fill_kinds()  # the quarters move on while the window stays open
        self._fill_readers()
        # Only the board (coordinators and trustees) has figures; the services refuse the rest.
        figures = can(actor, Permission.VIEW_FIGURES)
        self.export.setVisible(figures and can(actor, Permission.EXPORT_REPORTS))
        self.show_figures.setVisible(figures)
        self.reader.setVisible(figures)
        self.sign_off.setVisible(can(actor, Permission.SIGN_OFF_REPORTS))
        for edit in self.narrative.values():
            edit.setReadOnly(not can(actor, Permission.WRITE_NARRATIVE))

    def show_figures_of(self, figures: "GovernanceFigures") -> None:
        from peerdesk.ui.report_figures import figures_html

        self.figures.setHtml(figures_html(figures))
        self.status.setText(f"Figures fingerprint {figures.fingerprint[:16]}…")

    def clear(self) -> None:
        """Forget everything shown (signing out): no model keeps rows behind the sign-in
        screen, not even the list of periods."""
        self.kind.clear()
        self.choice.clear()
        self.reader.clear()
        self.figures.clear()
        self.status.clear()
        for edit in self.narrative.values():
            edit.clear()
