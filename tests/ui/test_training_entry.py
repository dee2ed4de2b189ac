"""Recording training, changing the course catalogue and removing past volunteers' details,
driven through real widgets and checked in the database through the services."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import Role, User, UserRole, Volunteer, VolunteerStatus
from peerdesk.services import training
from peerdesk.services.permissions import Actor
from peerdesk.services.training import CourseInput
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from peerdesk.ui.compliance_page import CourseDialog
from peerdesk.ui.store_control import StoreControl
from peerdesk.ui.volunteer_parts import TrainingDialog
from tests.ui.conftest import Answers, SignInAs, open_group

SETUP = Actor(None, "setup", "Setup", UserRole.COORDINATOR)


@dataclass
class Setting:
    amara: uuid.UUID  # active
    gone: uuid.UUID  # left twenty years ago
    course: uuid.UUID  # Safeguarding, required for peer supporters


@pytest.fixture
def setting(org_folder: DataFolder) -> Setting:
    store = open_group(org_folder)
    try:
        with store.session() as s:
            s.add_all([Role(name="Peer supporter"), Role(name="Group facilitator")])
        with store.session() as s:
            peer = s.scalar(select(Role.id).where(Role.name == "Peer supporter"))
            assert peer is not None
            data = CourseInput("Safeguarding", 12, required_role_ids=frozenset({peer}))
            course = training.add_course(s, SETUP, data).id
            amara = create_volunteer(s, SETUP, VolunteerInput("Amara", "Amara", "Okoro")).id
            gone = create_volunteer(
                s, SETUP, VolunteerInput("Gwen", "Gwen", "Long", email="gwen@example.org")
            ).id
            vic = s.scalar(select(User).where(User.username == "vic"))
            assert vic is not None
            vic.volunteer_id = amara  # Vic is Amara
            leaver = s.get(Volunteer, gone)
            assert leaver is not None
            leaver.status = VolunteerStatus.LEFT
            leaver.left_on = clock.today() - timedelta(days=365 * 20)
    finally:
        store.close(backup=False)
    return Setting(amara, gone, course)


def read_store(control: StoreControl) -> tuple[Store, Actor]:
    signed = control.signed_in
    assert signed is not None
    return signed.store, signed.actor


def open_training_dialog(
    signed_in_as: SignInAs, who: uuid.UUID
) -> tuple[StoreControl, TrainingDialog]:
    window, control = signed_in_as("coordinator")
    window.show_area("volunteers")
    control.volunteer_desk.open_record(who)
    editor = control.volunteer_desk.editor
    assert editor is not None
    editor.tabs.setCurrentIndex(2)
    assert editor.training_button.isVisible()
    editor.training_button.click()
    dialog = editor.action_dialog
    assert isinstance(dialog, TrainingDialog) and dialog.isVisible()
    return control, dialog


def test_record_training_from_the_record_window(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    control, dialog = open_training_dialog(signed_in_as, setting.amara)
    assert dialog.course.currentText() == "Safeguarding"
    dialog.completed_on.setText("")
    qtbot.keyClicks(dialog.completed_on, "6 Jan 2025")
    qtbot.keyClicks(dialog.provider, "County council")
    dialog.notes.setPlainText("Half-day course")
    dialog.go.click()
    assert dialog.problem.isHidden(), dialog.problem.text()
    assert not dialog.isVisible()
    store, actor = read_store(control)
    with store.read() as s:
        courses = training.volunteer_training(s, actor, setting.amara, clock.today())
    done = next(c for c in courses if c.course_id == setting.course)
    assert done.last_completed == date(2025, 1, 6)
    assert done.completions[0].provider == "County council"
    assert done.completions[0].notes == "Half-day course"
    editor = control.volunteer_desk.editor
    assert editor is not None
    shown = [
        editor.training.topLevelItem(n).text(2) for n in range(editor.training.topLevelItemCount())
    ]
    assert "6 Jan 2025" in shown


def test_a_future_date_is_refused_in_the_dialog_keeping_what_was_typed(
    signed_in_as: SignInAs, setting: Setting, qtbot: QtBot
) -> None:
    control, dialog = open_training_dialog(signed_in_as, setting.amara)
    tomorrow = (clock.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    dialog.completed_on.setText(tomorrow)
    qtbot.keyClicks(dialog.provider, "St John")
    dialog.go.click()
    assert dialog.isVisible()
    assert not dialog.problem.isHidden()
    assert "future" in dialog.problem.text()
    assert dialog.completed_on.text() == tomorrow
    assert dialog.provider.text() == "St John"
    assert dialog.go.isEnabled()
    store, actor = read_store(control)
    with store.read() as s:
        courses = training.volunteer_training(s, actor, setting.amara, clock.today())
    assert all(not c.completions for c in courses)


def test_add_and_edit_a_course(signed_in_as: SignInAs, setting: Setting, qtbot: QtBot) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("training")
    page = window.training_page
    assert page is not None
    page.tabs.setCurrentWidget(page.courses)
    desk = control.course_desk
    assert desk.add_button.isVisible() and desk.edit_button.isVisible()
    desk.add_button.click()
    dialog = desk.dialog
    assert isinstance(dialog, CourseDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Lone working")
    facilitator = dialog.roles.findItems("Group facilitator", Qt.MatchFlag.MatchExactly)[0]
    facilitator.setCheckState(Qt.CheckState.Checked)
    dialog.months.setValue(24)
    dialog.renewal.setValue(30)
    dialog.grace.setValue(14)
    dialog.go.click()
    assert dialog.problem.isHidden(), dialog.problem.text()
    store, actor = read_store(control)
    with store.read() as s:
        added = next(c for c in training.list_courses(s, actor) if c.name == "Lone working")
    assert added.required_for == ("Group facilitator",)
    assert (added.validity_months, added.renewal_window_days, added.grace_days) == (24, 30, 14)

    # Edit it: choose its row, then "Edit course…".
    model = page.courses.model
    assert model is not None
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    row = next(n for n in range(model.rowCount()) if model.row(n).name == "Lone working")
    page.courses.table.setCurrentIndex(model.index(row, 0))
    desk.edit_button.click()
    dialog = desk.dialog
    assert isinstance(dialog, CourseDialog) and dialog.isVisible()
    assert dialog.name.text() == "Lone working" and dialog.months.value() == 24
    dialog.name.setText("Safeguarding")  # the name of another course: refused, all kept
    dialog.never.setChecked(True)
    dialog.go.click()
    assert dialog.isVisible() and "already a course" in dialog.problem.text()
    assert dialog.never.isChecked()
    dialog.name.setText("Lone working and safety")
    dialog.go.click()
    assert not dialog.isVisible()
    with store.read() as s:
        changed = next(c for c in training.list_courses(s, actor) if c.id == added.id)
    assert changed.name == "Lone working and safety"
    assert changed.validity_months is None
    assert changed.required_for == ("Group facilitator",)


def test_removing_past_volunteers_asks_first_then_anonymises(
    signed_in_as: SignInAs, setting: Setting, answers: Answers
) -> None:
    window, control = signed_in_as("coordinator")
    action = window.anonymise_action
    assert action.isVisible() and action.isEnabled()
    store, _actor = read_store(control)

    answers.confirm = False
    action.trigger()
    assert "cannot be undone" in answers.shown[-1]
    assert "72 months" in answers.shown[-1]
    with store.read() as s:
        gone = s.get(Volunteer, setting.gone)
        assert gone is not None and gone.anonymised_at is None

    answers.confirm = True
    action.trigger()
    assert "removed for 1 past volunteer." in answers.shown[-1]
    with store.read() as s:
        gone = s.get(Volunteer, setting.gone)
        assert gone is not None and gone.anonymised_at is not None
        assert gone.preferred_name != "Gwen" and gone.email is None
        amara = s.get(Volunteer, setting.amara)
        assert amara is not None and amara.anonymised_at is None


def test_a_volunteer_sees_none_of_these_actions(signed_in_as: SignInAs, setting: Setting) -> None:
    window, control = signed_in_as("vic")
    assert not window.anonymise_action.isVisible()
    assert not control.course_desk.add_button.isVisible()
    assert not control.course_desk.edit_button.isVisible()
    control.course_desk.open_course(None)  # even if asked, nothing opens
    assert control.course_desk.dialog is None
    window.anonymise_action.trigger()
    window.show_area("volunteers")
    control.volunteer_desk.open_record(setting.amara)  # her own record
    editor = control.volunteer_desk.editor
    assert editor is not None and editor.isVisible()
    editor.tabs.setCurrentIndex(2)
    assert not editor.training_button.isVisible()
    assert not editor.dbs_button.isVisible()
    store, _actor = read_store(control)
    with store.read() as s:
        gone = s.get(Volunteer, setting.gone)
        assert gone is not None and gone.anonymised_at is None
