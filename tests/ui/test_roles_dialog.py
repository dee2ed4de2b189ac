"""Volunteer roles, driven through the real window and checked in the database: a new group with
none is told to add one, adds it from the Training area and its volunteer editor offers it; a
refused save keeps what was typed; changing and deleting; a role in use is not deleted; only
coordinators are offered any of it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.models import Role, Volunteer, VolunteerRole
from peerdesk.services import training
from peerdesk.services.roles import RoleInput, create_role
from peerdesk.services.training import CourseInput
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.roles_dialog import RoleForm, RolesDialog
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import Answers, SignInAs


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()} is not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def roles_dialog(qtbot: QtBot, window: MainWindow, control: StoreControl) -> RolesDialog:
    window.show_area("training")
    page = window.training_page
    assert page is not None
    page.tabs.setCurrentWidget(page.courses)
    click(qtbot, control.course_desk.roles_button)
    dialog = control.course_desk.roles_dialog
    assert isinstance(dialog, RolesDialog) and dialog.isVisible()
    return dialog


def rows(dialog: RolesDialog) -> list[list[str]]:
    found = []
    for n in range(dialog.view.topLevelItemCount()):
        item = dialog.view.topLevelItem(n)
        assert item is not None
        found.append([item.text(c) for c in range(3)])
    return found


def choose_row(dialog: RolesDialog, name: str) -> None:
    for n in range(dialog.view.topLevelItemCount()):
        item = dialog.view.topLevelItem(n)
        if item is not None and item.text(0) == name:
            dialog.view.setCurrentItem(item)
            return
    raise AssertionError(f"{name} is not in the list")


def stored(control: StoreControl) -> list[tuple[str, str | None, int | None, bool, bool]]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        found = s.execute(
            select(
                Role.name,
                Role.description,
                Role.supervision_every_weeks,
                Role.group_supervision_counts,
                Role.needs_dbs,
            ).order_by(Role.name)
        )
        return [tuple(r) for r in found]  # type: ignore[misc]


def open_form(qtbot: QtBot, dialog: RolesDialog, button: QAbstractButton) -> RoleForm:
    click(qtbot, button)
    form = dialog.form
    assert isinstance(form, RoleForm) and form.isVisible()
    return form


def test_a_new_group_adds_its_first_role_and_the_volunteer_editor_offers_it(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = roles_dialog(qtbot, window, control)
    assert rows(dialog) == []
    assert "no roles yet" in dialog.outcome.text()
    assert not dialog.change.isEnabled() and not dialog.delete.isEnabled()

    form = open_form(qtbot, dialog, dialog.add)
    qtbot.keyClicks(form.name, "  Peer   supporter ")
    qtbot.keyClicks(form.description, "Listens one to one.")
    form.weeks.setValue(4)
    form.group_counts.setChecked(False)
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert stored(control) == [("Peer supporter", "Listens one to one.", 4, False, True)]
    assert rows(dialog) == [
        ["Peer supporter", "Every 4 weeks, one-to-one only", "Needs a DBS check"]
    ]
    assert "“Peer supporter” is added" in dialog.outcome.text()

    form = open_form(qtbot, dialog, dialog.add)
    qtbot.keyClicks(form.name, "Befriender")
    form.supervised.setChecked(False)
    assert not form.weeks.isEnabled() and not form.group_counts.isEnabled()
    form.needs_dbs.setChecked(False)
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert ("Befriender", None, None, True, False) in stored(control)
    assert ["Befriender", "Not required", "No DBS check"] in rows(dialog)
    dialog.reject()

    # The volunteer editor reads roles when it opens: both are offered.
    from peerdesk.ui.volunteer_editor import VolunteerEditor

    signed = control.signed_in
    assert signed is not None
    editor = VolunteerEditor(signed.store, signed.actor, None, window)
    qtbot.addWidget(editor)
    editor.load()
    offered = [editor.roles.item(n).text() for n in range(editor.roles.count())]
    assert offered == ["Befriender", "Peer supporter"]


def test_a_refused_save_keeps_what_was_typed_and_says_why(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = roles_dialog(qtbot, window, control)
    form = open_form(qtbot, dialog, dialog.add)
    qtbot.keyClicks(form.name, "Peer supporter")
    click(qtbot, form.go)
    assert not form.isVisible()

    form = open_form(qtbot, dialog, dialog.add)
    qtbot.keyClicks(form.name, "PEER SUPPORTER")
    qtbot.keyClicks(form.description, "A second one")
    form.weeks.setValue(8)
    click(qtbot, form.go)
    assert form.isVisible()
    assert form.problem.text() == (
        "There is already a role called “Peer supporter”; choose another name."
    )
    assert form.name.text() == "PEER SUPPORTER"
    assert form.description.toPlainText() == "A second one"
    assert form.weeks.value() == 8
    assert form.go.isEnabled()
    assert dialog.problem.isHidden()
    assert stored(control) == [("Peer supporter", None, 6, True, True)]

    # Fixing it saves.
    form.name.clear()
    qtbot.keyClicks(form.name, "Peer supporter (groups)")
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert ("Peer supporter (groups)", "A second one", 8, True, True) in stored(control)


def test_changing_and_deleting_a_role(
    qtbot: QtBot, signed_in_as: SignInAs, answers: Answers
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = roles_dialog(qtbot, window, control)
    for name in ("Peer supporter", "Befriender"):
        form = open_form(qtbot, dialog, dialog.add)
        qtbot.keyClicks(form.name, name)
        click(qtbot, form.go)

    choose_row(dialog, "Peer supporter")
    form = open_form(qtbot, dialog, dialog.change)
    assert form.name.text() == "Peer supporter" and form.weeks.value() == 6
    form.name.clear()
    qtbot.keyClicks(form.name, "Peer mentor")
    form.weeks.setValue(2)
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert ("Peer mentor", None, 2, True, True) in stored(control)
    assert rows(dialog)[1] == ["Peer mentor", "Every 2 weeks", "Needs a DBS check"]

    # Someone holds "Peer mentor": deleting it is refused and says why.
    assert control.signed_in is not None
    with control.signed_in.store.session() as s:
        mentor = s.scalar(select(Role.id).where(Role.name == "Peer mentor"))
        volunteer = Volunteer(preferred_name="Amara")
        s.add(volunteer)
        s.flush()
        s.add(VolunteerRole(volunteer_id=volunteer.id, role_id=mentor))
    choose_row(dialog, "Peer mentor")
    click(qtbot, dialog.delete)
    assert dialog.problem.text().startswith(
        "“Peer mentor” cannot be deleted: 1 volunteer holds it."
    )
    assert ("Peer mentor", None, 2, True, True) in stored(control)

    # Not confirming deletes nothing; confirming deletes an unused role.
    choose_row(dialog, "Befriender")
    answers.confirm = False
    click(qtbot, dialog.delete)
    assert "Befriender" in [r[0] for r in stored(control)]
    answers.confirm = True
    click(qtbot, dialog.delete)
    assert [r[0] for r in stored(control)] == ["Peer mentor"]
    assert dialog.outcome.text() == "“Befriender” is deleted."
    assert dialog.problem.isHidden()
    assert [r[0] for r in rows(dialog)] == ["Peer mentor"]


def test_only_coordinators_are_offered_roles(qtbot: QtBot, signed_in_as: SignInAs) -> None:
    for username in ("sam", "vic", "tess"):
        window, control = signed_in_as(username)
        assert not control.course_desk.roles_button.isVisible()
        control.course_desk.open_roles()  # even if asked, nothing opens
        assert control.course_desk.roles_dialog is None
        window.close()


def test_renaming_a_role_shows_at_once_in_the_course_list_and_a_required_role_stays(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    signed = control.signed_in
    assert signed is not None
    with signed.store.session(signed.actor) as s:
        role = create_role(s, signed.actor, RoleInput("Peer supporter"))
        training.add_course(
            s,
            signed.actor,
            CourseInput("Listening skills", None, required_role_ids=frozenset({role.id})),
        )
    dialog = roles_dialog(qtbot, window, control)
    page = window.training_page
    assert page is not None and page.courses.model is not None
    choose_row(dialog, "Peer supporter")
    click(qtbot, dialog.delete)
    assert dialog.problem.text() == (
        "“Peer supporter” cannot be deleted: 1 course requires it. Take the role off them "
        "first, or keep it and rename it."
    )
    form = open_form(qtbot, dialog, dialog.change)
    form.name.setText("Peer mentor")
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert dialog.problem.isHidden()
    model = page.courses.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.row(0).required_for == ("Peer mentor",))
