"""The Safeguarding area through the window: each role sees what it may, opening a concern is
audited, a coordinator moves it on and adds an action, the raiser reads it only, an open
concern and an overdue check-out are on the coordinator's Today page."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    ConcernCategory,
    ConcernStatus,
    LoneWorkingCheck,
    SafeguardingConcern,
    Shift,
    User,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services import safeguarding as sg
from peerdesk.services.auth import actor_for
from peerdesk.ui.concern_form import ConcernView
from peerdesk.ui.concerns_page import ConcernsPage
from peerdesk.ui.main_window import MainWindow
from tests.ui.conftest import Answers, SignInAs, open_group


@dataclass
class Raised:
    folder: DataFolder
    concern: uuid.UUID


@pytest.fixture
def raised(org_folder: DataFolder) -> Raised:
    """Vic raised a concern this morning; Ola is on a phone shift alone and is 50 minutes past
    her expected finish without checking out."""
    now = clock.now()
    store = open_group(org_folder)
    try:
        with store.session() as s:
            vic, ola = (Volunteer(preferred_name=n, status=VolunteerStatus.ACTIVE)
                        for n in ("Vic", "Ola"))  # fmt: skip
            phone = Activity(name="Phone line", kind=ActivityKind.PHONE_ONLINE)
            s.add_all([vic, ola, phone])
            s.flush()
            user = s.scalars(select(User).where(User.username == "vic")).one()
            user.volunteer_id = vic.id
            start = now - timedelta(hours=3)
            shift = Shift(activity_id=phone.id, starts_at=start, ends_at=start + timedelta(hours=2),
                          lone_working=True)  # fmt: skip
            s.add(shift)
            s.flush()
            on = Assignment(shift_id=shift.id, volunteer_id=ola.id,
                            status=AssignmentStatus.CONFIRMED)  # fmt: skip
            s.add(on)
            s.flush()
            s.add(LoneWorkingCheck(assignment_id=on.id, checked_in_at=start,
                                   expected_end_at=now - timedelta(minutes=50)))  # fmt: skip
            s.flush()
            actor = actor_for(user)
        what = "A participant spoke of harming a neighbour."
        data = sg.ConcernInput(
            ConcernCategory.RISK_TO_OTHERS, now - timedelta(hours=4), what, "Told the lead."
        )
        with store.session(actor) as s:
            concern = sg.raise_concern(s, actor, data, now)
    finally:
        store.close(backup=False)
    return Raised(org_folder, concern)


def page_of(window: MainWindow) -> ConcernsPage:
    return window.session_desk.concerns_page  # type: ignore[no-any-return]


def listed(window: MainWindow) -> int:
    window.show_area("safeguarding")
    return page_of(window).concerns.topLevelItemCount()


def views_of(window: MainWindow, concern: uuid.UUID) -> int:
    control = window.control
    with control.signed_in.store.read() as s:
        return len(
            s.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "view", AuditEvent.entity_id == str(concern)
                )
            ).all()
        )


def test_coordinator_opens_moves_on_and_adds_an_action(
    signed_in_as: SignInAs, raised: Raised, qtbot: QtBot, answers: Answers
) -> None:
    window, control = signed_in_as("coordinator")
    today = window.today.attention
    assert today is not None
    assert "A safeguarding concern (risk to others)" in today.text()
    assert "Ola has not checked out of Phone line" in today.text()
    assert listed(window) == 1
    page = page_of(window)
    assert page.overdue_box.isVisible() and page.overdue.topLevelItemCount() == 1
    page.concerns.itemActivated.emit(page.concerns.topLevelItem(0), 0)
    view = window.session_desk.dialog
    assert isinstance(view, ConcernView) and view.manage.isVisible()
    assert view.what.text() == "A participant spoke of harming a neighbour."
    assert views_of(window, raised.concern) == 1
    view.status.setCurrentIndex(view.status.findData(ConcernStatus.ESCALATED.value))
    view.status.activated.emit(view.status.currentIndex())
    qtbot.keyClicks(view.new_action, "Call the host's safeguarding lead")
    qtbot.keyClicks(view.owner, "Test Coordinator")
    qtbot.keyClicks(view.due, "30 Feb 2026")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert "is not a date" in view.problem.text()
    assert view.new_action.text() == "Call the host's safeguarding lead"  # kept
    view.due.setText("")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.action_list.topLevelItemCount() == 1 and view.new_action.text() == ""
    # Closing asks first; saying no leaves it as it was.
    answers.confirm = False
    view.status.setCurrentIndex(view.status.findData(ConcernStatus.CLOSED.value))
    view.status.activated.emit(view.status.currentIndex())
    assert answers.shown[-1].startswith("Close this concern?")
    assert view.status.currentData() == ConcernStatus.ESCALATED.value
    view.reject()
    # The coordinator heard from Ola: checked out, and gone from Today.
    qtbot.mouseClick(page.safe_button, Qt.MouseButton.LeftButton)
    assert not page.overdue_box.isVisible()
    window.show_area("today")  # read again when opened, since a check-out was announced
    assert "Ola has not checked out" not in today.text()
    with control.signed_in.store.read() as s:
        concern = s.get_one(SafeguardingConcern, raised.concern)
        assert concern.status is ConcernStatus.ESCALATED and concern.escalated_at is not None
        assert s.scalars(select(LoneWorkingCheck.checked_out_at)).one() is not None


def test_the_raiser_reads_it_only(signed_in_as: SignInAs, raised: Raised) -> None:
    window, _ = signed_in_as("vic")
    assert listed(window) == 1
    page = page_of(window)
    assert not page.overdue_box.isVisible()
    page.concerns.itemActivated.emit(page.concerns.topLevelItem(0), 0)
    view = window.session_desk.dialog
    assert isinstance(view, ConcernView)
    assert not view.manage.isVisible()
    assert "it can no longer be changed" in view.summary.text()
    assert views_of(window, raised.concern) == 1
    today = window.today.attention
    assert today is None or "safeguarding concern" not in today.text()


@pytest.mark.parametrize("username", ["sam"])
def test_others_see_no_concerns(signed_in_as: SignInAs, raised: Raised, username: str) -> None:
    window, _ = signed_in_as(username)
    assert listed(window) == 0
    assert views_of(window, raised.concern) == 0


def test_a_trustee_has_no_safeguarding_area(signed_in_as: SignInAs, raised: Raised) -> None:
    window, _ = signed_in_as("tess")
    assert "safeguarding" not in window.area_keys()
    today = window.today.attention
    assert today is None or not today.isVisible() or "concern" not in today.text()
