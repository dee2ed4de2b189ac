"""The Sessions area through the window: filters and the totals they match, the export, a
coordinator's correction (audited) and a volunteer reading their own log."""

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import (
    Activity,
    ActivityKind,
    AuditEvent,
    SessionLog,
    SessionMode,
    User,
    Venue,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.account_people import link_to_volunteer
from peerdesk.services.auth import sign_in
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.session_log_dialog import SessionLogDialog
from tests.conftest import TEST_SECRET, TEST_USER
from tests.ui.conftest import Answers, SignInAs, open_group

NOTE = "One participant found it hard."


@pytest.fixture
def sessions_folder(org_folder: DataFolder) -> DataFolder:
    """Vic logged a group of 8 (2 new) three days ago and a 1:1 forty days ago."""
    now = clock.now().replace(microsecond=0)
    store = open_group(org_folder)
    try:
        with store.session() as s:
            vic = Volunteer(preferred_name="Vic", status=VolunteerStatus.ACTIVE)
            group = Activity(name="Wednesday group", kind=ActivityKind.GROUP)
            one = Activity(name="1:1 support", kind=ActivityKind.ONE_TO_ONE)
            hall = Venue(name="Church hall")
            s.add_all([vic, group, one, hall])
            s.flush()
            s.scalars(select(User).where(User.username == "vic")).one().volunteer_id = vic.id
            for activity, days, people, new in ((group, 3, 8, 2), (one, 40, 1, 1)):
                start = now - timedelta(days=days)
                s.add(SessionLog(volunteer_id=vic.id, activity_id=activity.id, venue_id=hall.id,
                                 mode=SessionMode.IN_PERSON, started_at=start,
                                 ended_at=start + timedelta(hours=2), attendees=people,
                                 new_attendees=new, notes=NOTE))  # fmt: skip
    finally:
        store.close(backup=False)
    return org_folder


def sessions(window: MainWindow) -> None:
    window.show_area("sessions")


ALL = "2 sessions · 4 volunteer hours · 9 attendances · 3 new people"
GROUP = "1 session · 2 volunteer hours · 8 attendances · 2 new people"


def test_filters_change_the_list_and_the_totals(
    signed_in_as: SignInAs, sessions_folder: DataFolder, qtbot: QtBot
) -> None:
    window, _ = signed_in_as("coordinator")
    sessions(window)
    desk = window.session_desk
    page = window.lists["sessions"]
    totals = desk.bar.totals
    qtbot.waitUntil(lambda: totals.text() == ALL)
    desk.bar.activity.setCurrentIndex(desk.bar.activity.findText("Wednesday group"))
    assert page.model is not None and page.model.rowCount() == 1
    qtbot.waitUntil(lambda: totals.text() == GROUP)
    desk.bar.activity.setCurrentIndex(0)
    desk.bar.period.setCurrentIndex(desk.bar.period.findText("The last 3 months"))
    assert page.model.rowCount() == 2
    desk.bar.period.setCurrentIndex(desk.bar.period.findText("This month"))
    assert page.model.rowCount() == int(page.model.total())


def test_export_writes_what_the_filter_shows(
    signed_in_as: SignInAs, sessions_folder: DataFolder, tmp_path: Path, answers: Answers
) -> None:
    window, _ = signed_in_as("coordinator")
    desk = window.session_desk
    desk.bar.activity.setCurrentIndex(desk.bar.activity.findText("1:1 support"))
    desk.export_to(tmp_path / "sessions.csv")
    assert answers.shown[-1].startswith("1 session log was saved to")
    lines = (tmp_path / "sessions.csv").read_text("utf-8-sig").splitlines()
    assert len(lines) == 2 and "1:1 support" in lines[1] and "hard" not in lines[1]
    desk.export_to(tmp_path / "nowhere" / "sessions.csv")
    assert answers.shown[-1].startswith("There is no folder")


def test_a_coordinator_corrects_a_log(
    signed_in_as: SignInAs, sessions_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    sessions(window)
    page = window.lists["sessions"]
    assert page.model is not None
    page.table.activated.emit(page.model.index(0, 0))  # the newest: the group
    dialog = window.session_desk.dialog
    assert isinstance(dialog, SessionLogDialog) and dialog.go.isVisible()
    assert dialog.fields.attendees.text() == "8"
    assert dialog.fields.notes.toPlainText() == "One participant found it hard."
    dialog.fields.attendees.setText("-2")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Head counts cannot be below 0: put in how many people came."
    dialog.fields.attendees.setText("9")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with control.signed_in.store.read() as s:
        assert sorted(s.scalars(select(SessionLog.attendees))) == [1, 9]
        change = s.scalars(
            select(AuditEvent.changes).where(
                AuditEvent.action == "update", AuditEvent.entity_type == "session_logs"
            )
        ).one()
    assert change is not None and '"attendees": [8, 9]' in change
    totals = window.session_desk.bar.totals
    qtbot.waitUntil(lambda: "10 attendances" in totals.text() and "3 new people" in totals.text())


def test_a_volunteer_reads_their_own_log(
    signed_in_as: SignInAs, sessions_folder: DataFolder
) -> None:
    window, _ = signed_in_as("vic")
    sessions(window)
    page = window.lists["sessions"]
    assert page.model is not None and page.model.rowCount() == 2
    page.table.activated.emit(page.model.index(0, 0))
    dialog = window.session_desk.dialog
    assert isinstance(dialog, SessionLogDialog)
    assert not dialog.go.isVisible() and not dialog.fields.attendees.isEnabled()
    assert dialog.fields.notes.toPlainText() == "One participant found it hard."


def test_a_log_kept_before_the_account_was_linked_is_theirs_once_linked(
    signed_in_as: SignInAs, org_folder: DataFolder
) -> None:
    """A coordinator logged a session for Vic's record before Vic's account was linked to it
    (sealed to the coordinators only); linking it reseals the notes to Vic's key."""
    boss = sign_in(org_folder, TEST_USER, TEST_SECRET)
    try:
        with boss.store.session(boss.actor) as s:
            vic = Volunteer(preferred_name="Vic", status=VolunteerStatus.ACTIVE)
            group = Activity(name="Wednesday group", kind=ActivityKind.GROUP)
            s.add_all([vic, group])
            s.flush()
            start = clock.now().replace(microsecond=0) - timedelta(days=3)
            s.add(SessionLog(volunteer_id=vic.id, activity_id=group.id,
                             mode=SessionMode.IN_PERSON, started_at=start,
                             ended_at=start + timedelta(hours=2), attendees=5,
                             new_attendees=0, notes=NOTE))  # fmt: skip
        link_to_volunteer(boss.store, boss.actor, "vic", vic.id)
    finally:
        boss.store.close(backup=False)
    window, _ = signed_in_as("vic")
    sessions(window)
    page = window.lists["sessions"]
    assert page.model is not None and page.model.rowCount() == 1
    page.table.activated.emit(page.model.index(0, 0))
    dialog = window.session_desk.dialog
    assert isinstance(dialog, SessionLogDialog)
    assert dialog.fields.notes.toPlainText() == NOTE
