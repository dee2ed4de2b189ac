"""The Audit page: the trail's events with filters, and whether the chain verifies."""

from PySide6.QtCore import QDate, QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from peerdesk import clock
from peerdesk.db import audit
from peerdesk.services.auth import SignedIn
from peerdesk.ui.audit_page import AuditPage
from tests.ui.conftest import SignInAs


def _today() -> QDate:
    """Today where the group is (the computer's own day can differ around midnight)."""
    day = clock.today()
    return QDate(day.year, day.month, day.day)


def _rows(page: AuditPage) -> list[tuple[str, str]]:
    model = page.model
    assert model is not None
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [(model.index(r, 1).data(), model.index(r, 2).data()) for r in range(model.rowCount())]


def test_sign_in_is_listed_and_the_filter_narrows_by_person(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, _ = signed_in_as("coordinator")
    window.show_area("audit")
    page = window.audit_page
    assert page is not None and window.stack.currentWidget() is page
    assert ("Test Coordinator", "Test Coordinator signed in") in _rows(page)
    assert page.action.itemText(page.action.findData("sign_in")) == "Signed in"
    qtbot.waitUntil(lambda: "checks out" in page.chain.text())
    who = [page.who.itemData(n) for n in range(page.who.count())]
    assert who == ["", "coordinator", "sam", "tess", "vic"]
    page.who.setCurrentIndex(who.index("sam"))
    assert _rows(page) == []
    assert page.count.text() == "0 events"
    page.who.setCurrentIndex(who.index("coordinator"))
    assert _rows(page) and all(name == "Test Coordinator" for name, _ in _rows(page))
    page.action.setCurrentIndex(page.action.findData("sign_in"))
    assert {what for _, what in _rows(page)} == {"Test Coordinator signed in"}
    assert page.count.text() == "1 event"  # never "1 events"
    page.since.setDate(_today().addDays(1))
    assert _rows(page) == []
    page.reset.click()
    assert page.who.currentIndex() == 0 and len(_rows(page)) > 1


def test_a_sign_out_by_someone_else_shows_up(signed_in_as: SignInAs, qtbot: QtBot) -> None:
    window, control = signed_in_as("vic")
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: control.kept_lock is not None)
    from tests.ui.conftest import sign_in

    sign_in(qtbot, window, "coordinator")
    page = window.audit_page
    assert page is not None
    assert ("Vic Volunteer", "Vic Volunteer signed out") in _rows(page)


def test_audit_model_keeps_qt_rules(
    coordinator: SignedIn, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    # Outside the window: closing the window deletes the model, before the tester is done.
    with coordinator.store.session(coordinator.actor) as s:
        for n in range(5):
            audit.record(s, "export", "reports", str(n))
    page = AuditPage()
    qtbot.addWidget(page)
    page.attach(coordinator.store.read, coordinator.actor)
    assert page.model is not None
    qtmodeltester.check(page.model, force_py=True)
    page.action.setCurrentIndex(page.action.findData("export"))
    assert len(_rows(page)) == 5
    assert page.count.text() == "5 events"
    assert {what for _, what in _rows(page)} == {"Test Coordinator exported a file"}
    page.since.setDate(_today().addDays(-1))
    page.until.setDate(_today())
    assert len(_rows(page)) == 5
    qtmodeltester.check(page.model, force_py=True)
