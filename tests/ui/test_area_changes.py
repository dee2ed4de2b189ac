"""Each area reads again only after a change it shows: saving supervision (an action marked
done while the Volunteers list is on screen, a follow-up closed in the Supervision area) leaves
the Volunteers list as it was, so a volunteer added behind the window's back stays unseen
there, while the audit trail, which shows every change, reads again when opened; adding a
volunteer then reads the Volunteers list again at once. Real widgets, checked in the
database."""

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk import clock
from peerdesk.models import (
    ActionStatus,
    AuditEvent,
    FollowUp,
    FollowUpStatus,
    SupervisionAction,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.supervision.reading import agreed_actions
from peerdesk.ui.list_page import ListPage
from tests.ui.conftest import SignInAs
from tests.ui.test_supervision_page import Setting, setting, store_of  # noqa: F401 (fixture)


def shown(page: ListPage) -> int:
    assert page.model is not None
    return page.model.rowCount()


def test_a_supervision_save_does_not_read_the_volunteers_again(
    signed_in_as: SignInAs,
    setting: Setting,  # noqa: F811 (the fixture, imported)
    qtbot: QtBot,
) -> None:
    window, control = signed_in_as("coordinator")
    volunteers = window.lists["volunteers"]
    window.show_area("audit")
    audited = window.audit_page.model
    assert audited is not None
    events_before = audited.rowCount()
    window.show_area("volunteers")
    assert shown(volunteers) == 2  # Amara and Bea
    with store_of(control).session() as s:  # behind the window's back: no change announced
        s.add(Volunteer(preferred_name="Cleo", status=VolunteerStatus.ACTIVE,
                        started_on=clock.today() - timedelta(days=1)))  # fmt: skip
    signed = control.signed_in
    assert signed is not None
    with store_of(control).read() as s:
        (old,) = [a for a in agreed_actions(s, signed.actor) if a.id == setting.old_action]
    control.supervision_desk.mark_done(old)  # the Volunteers list stays on screen
    with store_of(control).read() as s:
        assert s.get_one(SupervisionAction, setting.old_action).status is ActionStatus.DONE
    assert window.current_area() == "volunteers"
    assert shown(volunteers) == 2, "the list on screen does not show supervision"

    window.show_area("supervision")
    page = window.supervision_page
    page.tabs.setCurrentWidget(page.follow_ups)
    page.follow_ups.table.selectRow(0)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    dialog = control.supervision_desk.closing
    assert dialog is not None
    qtbot.keyClicks(dialog.note, "Phoned her the next day")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with store_of(control).read() as s:
        assert s.get_one(FollowUp, setting.debrief).status is FollowUpStatus.CLOSED
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    assert page.follow_ups.model.rowCount() == 0  # the area on screen read it again

    window.show_area("volunteers")
    assert shown(volunteers) == 2, "nor when opened again"
    window.show_area("audit")
    assert audited.rowCount() > events_before  # the trail shows every change
    assert events is not None and audited.rowCount() <= events

    window.show_area("volunteers")
    qtbot.mouseClick(control.volunteer_desk.add_button, Qt.MouseButton.LeftButton)
    editor = control.volunteer_desk.editor
    assert editor is not None
    qtbot.keyClicks(editor.fields["preferred_name"], "Dee")
    editor.save_action.trigger()
    assert editor.problem.isHidden(), editor.problem.text()
    names = {volunteers.model.row(n).preferred_name for n in range(shown(volunteers))}  # type: ignore[union-attr]
    assert names == {"Amara", "Bea", "Cleo", "Dee"}  # read again at once, Cleo with it
    editor.reject()
