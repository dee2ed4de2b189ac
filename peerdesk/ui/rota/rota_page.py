"""The Rota area: Week, Month and List views of the shifts (and "My shifts" for a volunteer),
filtered by venue, activity and volunteer, with previous / today / next.

The page reads for the signed-in `Actor` through short read sessions, each time a view or a
filter changes and each time the page is shown (so changes made elsewhere appear). Opening a
shift or asking for a new one is announced by signal; the `RotaDesk` opens the dialogs.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.services.browse import calendar, calendar_choices
from peerdesk.services.browse.calendar import RotaFilter
from peerdesk.services.browse.calendar_choices import Choice
from peerdesk.services.permissions import Permission, can
from peerdesk.ui.list_page import ListPage
from peerdesk.ui.rota.fields import add_choices, choose, chosen_id
from peerdesk.ui.rota.list_view import rota_sources
from peerdesk.ui.rota.month_view import MonthView, grid_days
from peerdesk.ui.rota.my_shifts import MyShiftsView
from peerdesk.ui.rota.week_view import WeekView, monday_of
from peerdesk.ui.rota.wording import YOURS, colour, month_title, week_title
from peerdesk.wording import Staffing

if TYPE_CHECKING:
    from peerdesk.services.permissions import Actor
    from peerdesk.ui.paged_model import Reader

WEEK, MONTH, LIST, MINE = "week", "month", "list", "mine"
VIEWS = ((WEEK, "&Week"), (MONTH, "&Month"), (LIST, "&List"), (MINE, "M&y shifts"))


class RotaPage(QWidget):
    shift_opened = Signal(object)  # a CalendarShift, from any view
    new_shift_requested = Signal(object)  # the day shown (a date)
    new_pattern_requested = Signal()
    places_requested = Signal()  # "Venues and activities…"
    patterns_requested = Signal()  # "Patterns…": see, change and end the shift patterns

    def __init__(self, shift_list: ListPage) -> None:
        super().__init__()
        self.shift_list = shift_list
        self._read: Reader | None = None
        self._actor: Actor | None = None
        self._names = False  # whether this person sees who is on shifts (and filters by them)
        self.day = clock.today()  # the day the calendar is on
        self.today = clock.today()
        self.week = WeekView()
        self.month = MonthView()
        self.mine = MyShiftsView()
        self.tabs = QTabBar()
        self.stack = QStackedWidget()
        self.period = QLabel()
        self.previous = _arrow("◀", "Previous", "Alt+Left")
        self.go_today = QPushButton("&Today")
        self.next = _arrow("▶", "Next", "Alt+Right")
        self.venue = _filter_box("Venue")
        self.activity = _filter_box("Activity")
        self.volunteer = _filter_box("Volunteer")
        self.new_shift = QPushButton("New &shift…")
        self.new_pattern = QPushButton("New patte&rn…")
        self.places = QPushButton("Venues and acti&vities…")
        self.patterns = QPushButton("&Patterns…")
        self._lay_out()
        self._connect()

    # Layout ------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<h2>Rota</h2>"))
        heading.addStretch(1)
        heading.addWidget(self.new_shift)
        heading.addWidget(self.new_pattern)
        heading.addWidget(self.patterns)
        heading.addWidget(self.places)
        for key, label in VIEWS:
            self.tabs.setTabData(self.tabs.addTab(label), key)
        self.tabs.setExpanding(False)
        self.tabs.setAccessibleName("Rota views")
        _hide_heading(self.shift_list)
        for view in (self.week, self.month, self.shift_list, self.mine):
            self.stack.addWidget(view)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(self._navigation())
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(self._filters())
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(_legend())

    def _navigation(self) -> QHBoxLayout:
        """The views, then previous / today / next and the week or month shown."""
        bar = QHBoxLayout()
        bar.addWidget(self.tabs)
        bar.addSpacing(12)
        for button in (self.previous, self.go_today, self.next):
            bar.addWidget(button)
        big = self.period.font()
        big.setPointSizeF(big.pointSizeF() * 1.2)
        big.setBold(True)
        self.period.setFont(big)
        self.period.setAccessibleName("Period shown")
        # A narrow window clips the period rather than growing wider than the screen.
        self.period.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.period, 1)
        return bar

    def _filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for text, box in (("Ven&ue:", self.venue), ("&Activity:", self.activity)):
            bar.addWidget(_buddy(text, box))
            bar.addWidget(box, 1)
        self.volunteer_label = _buddy("V&olunteer:", self.volunteer)
        bar.addWidget(self.volunteer_label)
        bar.addWidget(self.volunteer, 1)
        return bar

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._view_changed)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.go_today.clicked.connect(self.show_today)
        for box in (self.venue, self.activity, self.volunteer):
            box.currentIndexChanged.connect(self._filter_changed)
        for view in (self.week, self.month, self.mine):
            view.shift_chosen.connect(self.shift_opened)
        self.month.day_chosen.connect(self.show_week_of)
        self.week.page_changed.connect(self._title_week)
        self.shift_list.row_opened.connect(self.shift_opened)
        self.new_shift.clicked.connect(lambda: self.new_shift_requested.emit(self.day))
        self.new_pattern.clicked.connect(self.new_pattern_requested)
        self.places.clicked.connect(self.places_requested)
        self.patterns.clicked.connect(self.patterns_requested)

    # Signed in and out -------------------------------------------------------------------------
    def attach(self, read: "Reader", actor: "Actor", today: date) -> None:
        """Read for `actor`: filters filled, the tabs and buttons their role uses."""
        self._read, self._actor = read, actor
        self.today = self.day = today
        self.month.month.people_for = self._people_for
        self._fill_filters()
        self._names = names = calendar.sees_names(actor)
        self.volunteer.setVisible(names)
        self.volunteer_label.setVisible(names)
        self.tabs.setTabVisible(3, actor.volunteer_id is not None)
        for button in (self.new_shift, self.new_pattern, self.patterns, self.places):
            button.setVisible(can(actor, Permission.EDIT_ROTA))
        saved = QSettings().value("rota/view", WEEK)
        self.show_view(saved if saved in dict(VIEWS) else WEEK)
        self.reload()

    def _fill_filters(self) -> None:
        if self._read is None or self._actor is None:
            return
        with self._read() as session:
            venues = calendar_choices.venue_choices(session, self._actor)
            activities = calendar_choices.activity_choices(session, self._actor)
            volunteers = calendar_choices.volunteer_choices(session, self._actor)
        _fill(self.venue, "All venues", venues)
        _fill(self.activity, "All activities", activities)
        _fill(self.volunteer, "Everyone", volunteers)

    def choices_changed(self) -> None:
        """A venue or activity was added, renamed or retired: the filter boxes offer it at once
        (keeping what was chosen), and the shifts show the new names."""
        self._fill_filters()
        self.reload()

    def detach(self) -> None:
        """Forget everything shown (locking the screen): rows, names in the filter boxes."""
        self._read, self._actor = None, None
        self.month.month.people_for = None
        self.week.week.forget()
        self.month.month.forget()
        self.mine.clear()
        for box in (self.venue, self.activity, self.volunteer):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)
        self.period.clear()

    @property
    def only(self) -> RotaFilter:
        return RotaFilter(
            venue_id=chosen_id(self.venue),
            activity_id=chosen_id(self.activity),
            volunteer_id=chosen_id(self.volunteer) if self._names else None,
        )

    # Views and navigation ----------------------------------------------------------------------
    @property
    def view(self) -> str:
        return str(self.tabs.tabData(self.tabs.currentIndex()))

    def show_view(self, key: str) -> None:
        index = next(n for n, (k, _label) in enumerate(VIEWS) if k == key)
        if not self.tabs.isTabVisible(index):
            index = 0
        self.tabs.setCurrentIndex(index)
        self._view_changed(index)

    def _view_changed(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        key = self.view
        calendar_view = key in (WEEK, MONTH)
        for button in (self.previous, self.go_today, self.next):
            button.setVisible(calendar_view)
        self.filter_bar.setVisible(key != MINE)  # "My shifts" are one person's, unfiltered
        if self._actor is not None:
            QSettings().setValue("rota/view", key)
            self.reload()

    def step(self, direction: int) -> None:
        if self.view == WEEK:
            self.day = self.week.stepped(self.day, direction)  # a week, or a page of its days
        elif self.view == MONTH:
            self.day = _add_months(self.day, direction)
        self.reload()

    def show_today(self) -> None:
        self.day = self.today
        self.reload()

    def show_week_of(self, day: date) -> None:
        self.day = day
        self.show_view(WEEK)

    def focus_filter(self) -> None:
        """Find (Ctrl+F): the List view's text filter."""
        self.show_view(LIST)
        self.shift_list.focus_filter()

    def _filter_changed(self, _index: int) -> None:
        if self._actor is not None:
            self.reload()

    # Reading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the view shown again; a page not on screen waits for its showEvent, so signing
        in (which opens on Today) costs no rota reads."""
        read, actor = self._read, self._actor
        if read is None or actor is None or not self.isVisible():
            return
        view = self.view
        if view == LIST:
            self.period.clear()  # the list says how many shifts it holds
            upcoming, everything = rota_sources(self.only)
            self.shift_list.attach(upcoming, read, actor, everything)
            return
        with read() as session:
            if view == MINE:
                self.period.setText("Your shifts")
                self.mine.show_shifts(calendar.my_shifts(session, actor, self.today))
            elif view == MONTH:
                first, last = grid_days(self.day.replace(day=1))
                shifts = calendar.shifts_between(
                    session, actor, first, last, self.only, people=False
                )
            else:
                monday = monday_of(self.day)
                shifts = calendar.shifts_between(
                    session, actor, monday, monday + timedelta(days=6), self.only
                )
        if view == MONTH:
            self.period.setText(month_title(self.day))
            self.month.month.show_month(self.day, shifts, self.today)
            self.month.select_day(self.day)
        elif view == WEEK:
            self.week.week.show_week(self.day, shifts, self.today)
            self.week.select_day(self.day)
            self._title_week()

    def _title_week(self) -> None:
        if self.view == WEEK and self._actor is not None:  # not over the month, nor signed out
            self.period.setText(week_title(self.week.first_day_shown(), self.week.last_day_shown()))

    def _people_for(self, keys: list[str]) -> dict[str, list[calendar.OnShift]]:
        if self._read is None or self._actor is None:
            return {}
        with self._read() as session:
            return calendar.people_on(session, self._actor, keys)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()  # changes made elsewhere (a volunteer who left) show at once


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _arrow(text: str, name: str, keys: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(f"{name} week or month")
    button.setToolTip(f"{name} week or month ({keys})")
    button.setShortcut(QKeySequence(keys))
    button.setMaximumWidth(button.fontMetrics().horizontalAdvance(text) + 32)
    return button


def _filter_box(name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(f"Filter by {name.lower()}")
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(6)
    return box


def _fill(box: QComboBox, everything: str, choices: list[Choice]) -> None:
    """Keep what was chosen if it is still there (signing in again as the same person)."""
    chosen = chosen_id(box)
    box.blockSignals(True)
    box.clear()
    box.addItem(everything, None)
    add_choices(box, choices)
    if not choose(box, chosen):
        box.setCurrentIndex(0)
    box.blockSignals(False)


def _buddy(text: str, box: QComboBox) -> QLabel:
    label = QLabel(text)
    label.setBuddy(box)
    return label


def _legend() -> QLabel:
    """What the colours say, in words: colour is never the only cue."""
    swatch = "<span style='color:{}'>■</span> {}"
    parts = [
        swatch.format(colour(w).name(), w.capitalize())
        for w in (Staffing.FILLED, Staffing.SHORT, Staffing.UNFILLED, Staffing.OVER)
    ]
    parts.append(f"{YOURS} your shifts")
    label = QLabel(" &nbsp; ".join(parts))
    label.setAccessibleName("Colours")
    return label


def _hide_heading(page: ListPage) -> None:
    """The list sits under the Rota heading: its own would say "Rota" twice."""
    layout = page.layout()
    first = layout.itemAt(0) if layout is not None else None
    heading = first.widget() if first is not None else None
    if isinstance(heading, QLabel):
        heading.hide()
