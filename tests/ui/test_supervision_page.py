"""The Supervision area driven through real widgets: a supervisor records a 1:1 from the due list
and a group session, a refused save keeps what was typed, a follow-up is closed with a note, and
a volunteer sees only their own supervision; each checked in the database."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.db.keyring import open_value
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import (
    ActionStatus,
    Activity,
    ActivityKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Role,
    SessionLog,
    SessionMode,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionPairing,
    SupervisionSession,
    User,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl
from peerdesk.ui.supervision_amend import AmendDialog
from peerdesk.ui.supervision_form import SessionForm
from peerdesk.ui.supervision_page import DUE_COLUMNS, RowsModel
from tests.ui.conftest import Answers, SignInAs, open_group

STARTED = clock.today() - timedelta(days=400)
NOTE = "Confidential-note-kestrel"


@dataclass
class Setting:
    amara: uuid.UUID  # Vic's own record; Sam's supervisee
    bea: uuid.UUID  # Sam's supervisee
    old_action: uuid.UUID  # open, from an earlier session with Amara
    debrief: uuid.UUID  # Amara asked to talk after a session


def _person(s: object, name: str, role: Role) -> uuid.UUID:
    v = Volunteer(preferred_name=name, status=VolunteerStatus.ACTIVE, started_on=STARTED)
    s.add(v)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    s.add(VolunteerStatusChange(volunteer_id=v.id, status=VolunteerStatus.ACTIVE,  # type: ignore[attr-defined]
                                changed_on=STARTED))  # fmt: skip
    s.add(VolunteerRole(volunteer_id=v.id, role_id=role.id, since=STARTED))  # type: ignore[attr-defined]
    return v.id


@pytest.fixture
def setting(org_folder: DataFolder) -> Setting:
    store = open_group(org_folder)
    try:
        with store.session() as s:
            peer = Role(name="Peer supporter", supervision_every_weeks=6)
            s.add(peer)
            s.flush()
            amara, bea = _person(s, "Amara", peer), _person(s, "Bea", peer)
            users = {u.username: u for u in s.scalars(select(User))}
            users["vic"].volunteer_id = amara
            sam = users["sam"].id
            for who in (amara, bea):
                s.add(SupervisionPairing(supervisor_user_id=sam, volunteer_id=who,
                                         since_on=STARTED))  # fmt: skip
            earlier = SupervisionSession(kind=SupervisionKind.GROUP, held_on=STARTED,
                                         duration_minutes=60, supervisor_user_id=sam,
                                         shared_summary="Welcome to the group")  # fmt: skip
            s.add(earlier)
            s.flush()
            s.add(SupervisionAttendee(session_id=earlier.id, volunteer_id=bea, attended=False))
            s.add(SupervisionAttendee(session_id=earlier.id, volunteer_id=amara, attended=True))
            s.add(SupervisionNote(session_id=earlier.id, author_user_id=sam, body=NOTE))
            action = SupervisionAction(session_id=earlier.id, volunteer_id=amara,
                                       description="Read the lone-working policy")  # fmt: skip
            act = Activity(name="Drop-in", kind=ActivityKind.GROUP)
            s.add_all([action, act])
            s.flush()
            start = clock.now() - timedelta(days=3)
            log = SessionLog(volunteer_id=amara, activity_id=act.id, mode=SessionMode.IN_PERSON,
                             started_at=start, ended_at=start + timedelta(hours=1),
                             debrief_requested=True)  # fmt: skip
            s.add(log)
            s.flush()
            debrief = FollowUp(kind=FollowUpKind.DEBRIEF, volunteer_id=amara, session_log_id=log.id)
            s.add(debrief)
            s.flush()
            return Setting(amara, bea, action.id, debrief.id)
    finally:
        store.close(backup=False)


def store_of(control: StoreControl) -> Store:
    assert control.signed_in is not None
    return control.signed_in.store


def due_names(window: MainWindow) -> list[str]:
    page = window.supervision_page
    assert page is not None
    return [r.name for r in page.due.model.rows]


def open_supervision(signed_in_as: SignInAs, who: str) -> tuple[MainWindow, StoreControl]:
    window, control = signed_in_as(who)
    window.show_area("supervision")
    return window, control


def the_form(control: StoreControl) -> SessionForm:
    form = control.supervision_desk.form
    assert form is not None and form.isVisible()
    return form


def test_a_supervisor_records_a_one_to_one_from_the_due_list(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    window, control = open_supervision(signed_in_as, "sam")
    page = window.supervision_page
    assert page is not None and page.tabs.currentWidget() is page.due
    assert due_names(window) == ["Bea", "Amara"]  # never supervised, then overdue
    window.find_action.trigger()
    assert QApplication.focusWidget() is page.name_filter
    qtbot.keyClicks(page.name_filter, "bE")
    assert due_names(window) == ["Bea"]
    page.name_filter.clear()
    page.due.table.selectRow(1)
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    form = the_form(control)
    assert form.chosen_ids() == [setting.amara]
    assert form.agreed.carried.rowCount() == 1 and form.follow_ups.count() == 1
    qtbot.keyClicks(form.wellbeing_box, "Tired but okay")
    qtbot.keyClicks(form.summary, "Talked about the drop-in")
    qtbot.keyClicks(form.note, NOTE)
    form.agreed.set_carried(setting.old_action, ActionStatus.DONE)
    form.follow_ups.item(0).setCheckState(Qt.CheckState.Checked)  # type: ignore[union-attr]
    qtbot.keyClicks(form.agreed.action_text, "Take a week off in December")
    qtbot.keyClicks(form.agreed.action_owner, "Amara")
    qtbot.mouseClick(form.agreed.add_action, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    with store_of(control).read() as s:
        held = s.scalars(select(SupervisionSession).where(
            SupervisionSession.kind == SupervisionKind.ONE_TO_ONE)).one()  # fmt: skip
        assert (held.held_on, held.shared_summary) == (clock.today(), "Talked about the drop-in")
        attendee = s.scalars(select(SupervisionAttendee).where(
            SupervisionAttendee.session_id == held.id)).one()  # fmt: skip
        # Sealed to Amara, Sam who led it and the coordinators: open to Sam.
        assert (attendee.volunteer_id, open_value(s, attendee.wellbeing_check)) == (
            setting.amara,
            "Tired but okay",
        )
        # Sealed to its author and the coordinators: open to Sam, who is signed in.
        notes = s.scalars(select(SupervisionNote.body).where(SupervisionNote.session_id == held.id))
        assert [open_value(s, n) for n in notes] == [NOTE]
        assert s.get_one(SupervisionAction, setting.old_action).status is ActionStatus.DONE
        new = s.scalars(select(SupervisionAction).where(
            SupervisionAction.session_id == held.id)).one()  # fmt: skip
        assert (new.description, new.owner) == ("Take a week off in December", "Amara")
        assert new.due_on == clock.today() + timedelta(weeks=4)
        follow_up = s.get_one(FollowUp, setting.debrief)
        assert (follow_up.status, follow_up.closed_by_session_id) == (
            FollowUpStatus.CLOSED,
            held.id,
        )
    assert due_names(window) == ["Bea"]  # Amara is in date now
    assert page.follow_ups.model.rowCount() == 0


def test_a_supervisor_records_a_group_session(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    window, control = open_supervision(signed_in_as, "sam")
    control.supervision_desk.open_form(None)
    form = the_form(control)
    for n in range(form.choose.count()):
        form.choose.setCurrentIndex(n)
        qtbot.mouseClick(form.add_person, Qt.MouseButton.LeftButton)
    assert form.kind.currentText() == "Group"  # two people: a group
    form.set_came(setting.bea, False)
    form.held_on.setDate(form.held_on.date().addDays(-2))
    form.minutes.setValue(90)
    qtbot.keyClicks(form.summary, "Group talked about endings")
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    with store_of(control).read() as s:
        held = s.scalars(select(SupervisionSession).where(
            SupervisionSession.held_on == clock.today() - timedelta(days=2))).one()  # fmt: skip
        assert (held.kind, held.duration_minutes) == (SupervisionKind.GROUP, 90)
        came = {
            vid: attended
            for vid, attended in s.execute(
                select(SupervisionAttendee.volunteer_id, SupervisionAttendee.attended).where(
                    SupervisionAttendee.session_id == held.id
                )
            )
        }
    assert came == {setting.amara: True, setting.bea: False}
    assert due_names(window) == ["Bea"]


def test_a_refused_save_keeps_what_was_typed(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    _window, control = open_supervision(signed_in_as, "sam")
    control.supervision_desk.open_form(setting.amara)
    form = the_form(control)
    qtbot.keyClicks(form.note, NOTE)
    qtbot.mouseClick(form.agreed.add_action, Qt.MouseButton.LeftButton)  # nothing typed
    assert form.problem.text() == "Say what was agreed, then add the action."
    qtbot.keyClicks(form.agreed.action_text, "Rest")
    qtbot.mouseClick(form.agreed.add_action, Qt.MouseButton.LeftButton)
    assert not form.problem.isVisible() and form.agreed.added.rowCount() == 1
    form.set_came(setting.amara, False)  # a 1:1 nobody came to
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert form.isVisible() and form.problem.isVisible()
    assert "did not come to is not a session" in form.problem.text()
    assert NOTE not in form.problem.text()
    assert form.note.toPlainText() == NOTE and form.go.isEnabled()
    assert form.agreed.added.rowCount() == 1
    with store_of(control).read() as s:
        assert s.scalar(select(func.count()).select_from(SupervisionSession)) == 1  # the earlier
    form.reject()


def test_a_follow_up_is_closed_with_a_note(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    window, control = open_supervision(signed_in_as, "sam")
    page = window.supervision_page
    assert page is not None
    page.tabs.setCurrentWidget(page.follow_ups)
    assert page.follow_ups.model.rowCount() == 1
    page.follow_ups.table.selectRow(0)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    dialog = control.supervision_desk.closing
    assert dialog is not None
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Write a short note saying how it was followed up."
    qtbot.keyClicks(dialog.note, "Phoned her the next day")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with store_of(control).read() as s:
        f = s.get_one(FollowUp, setting.debrief)
        assert (f.status, f.closing_note) == (FollowUpStatus.CLOSED, "Phoned her the next day")
    assert page.follow_ups.model.rowCount() == 0


def test_a_volunteer_sees_only_their_own_supervision(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot, answers: Answers
) -> None:
    window, control = open_supervision(signed_in_as, "vic")
    page = window.supervision_page
    assert page is not None
    assert not page.tabs.isTabVisible(page.tabs.indexOf(page.due))
    assert not page.tabs.isTabVisible(page.tabs.indexOf(page.follow_ups))
    assert page.own.isVisible()
    assert page.own.text() == (
        f"Your last supervision was on {show_date(STARTED)}; the next was due by "
        f"{show_date(STARTED + timedelta(weeks=6))}. Your supervisor or a coordinator can "
        "arrange it with you."
    )
    assert not page.record_button.isVisible()
    page.tabs.setCurrentWidget(page.agreed)
    assert [a.description for a in page.agreed.model.rows] == ["Read the lone-working policy"]
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)  # nothing chosen: nothing
    page.agreed.table.selectRow(0)
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    with store_of(control).read() as s:
        assert s.get_one(SupervisionAction, setting.old_action).status is ActionStatus.DONE
    control.supervision_desk.open_form(setting.amara)  # not for volunteers: nothing opens
    assert control.supervision_desk.form is None
    page.tabs.setCurrentWidget(page.sessions)
    assert page.sessions.model is not None and page.sessions.model.rowCount() == 1
    page.sessions.row_opened.emit(page.sessions.model.row(0))
    viewer = control.supervision_desk.viewer
    assert viewer is not None and viewer.isVisible()
    shown = viewer.text.toPlainText()
    assert "Welcome to the group" in shown and "Amara" in shown
    assert NOTE not in shown and "Bea" not in shown and "and 1 other" in shown
    assert answers.shown == []


def test_the_rows_model_passes_the_model_tester(qtmodeltester: object) -> None:
    from peerdesk.services.supervision.cadence import CadenceStatus
    from peerdesk.services.supervision.due import DueRow

    model = RowsModel(DUE_COLUMNS)
    model.set_rows(
        [
            DueRow(
                uuid.uuid4(),
                "Amara",
                CadenceStatus.OVERDUE,
                date(2026, 1, 5),
                date(2026, 2, 16),
                "Sam",
            )
        ]
    )
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(0, 1)) == "✗ overdue"
    assert model.data(model.index(0, 2)) == "5 Jan 2026"


def test_the_supervisor_puts_a_session_right(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    window, control = open_supervision(signed_in_as, "sam")
    page = window.supervision_page
    assert page is not None and page.sessions.model is not None
    page.tabs.setCurrentWidget(page.sessions)
    page.sessions.row_opened.emit(page.sessions.model.row(0))
    viewer = control.supervision_desk.viewer
    assert viewer is not None and viewer.change.isVisible()
    assert NOTE in viewer.text.toPlainText()  # Sam wrote it
    qtbot.mouseClick(viewer.change, Qt.MouseButton.LeftButton)
    dialog = control.supervision_desk.amending
    assert isinstance(dialog, AmendDialog)
    assert dialog.note.toPlainText() == NOTE and dialog.whose.currentText() == "Amara"
    dialog.summary.setPlainText("Welcome to the group, and the lone-working policy")
    qtbot.keyClicks(dialog.words, "Nervous but glad to start")
    dialog.minutes.setValue(75)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not viewer.isVisible()
    with store_of(control).read() as s:
        held = s.scalars(select(SupervisionSession)).one()
        assert (held.duration_minutes, held.shared_summary) == (
            75,
            "Welcome to the group, and the lone-working policy",
        )
        words = open_value(
            s,
            s.scalar(
                select(SupervisionAttendee.wellbeing_check).where(
                    SupervisionAttendee.volunteer_id == setting.amara
                )
            ),
        )
    assert words == "Nervous but glad to start"
