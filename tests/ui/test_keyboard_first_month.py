"""A new group's first month by keyboard alone (no mouse events), after the set-up in
test_keyboard_path: import the volunteers from a spreadsheet, give one a sign-in, make a rota
pattern, put her on its first shift, log the session and export the governance report,
checking the database after each step. Every key goes to whatever has the focus, as a person's
would; a control Tab cannot reach, or that is cut off, fails the test. The simulated key presses
are counted: the figure a new coordinator's trial is measured in."""

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from shiboken6 import isValid
from sqlalchemy import select

from peerdesk.dates import DEFAULT_ZONE
from peerdesk.db.paths import DataFolder
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    ReportExport,
    Role,
    SessionLog,
    ShiftPattern,
    User,
    UserRole,
    Venue,
    Volunteer,
)
from peerdesk.services.auth import SignedIn
from peerdesk.services.organisation import create_organisation
from peerdesk.ui.import_wizard import ImportWizard
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.sign_in_giving import FirstSecretDialog, GiveSignInDialog
from peerdesk.ui.volunteer_editor import VolunteerEditor
from tests.ui import test_keyboard_path as keys
from tests.ui.conftest import Answers, OpenWindow
from tests.ui.keyboard_checks import cut_off, mnemonic_owners
from tests.ui.test_any_screen import WINDOW

TODAY = date(2026, 12, 1)  # a Tuesday; the clock starts at noon
pytestmark = pytest.mark.today(TODAY)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "volunteers-tidy.csv"


@pytest.fixture
def new_group(coordinator: SignedIn) -> DataFolder:
    """A group on its first day: its name and the roles the spreadsheet names (set up by keys
    in test_keyboard_path), nobody on record yet."""
    with coordinator.store.session(coordinator.actor) as s:
        create_organisation(s, "Riverside Peer Support")
        s.add_all(Role(name=n) for n in ("Peer supporter", "Group facilitator", "Coordinator"))
        s.add(Activity(name="Tuesday drop-in", kind=ActivityKind.GROUP))
        s.add(Venue(name="Riverside Library"))
    coordinator.store.close(backup=False)
    return coordinator.store.folder


class Keys:
    """Presses keys where the focus is, as test_keyboard_path does, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.count = qtbot, 0

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.count += 1
        # An open menu has the keyboard, as it does on a desktop.
        here = QApplication.activePopupWidget() or keys.focused()
        assert here is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(here, key, modifier)

    def alt(self, letter: str) -> None:
        here = keys.focused()
        window = here.window() if here is not None else None
        owners = mnemonic_owners(window).get(letter, []) if window is not None else []
        self.press(getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
        # A button's Alt-letter presses it for a moment and clicks when it comes up: what it
        # does happens after that, not at once (reading the database at once found nothing).
        buttons = [w for w in owners if isinstance(w, QAbstractButton)]
        self.qtbot.waitUntil(lambda: not any(isValid(b) and b.isDown() for b in buttons))

    def type(self, text: str) -> None:
        self.count += 1  # typing a word is one step for a person, however long the word
        keys.type_in(self.qtbot, text)


def import_the_spreadsheet(k: Keys, window: MainWindow, signed: SignedIn) -> None:
    """File ▸ Import volunteers…, the file's path typed, then Enter through each page."""
    k.alt("f")
    k.press(Qt.Key.Key_I)
    wizard = keys.new_dialog(k.qtbot, ImportWizard)
    assert isinstance(wizard, ImportWizard)
    assert wizard.file_page.path.hasFocus(), "the wizard opens on its file field"
    k.type(str(SAMPLE))
    k.press(Qt.Key.Key_Return)
    k.qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10_000)
    k.press(Qt.Key.Key_Return)
    page = wizard.preview_page
    k.qtbot.waitUntil(lambda: page.result is not None and not page.busy, timeout=10_000)
    assert not cut_off(wizard), cut_off(wizard)
    assert page.counts.text() == "5 ready · 0 with problems", page.counts.text()
    k.press(Qt.Key.Key_Return)
    k.qtbot.waitUntil(lambda: not isValid(wizard) or not wizard.isVisible(), timeout=10_000)
    with signed.store.read() as s:
        names = sorted(s.scalars(select(Volunteer.preferred_name)))
    assert len(names) == 5 and "Amara" in names


def give_a_sign_in(k: Keys, window: MainWindow, signed: SignedIn) -> None:
    """Volunteers, the filter, Tab to the list, Enter on Amara, Give a sign-in (Alt+G)."""
    keys.back_to(k.qtbot, window)
    number = window.area_keys().index("volunteers") + 1
    k.press(getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    k.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find: the list's filter
    k.type("Amara")
    page = window.pages["volunteers"]
    table = page.table  # type: ignore[attr-defined]
    k.qtbot.waitUntil(lambda: table.model() is not None and table.model().rowCount() == 1)
    while not table.hasFocus():
        k.press(Qt.Key.Key_Tab)
        assert k.count < 60, "Tab never reaches the list"
    k.press(Qt.Key.Key_Down)
    k.press(Qt.Key.Key_Return)
    editor = keys.new_dialog(k.qtbot, VolunteerEditor)
    k.alt("g")
    give = keys.new_dialog(k.qtbot, GiveSignInDialog)
    assert isinstance(give, GiveSignInDialog) and give.username.text() == "amara"
    k.press(Qt.Key.Key_Return)
    shown = keys.new_dialog(k.qtbot, FirstSecretDialog)
    k.alt("h")  # I have handed it over
    k.qtbot.waitUntil(lambda: not isValid(shown) or not shown.isVisible(), timeout=5_000)
    with signed.store.read() as s:
        amara = s.scalar(select(Volunteer.id).where(Volunteer.preferred_name == "Amara"))
        account = s.scalars(select(User).where(User.username == "amara")).one()
        assert (account.volunteer_id, account.role) == (amara, UserRole.VOLUNTEER)
    keys.back_to(k.qtbot, editor)
    k.press(Qt.Key.Key_Escape)
    k.qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible(), timeout=5_000)


def go_to(k: Keys, window: MainWindow, area: str) -> None:
    keys.back_to(k.qtbot, window)
    number = window.area_keys().index(area) + 1
    k.press(getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages[area]


def make_a_pattern(k: Keys, window: MainWindow, signed: SignedIn) -> None:
    """Rota, New pattern… (Alt+R), its title, activity and times; weekly from today."""
    from peerdesk.ui.rota.shift_forms import NewPatternDialog

    go_to(k, window, "rota")
    k.alt("r")
    form = keys.new_dialog(k.qtbot, NewPatternDialog)
    k.type("Tuesday drop-in")
    k.alt("a")  # the activity: the first one
    k.press(Qt.Key.Key_Down)
    k.alt("t")  # the time: from, Tab, to
    k.type("14:00")  # this afternoon: the day is pinned at noon
    k.press(Qt.Key.Key_Tab)
    k.type("16:00")
    k.press(Qt.Key.Key_Return)
    k.qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=10_000)
    with signed.store.read() as s:
        assert s.scalars(select(ShiftPattern.title)).all() == ["Tuesday drop-in"]


def put_someone_on(k: Keys, window: MainWindow, signed: SignedIn) -> None:
    """Rota, Tab to the week, Enter on today's shift; its "Put someone on" tab (Alt+P), the
    volunteer (Alt+V, a name typed), "Put on shift" (Alt+N)."""
    from peerdesk.ui.rota.shift_dialog import ShiftDialog

    go_to(k, window, "rota")
    week = window.rota_page.week
    while not week.hasFocus():
        k.press(Qt.Key.Key_Tab)
        assert k.count < 200, "Tab never reaches the week"
    assert week.week.shift(week.currentIndex()) is not None, "the week opens on today's shift"
    k.press(Qt.Key.Key_Return)
    dialog = keys.new_dialog(k.qtbot, ShiftDialog)
    assert isinstance(dialog, ShiftDialog)
    k.alt("p")  # the "Put someone on" tab
    k.alt("v")  # the volunteer box: a name typed, the completer fills in the rest
    k.type("Amara")
    k.alt("n")  # Put on shift
    with signed.store.read() as s:
        amara = s.scalar(select(Volunteer.id).where(Volunteer.preferred_name == "Amara"))
        on = s.scalars(select(Assignment.volunteer_id)).all()
    assert on == [amara], dialog.problem.text()
    keys.back_to(k.qtbot, dialog)
    k.press(Qt.Key.Key_Escape)
    k.qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5_000)


def log_the_session(k: Keys, window: MainWindow, signed: SignedIn) -> None:
    """After the shift: Sessions, "Log a session…" (Alt+L) opens on the shift just run with
    who was on it; Enter, the head count, Enter."""
    from peerdesk.ui.session_log_for_others import LogForOthersDialog

    go_to(k, window, "sessions")
    k.alt("l")
    dialog = keys.new_dialog(k.qtbot, LogForOthersDialog)
    assert isinstance(dialog, LogForOthersDialog)
    form = dialog.page
    k.qtbot.waitUntil(lambda: form.shifts.hasFocus(), timeout=5_000)
    assert form.runner.currentText().startswith("Amara"), form.runner.currentText()
    k.press(Qt.Key.Key_Return)
    assert form.fields.attendees.hasFocus()
    k.type("6")
    k.press(Qt.Key.Key_Return)
    k.qtbot.waitUntil(lambda: form.done.text().startswith("Saved for Amara"), timeout=10_000)
    with signed.store.read() as s:
        assert s.scalars(select(SessionLog.attendees)).all() == [6]
    k.press(Qt.Key.Key_Escape)
    k.qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5_000)


def export_the_report(k: Keys, window: MainWindow, signed: SignedIn, folder: Path) -> None:
    """Reports, "Export PDF…" (Alt+X): the file dialog opens on the file name; a folder that
    is not there is one sentence and nothing is written; then the whole path, Enter."""
    from PySide6.QtWidgets import QFileDialog

    go_to(k, window, "reports")
    page = window.reports_page
    assert page is not None
    for out in (folder / "not-here" / "report.pdf", folder / "report.pdf"):
        k.alt("x")
        dialog = keys.new_dialog(k.qtbot, QFileDialog)
        assert isinstance(keys.focused(), QLineEdit), "the file dialog opens on its file name"
        k.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        k.type(str(out))
        k.press(Qt.Key.Key_Return)
        k.qtbot.waitUntil(lambda d=dialog: not isValid(d) or not d.isVisible(), timeout=5_000)
        # The export's progress box has the keyboard until it is done.
        k.qtbot.waitUntil(page.export.isEnabled, timeout=30_000)
        keys.back_to(k.qtbot, window)
    assert (folder / "report.pdf").exists()
    with signed.store.read() as s:
        assert len(s.scalars(select(ReportExport)).all()) == 1
    assert not (folder / "not-here").exists()


# The File menu is a popup: on the headless test platform it cannot raise or grab the keyboard.
@pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_a_new_groups_first_month_by_keyboard(
    open_window: OpenWindow,
    new_group: DataFolder,
    qtbot: QtBot,
    answers: Answers,
    tmp_path: Path,
) -> None:
    window, control = open_window(new_group)
    window.resize(WINDOW)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    k = Keys(qtbot)
    keys.sign_in_by_keyboard(qtbot, window)
    signed = control.signed_in
    assert signed is not None
    keys.back_to(qtbot, window)
    import_the_spreadsheet(k, window, signed)
    give_a_sign_in(k, window, signed)
    make_a_pattern(k, window, signed)
    put_someone_on(k, window, signed)
    # The afternoon passes: the shift has been run.
    with time_machine.travel(datetime.combine(TODAY, time(17), ZoneInfo(DEFAULT_ZONE))):
        log_the_session(k, window, signed)
        export_the_report(k, window, signed, tmp_path)
    assert any(said.startswith("There is no folder") for said in answers.shown), answers.shown
    print(f"key presses after sign-in: {k.count}")
