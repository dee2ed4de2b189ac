"""Changing a volunteer's status from their record: straight to the status wanted, in one change,
with what is not yet in place listed as information."""

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.models import Course, Role, Volunteer, VolunteerStatus, course_requirements
from peerdesk.ui.volunteer_parts import StatusDialog
from tests.ui.conftest import SignInAs
from tests.ui.test_volunteer_editor import People, open_record, people, record

__all__ = ["people"]


def test_an_applicant_becomes_active_in_one_change(
    signed_in_as: SignInAs, people: People, qtbot: QtBot
) -> None:
    _, control, editor = open_record(signed_in_as, "coordinator", people.amara)
    signed = control.signed_in
    assert signed is not None
    with signed.store.session(signed.actor) as s:
        role = s.scalars(select(Role).where(Role.name == "Peer supporter")).one()
        course = Course(name="Safeguarding adults")
        s.add(course)
        s.flush()
        s.execute(course_requirements.insert().values(course_id=course.id, role_id=role.id))
        amara = s.get_one(Volunteer, people.amara)  # held: the identity map keeps it weakly
        amara.roles.append(role)
    editor.load()
    assert record(control, people.amara).status is VolunteerStatus.APPLICANT
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    dialog = editor.action_dialog
    assert isinstance(dialog, StatusDialog)
    offered = [dialog.status.itemText(n) for n in range(dialog.status.count())]
    assert offered == ["Induction", "Probation", "Active"]  # in the order they come
    assert dialog.missing.isVisible()
    assert dialog.missing.text() == (
        "Not yet in place (for your information; it does not stop the change):\n"
        "• Safeguarding adults: missing\n• DBS check: none recorded"
    )
    dialog.status.setCurrentIndex(dialog.status.findText("Active"))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    now = record(control, people.amara)
    assert now.status is VolunteerStatus.ACTIVE
    assert [h.status for h in now.history] == [VolunteerStatus.APPLICANT, VolunteerStatus.ACTIVE]
    assert now.started_on is not None


def test_pausing_lists_nothing_missing(signed_in_as: SignInAs, people: People) -> None:
    _, control, editor = open_record(signed_in_as, "coordinator", people.bea)
    signed = control.signed_in
    assert signed is not None
    with signed.store.session(signed.actor) as s:
        s.get_one(Volunteer, people.bea).status = VolunteerStatus.ACTIVE
    editor.load()
    editor.change_button.click()
    dialog = editor.action_dialog
    assert isinstance(dialog, StatusDialog)
    assert [dialog.status.itemText(n) for n in range(dialog.status.count())] == ["Paused"]
    assert not dialog.missing.isVisible()
