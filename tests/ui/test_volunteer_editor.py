"""A volunteer's record window, driven through real widgets, checked in the database."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    Role,
    Shift,
    SupervisionPairing,
    User,
    UserRole,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.browse import volunteers_page
from peerdesk.services.permissions import Actor
from peerdesk.services.volunteers import (
    PREFER_NOT_TO_SAY,
    VolunteerInput,
    create_volunteer,
    equality_monitoring,
    update_volunteer,
    volunteer_record,
)
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl
from peerdesk.ui.volunteer_editor import VolunteerEditor
from tests.ui.conftest import Answers, SignInAs, open_group


@dataclass
class People:
    amara: uuid.UUID  # Vic's own record
    bea: uuid.UUID  # Sam supervises her


@pytest.fixture
def people(org_folder: DataFolder) -> People:
    """Two roles, and volunteers linked to the accounts: Vic is Amara, Sam supervises Bea."""
    store = open_group(org_folder)
    try:
        with store.session() as s:
            s.add_all([Role(name="Peer supporter"), Role(name="Group facilitator")])
        boss = Actor(None, "setup", "Setup", UserRole.COORDINATOR)
        with store.session() as s:
            ids = {}
            for name in ("Amara", "Bea", "Sol"):
                ids[name] = create_volunteer(s, boss, VolunteerInput(name, "First", "Last")).id
            users = {u.username: u for u in s.scalars(select(User))}
            users["vic"].volunteer_id = ids["Amara"]
            users["sam"].volunteer_id = ids["Sol"]
            # Emails are sealed to the person's accounts (docs/keys.md): written once the
            # accounts are linked, as the window links them before the person reads them.
            for name, volunteer_id in ids.items():
                volunteer = s.get(Volunteer, volunteer_id)
                assert volunteer is not None
                volunteer.email = f"{name.lower()}@example.org"
            s.add(
                SupervisionPairing(
                    supervisor_user_id=users["sam"].id,
                    volunteer_id=ids["Bea"],
                    since_on=date(2025, 1, 1),
                )
            )
    finally:
        store.close(backup=False)
    return People(ids["Amara"], ids["Bea"])


def open_record(
    signed_in_as: SignInAs, username: str, who: uuid.UUID | None
) -> tuple[MainWindow, StoreControl, VolunteerEditor]:
    window, control = signed_in_as(username)
    window.show_area("volunteers")
    control.volunteer_desk.open_record(who)
    editor = control.volunteer_desk.editor
    assert editor is not None and editor.isVisible()
    return window, control, editor


def record(control: StoreControl, who: uuid.UUID) -> Any:
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        return volunteer_record(s, signed.actor, who)


def test_add_a_volunteer_through_the_form(
    signed_in_as: SignInAs, people: People, qtbot: QtBot, qtmodeltester: Any
) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("volunteers")
    page = window.lists["volunteers"]
    button = control.volunteer_desk.add_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editor = control.volunteer_desk.editor
    assert editor is not None
    qtbot.keyClicks(editor.fields["preferred_name"], "Dee")
    qtbot.keyClicks(editor.fields["email"], "dee@example.org")
    qtbot.keyClicks(editor.started_on, "6 Jan 2025")
    roles = [editor.roles.item(n) for n in range(editor.roles.count())]
    next(r for r in roles if r.text() == "Peer supporter").setCheckState(Qt.CheckState.Checked)
    qtmodeltester.check(editor.roles.model())
    assert editor.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    editor.save_action.trigger()
    assert editor.problem.isHidden(), editor.problem.text()
    assert editor.volunteer_id is not None
    saved = record(control, editor.volunteer_id)
    assert (saved.preferred_name, saved.email, saved.roles) == (
        "Dee",
        "dee@example.org",
        ("Peer supporter",),
    )
    assert saved.started_on == date(2025, 1, 6)
    assert page.model is not None
    shown = [page.model.row(n).preferred_name for n in range(page.model.rowCount())]
    assert "Dee" in shown  # the list was read again
    for view in (editor.history, editor.dbs, editor.training):
        qtmodeltester.check(view.model())
    # Qt's C++ tester must not outlive the widget that owns the model: let it go first.
    qtmodeltester._qt_tester = None
    editor.reject()
    qtbot.waitUntil(lambda: control.volunteer_desk.editor is None or not editor.isVisible())


def test_a_problem_keeps_what_was_typed(signed_in_as: SignInAs, people: People) -> None:
    _, control, editor = open_record(signed_in_as, "coordinator", None)
    editor.fields["preferred_name"].setText("Dee")
    editor.fields["email"].setText("dee.example.org")
    editor.notes.setPlainText("Met at the open day")
    editor.save()
    assert "does not look like an email" in editor.problem.text()
    assert not editor.problem.isHidden()
    assert editor.fields["preferred_name"].text() == "Dee"
    assert editor.fields["email"].text() == "dee.example.org"
    assert editor.notes.toPlainText() == "Met at the open day"
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        names = [r.preferred_name for r in volunteers_page(s, signed.actor)]
    assert "Dee" not in names


def test_a_stale_edit_is_refused_and_nothing_is_lost(
    signed_in_as: SignInAs, people: People
) -> None:
    _, control, editor = open_record(signed_in_as, "coordinator", people.amara)
    signed = control.signed_in
    assert signed is not None
    before = record(control, people.amara)
    with signed.store.session(signed.actor) as s:  # someone else saves first
        data = VolunteerInput("Amara", "First", "Last", pronouns="she/her")
        update_volunteer(s, signed.actor, people.amara, data, before.updated_at)
    editor.fields["preferred_name"].setText("Amy")
    editor.save_action.trigger()
    assert "Someone else changed this record" in editor.problem.text()
    assert editor.fields["preferred_name"].text() == "Amy"
    assert record(control, people.amara).preferred_name == "Amara"


def test_leaving_says_which_shifts_are_short(
    signed_in_as: SignInAs, people: People, answers: Answers
) -> None:
    _, control, editor = open_record(signed_in_as, "coordinator", people.amara)
    signed = control.signed_in
    assert signed is not None
    starts = clock.now().replace(hour=10, minute=0, second=0, microsecond=0)
    starts += timedelta(days=7)
    with signed.store.session(signed.actor) as s:
        activity = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(activity)
        s.flush()
        shift = Shift(
            activity_id=activity.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            min_volunteers=1,
            max_volunteers=3,
        )
        s.add(shift)
        s.flush()
        s.add(
            Assignment(
                shift_id=shift.id, volunteer_id=people.amara, status=AssignmentStatus.CONFIRMED
            )
        )
    editor.load()
    assert not editor.leave_button.isHidden()
    editor.leave_button.click()
    dialog = editor.action_dialog
    dialog.reason.setPlainText("Moving away")  # type: ignore[attr-defined]
    dialog.go.click()
    assert any("Record that Amara has left?" in m for m in answers.shown)
    assert any("Drop-in on" in m and "0 of 1 needed" in m for m in answers.shown), answers.shown
    left = record(control, people.amara)
    assert left.status is VolunteerStatus.LEFT and left.leaving_reason == "Moving away"
    assert editor.leave_button.isHidden()


def test_a_volunteer_reads_their_record_and_saves_their_equality_answers(
    signed_in_as: SignInAs, people: People
) -> None:
    _, control, editor = open_record(signed_in_as, "vic", people.amara)
    assert editor.fields["preferred_name"].isReadOnly()
    assert editor.fields["email"].text() == "amara@example.org"  # their own contact details
    assert editor.roles.count() == 0  # only the roles held, and Amara holds none yet
    assert editor.notes.isHidden()
    assert not editor.change_button.isVisible() and not editor.dbs_button.isVisible()
    editor.fields["preferred_name"].setText("Someone else")  # cannot be typed; never saved
    editor.equality.answers["gender"].setEditText(PREFER_NOT_TO_SAY)
    editor.equality.answers["age_band"].setEditText("35–44")
    editor.save_action.trigger()
    assert editor.problem.isHidden(), editor.problem.text()
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        given = equality_monitoring(s, signed.actor, people.amara)
    assert (given.gender, given.age_band) == (PREFER_NOT_TO_SAY, "35–44")
    assert record(control, people.amara).preferred_name == "Amara"


def test_a_supervisor_does_not_see_a_supervisees_contact_details(
    signed_in_as: SignInAs, people: People
) -> None:
    _, _, editor = open_record(signed_in_as, "sam", people.bea)
    assert editor.fields["preferred_name"].text() == "Bea"
    for name in ("email", "phone", "emergency_contact_name", "emergency_contact_phone"):
        assert editor.fields[name].text() == ""
        assert not editor.fields[name].isVisible()
    assert editor.contact_hidden.isVisible()
    assert not editor.tabs.isTabVisible(editor.tabs.indexOf(editor.equality))
    assert not editor.save_button.isVisible()


def test_a_trustee_has_no_volunteers_to_open(signed_in_as: SignInAs, people: People) -> None:
    window, control = signed_in_as("tess")
    control.volunteer_desk.open_record(people.amara)
    assert control.volunteer_desk.editor is None
    assert "volunteers" not in window.area_keys()


def test_enter_on_a_row_opens_it(signed_in_as: SignInAs, people: People, qtbot: QtBot) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("volunteers")
    page = window.lists["volunteers"]
    assert page.model is not None
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = control.volunteer_desk.editor
    assert editor is not None and editor.isVisible()
    assert editor.windowTitle() == page.model.row(0).preferred_name


def test_locking_closes_the_record_and_leaves_nothing_behind(
    signed_in_as: SignInAs, people: People, qtbot: QtBot
) -> None:
    window, control, editor = open_record(signed_in_as, "coordinator", people.amara)
    editor.notes.setPlainText("Amara's private note")
    window.lock_action.trigger()
    assert not editor.isVisible()
    qtbot.waitUntil(lambda: control.signed_in is None)
    texts = [w.text() for w in window.findChildren(QLineEdit)]
    texts += [w.text() for w in window.findChildren(QLabel)]
    texts += [w.toPlainText() for w in window.findChildren(QPlainTextEdit)]
    texts += [w.windowTitle() for w in window.findChildren(QWidget)]
    assert not [t for t in texts if "amara" in t.lower()]


def test_certificate_numbers_are_masked_on_screen_even_for_coordinators(qtbot: QtBot) -> None:
    import uuid
    from datetime import date as day

    from PySide6.QtWidgets import QTreeWidget

    from peerdesk.models import DBSLevel
    from peerdesk.services.compliance import DBSStatus
    from peerdesk.services.dbs import DBSRecord, VolunteerDBS
    from peerdesk.ui.volunteer_parts import show_dbs

    view = QTreeWidget()
    view.setColumnCount(4)
    qtbot.addWidget(view)
    record = DBSRecord(
        uuid.uuid4(),
        uuid.uuid4(),
        DBSLevel.ENHANCED,
        "004447619041",
        day(2025, 9, 6),
        False,
        None,
        day(2028, 9, 6),
    )
    show_dbs(view, VolunteerDBS(DBSStatus.IN_DATE, day(2028, 9, 6), (record,)))
    item = view.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "•••• 9041"
    assert item.toolTip(1) == "004447619041"  # there when the coordinator needs it


def test_a_supervisor_has_no_availability_button(signed_in_as: SignInAs, people: People) -> None:
    _, _, editor = open_record(signed_in_as, "sam", people.bea)  # only Bea or coordinators
    assert editor.availability_button.isHidden()


def test_availability_from_ones_own_record(signed_in_as: SignInAs, people: People) -> None:
    from peerdesk.ui.rota.availability_dialog import AvailabilityDialog

    _, _, editor = open_record(signed_in_as, "vic", people.amara)
    assert not editor.availability_button.isHidden()
    editor.availability_button.click()
    assert isinstance(editor.action_dialog, AvailabilityDialog)
    assert editor.action_dialog.windowTitle() == "Your availability"
