"""Checking in and out of a lone-working shift from the "Log a session" page."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    LoneWorkingCheck,
    Shift,
    User,
    Volunteer,
    VolunteerStatus,
)
from tests.ui.conftest import SignInAs, open_group


@pytest.fixture
def lone_folder(org_folder: DataFolder) -> DataFolder:
    """Vic is on the phone line alone, from a few minutes ago for two hours."""
    now = clock.now().replace(second=0, microsecond=0)
    store = open_group(org_folder)
    try:
        with store.session() as s:
            vic = Volunteer(preferred_name="Vic", status=VolunteerStatus.ACTIVE)
            phone = Activity(name="Phone line", kind=ActivityKind.PHONE_ONLINE)
            s.add_all([vic, phone])
            s.flush()
            s.scalars(select(User).where(User.username == "vic")).one().volunteer_id = vic.id
            start = now - timedelta(minutes=5)
            shift = Shift(activity_id=phone.id, starts_at=start,
                          ends_at=start + timedelta(hours=2), lone_working=True)  # fmt: skip
            s.add(shift)
            s.flush()
            s.add(Assignment(shift_id=shift.id, volunteer_id=vic.id,
                             status=AssignmentStatus.CONFIRMED))  # fmt: skip
    finally:
        store.close(backup=False)
    return org_folder


def test_check_in_with_an_expected_finish_then_check_out(
    signed_in_as: SignInAs, lone_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    box = window.session_desk.log_page.lone_working
    assert box.isVisible()
    [(shift_id, button)] = box.buttons.items()
    assert button.text() == "Check &in"
    finish = box.finish[shift_id]
    later = finish.time().addSecs(30 * 60)  # staying half an hour longer than planned
    finish.setTime(later)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert box.message.text().startswith("Checked in.")
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        check = s.scalars(select(LoneWorkingCheck)).one()
    expected = check.expected_end_at.astimezone(box.zone)
    assert QTime(expected.hour, expected.minute) == later and check.checked_out_at is None
    [out] = box.buttons.values()
    assert out.text() == "Check &out"
    qtbot.mouseClick(out, Qt.MouseButton.LeftButton)
    assert box.message.text() == "Checked out. Thank you, and look after yourself."
    with control.signed_in.store.read() as s:
        assert s.scalars(select(LoneWorkingCheck.checked_out_at)).one() is not None
