"""Logging a session through the real window: the common case in at most six interactions from
the sign-in screen, a refused save that keeps the form, a debrief request and a concern."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    ConcernCategory,
    FollowUp,
    FollowUpKind,
    SafeguardingConcern,
    SessionLog,
    Shift,
    SupervisionPairing,
    User,
    Venue,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.ui.concern_form import ConcernDialog
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.session_log_form import LogSessionPage
from tests.conftest import TEST_SECRET
from tests.ui.conftest import Answers, OpenWindow, SignInAs, open_group


@dataclass
class Logging:
    folder: DataFolder
    just_run: uuid.UUID  # Vic's shift that ended half an hour ago
    last_week: uuid.UUID


def _open(folder: DataFolder) -> Store:
    return open_group(folder)


@pytest.fixture
def logging(org_folder: DataFolder) -> Logging:
    """Vic (a volunteer) and Sam (their supervisor) with volunteer records; Vic was on the
    group that ended half an hour ago with Ola, and on a 1:1 last week."""
    now = clock.now().replace(second=0, microsecond=0)
    store = _open(org_folder)
    try:
        with store.session() as s:
            people = {n: Volunteer(preferred_name=n, status=VolunteerStatus.ACTIVE)
                      for n in ("Vic", "Sam", "Ola")}  # fmt: skip
            group = Activity(name="Wednesday group", kind=ActivityKind.GROUP)
            one = Activity(name="1:1 support", kind=ActivityKind.ONE_TO_ONE)
            hall = Venue(name="Church hall")
            s.add_all([*people.values(), group, one, hall])
            s.flush()
            users = {u.username: u for u in s.scalars(select(User))}
            users["vic"].volunteer_id = people["Vic"].id
            users["sam"].volunteer_id = people["Sam"].id
            s.add(SupervisionPairing(supervisor_user_id=users["sam"].id,
                                     volunteer_id=people["Vic"].id,
                                     since_on=now.date() - timedelta(days=90)))  # fmt: skip
            shifts = []
            ago_by_activity = ((group, timedelta(hours=2, minutes=30)), (one, timedelta(days=7)))
            for activity, ago in ago_by_activity:
                shift = Shift(activity_id=activity.id, venue_id=hall.id, starts_at=now - ago,
                              ends_at=now - ago + timedelta(hours=2))  # fmt: skip
                s.add(shift)
                s.flush()
                shifts.append(shift.id)
                for name in ("Vic", "Ola") if activity is group else ("Vic",):
                    s.add(Assignment(shift_id=shift.id, volunteer_id=people[name].id,
                                     status=AssignmentStatus.CONFIRMED))  # fmt: skip
    finally:
        store.close(backup=False)
    return Logging(org_folder, shifts[0], shifts[1])


class Person:
    """Drives the window as a person would, counting each interaction: one click, typing into
    one field, or one key press."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.count = qtbot, 0

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str, into: QWidget | None = None) -> None:
        self.qtbot.keyClicks(into or self.focused(), text)
        self.count += 1

    def press(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.focused(), key)
        self.count += 1

    def click(self, widget: QWidget, at: object = None) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)  # type: ignore[arg-type]
        self.count += 1


def log_page(window: MainWindow) -> LogSessionPage:
    return window.session_desk.log_page  # type: ignore[no-any-return]


def saved_logs(folder: DataFolder) -> list[SessionLog]:
    store = _open(folder)
    try:
        with store.read() as s:
            return list(s.scalars(select(SessionLog)))
    finally:
        store.close(backup=False)


def test_the_common_case_takes_six_interactions_from_the_sign_in_screen(
    open_window: OpenWindow, logging: Logging, qtbot: QtBot
) -> None:
    window, _control = open_window(logging.folder)
    sign_in = window.sign_in_page
    assert sign_in is not None
    window.activateWindow()  # the window as it opens, in front: not the person's doing
    # The cursor starts in the username (an editable list of names: the box or its text).
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (sign_in.username, sign_in.username_text))
    person = Person(qtbot)
    person.type("vic")  # 1: the username
    person.press(Qt.Key.Key_Return)  # 2: on to the password
    assert person.focused() is sign_in.secret
    person.type(TEST_SECRET)  # 3
    person.press(Qt.Key.Key_Return)  # 4: sign in
    page = log_page(window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=10_000)
    # The shift just run is picked, its details filled in, the cursor on the head count.
    assert page.picked_shift() == logging.just_run
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.fields.attendees)
    person.type("7")  # 5: how many came
    person.press(Qt.Key.Key_Return)  # 6: save
    assert person.count == 6
    assert page.done.text().startswith("Saved. Thank you")
    # The next un-logged shift is one click away.
    assert page.shifts.count() == 2  # last week's, and "Something else"
    window.close()  # signs out and lets go of the folder
    [log] = saved_logs(logging.folder)
    assert (log.shift_id, log.attendees, log.new_attendees) == (logging.just_run, 7, 0)
    assert log.volunteer_id is not None and log.notes is None


def test_another_shift_is_one_click(signed_in_as: SignInAs, logging: Logging, qtbot: QtBot) -> None:
    window, control = signed_in_as("vic")
    window.activateWindow()
    page = log_page(window)
    person = Person(qtbot)
    second = page.shifts.item(1)
    person.click(page.shifts.viewport(), page.shifts.visualItemRect(second).center())
    assert page.picked_shift() == logging.last_week
    assert page.fields.activity.currentText() == "1:1 support"
    assert QApplication.focusWidget() is page.fields.attendees
    person.type("1")
    person.press(Qt.Key.Key_Return)
    assert person.count == 3
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.scalars(select(SessionLog.shift_id)).all() == [logging.last_week]


def test_a_refused_save_keeps_everything_and_says_why(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    page = log_page(window)
    page.fields.attendees.setText("3")
    page.fields.new_attendees.setText("5")
    page.fields.notes.setPlainText("One participant found it hard to talk today.")
    page.debrief.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.problem.isVisible()
    assert page.problem.text() == (
        "More people are new (5) than came (3): the new people are counted among those who came."
    )
    assert (page.fields.attendees.text(), page.fields.new_attendees.text()) == ("3", "5")
    assert page.fields.notes.toPlainText().startswith("One participant")
    assert page.debrief.isChecked() and page.picked_shift() == logging.just_run
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.scalars(select(SessionLog)).all() == []
    page.fields.attendees.setText("x")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.problem.text() == "Type the number of people came as a whole number, like 4."


def test_debrief_and_concern_from_the_log(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot, answers: Answers
) -> None:
    window, control = signed_in_as("vic")
    page = log_page(window)
    qtbot.keyClicks(page.fields.attendees, "5")
    page.debrief.setChecked(True)
    page.concern.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "supervisor will be in touch" in page.done.text()
    dialog = window.session_desk.dialog
    assert isinstance(dialog, ConcernDialog) and dialog.isVisible()
    dialog.category.setCurrentIndex(
        dialog.category.findData(ConcernCategory.ABUSE_OR_NEGLECT.value)
    )
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Say what happened: a few words are enough."
    qtbot.keyClicks(dialog.what, "A participant described being hurt at home.")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert answers.shown[-1].startswith("Your concern has reached the coordinators")
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        log = s.scalars(select(SessionLog)).one()
        concern = s.scalars(select(SafeguardingConcern)).one()
        kinds = sorted(f.kind for f in s.scalars(select(FollowUp)))
        sam = s.scalar(select(User.id).where(User.username == "sam"))
        assigned = set(s.scalars(select(FollowUp.assigned_user_id)))
    assert log.debrief_requested and log.safeguarding_flag and log.attendees == 5
    assert concern.session_log_id == log.id
    assert concern.category is ConcernCategory.ABUSE_OR_NEGLECT
    assert kinds == [FollowUpKind.CONCERN, FollowUpKind.DEBRIEF] and assigned == {sam}


def test_coordinators_land_on_today_and_without_a_volunteer_record_have_no_log_page(
    signed_in_as: SignInAs, logging: Logging
) -> None:
    window, _ = signed_in_as("coordinator")
    assert window.stack.currentWidget() is window.today
    assert "log" not in window.area_keys()


def test_a_session_past_midnight_ends_the_next_day(
    signed_in_as: SignInAs, logging: Logging
) -> None:
    window, _ = signed_in_as("vic")
    fields = log_page(window).fields
    fields.day.setText("25 Nov 2026")
    fields.starts.setTime(QTime(23, 0))
    fields.ends.setTime(QTime(0, 30))
    fields.attendees.setText("2")
    typed = fields.read()
    assert typed.ended_at - typed.started_at == timedelta(hours=1, minutes=30)
    assert typed.ended_at.date().day == 26
