"""The main window over real data: each area, backups, the lock, a damaged file, layout."""

from datetime import date

from PySide6.QtCore import QSettings, QSize, Qt
from pytestqt.qtbot import QtBot

from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import Volunteer, VolunteerStatus
from peerdesk.ui import messages
from peerdesk.ui.list_page import ListPage
from peerdesk.ui.main_window import AREAS, MainWindow
from peerdesk.ui.store_control import START_EMPTY, TAKE_OVER
from peerdesk.ui.tasks import TaskRunner
from tests.ui.conftest import Answers, OpenWindow


def _add_volunteers(folder: DataFolder, count: int) -> None:
    store = Store.open(folder)
    with store.session() as s:
        for n in range(count):
            s.add(
                Volunteer(
                    preferred_name=f"Volunteer {n:03}",
                    status=VolunteerStatus.ACTIVE,
                    started_on=date(2024, 1, 1),
                )
            )
    store.close(backup=False)


def test_each_area_shows(open_window: OpenWindow, org_folder: DataFolder) -> None:
    _add_volunteers(org_folder, 3)
    window, _ = open_window(org_folder)
    for number, label in enumerate(AREAS):
        window.show_area(number)
        assert window.sidebar.currentItem().text() == label
        assert window.stack.currentIndex() == number
    assert window.today.numbers["active_volunteers"].text() == "3"
    volunteers = window.lists["volunteers"]
    assert volunteers.model is not None and volunteers.model.rowCount() == 3
    assert volunteers.count.text() == "3 volunteers"
    assert "Riverside Peer Support" in window.windowTitle()
    assert str(org_folder.db_file) in window.data_file.text()


def test_filter_box_narrows_the_list(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    _add_volunteers(org_folder, 30)
    window, _ = open_window(org_folder)
    page = window.lists["volunteers"]
    qtbot.keyClicks(page.filter, "Volunteer 01")
    qtbot.waitUntil(lambda: page.count.text() == "10 matching volunteers")


def test_back_up_now_writes_a_backup(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    window, _ = open_window(org_folder)
    assert list(org_folder.backup_dir.glob("*.sqlite3")) == []
    qtbot.mouseClick(window.settings_page.back_up, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("backed up" in m for m in answers.shown))
    assert len(list(org_folder.backup_dir.glob("peerdesk-*-manual.sqlite3"))) == 1
    assert "none yet" not in window.last_backup.text()


def test_geometry_and_columns_are_remembered(
    qtbot: QtBot, open_window: OpenWindow, org_folder: DataFolder
) -> None:
    window, _ = open_window(org_folder)
    window.resize(QSize(700, 500))
    window.lists["volunteers"].table.horizontalHeader().resizeSection(0, 222)
    window.close()
    assert QSettings().value("main/geometry") is not None
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size() == QSize(700, 500)
    window2, _ = open_window(org_folder)
    assert window2.lists["volunteers"].table.horizontalHeader().sectionSize(0) == 222


def test_lock_held_elsewhere_can_be_taken_over(
    open_window: OpenWindow, org_folder: DataFolder, answers: Answers
) -> None:
    other = FolderLock.acquire(org_folder.lock_file)
    answers.choice = TAKE_OVER
    try:
        _, control = open_window(org_folder)
    finally:
        other.release()
    assert control.store is not None
    assert any("in use by" in m for m in answers.shown)


def test_damaged_file_is_set_aside_and_a_fresh_one_started(
    open_window: OpenWindow, empty_folder: DataFolder, answers: Answers, monkeypatch
) -> None:
    from peerdesk.ui.welcome import WelcomeDialog

    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: 0)
    empty_folder.db_file.write_bytes(b"this is not a database" * 100)
    answers.choice = START_EMPTY
    _, control = open_window(empty_folder)
    assert control.store is not None
    assert list(empty_folder.root.glob("peerdesk-damaged-*"))
    assert any("has been moved to" in m for m in answers.shown)


def test_unexpected_error_is_shown_plainly(qtbot: QtBot, answers: Answers) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    tasks = TaskRunner(window)

    def broken(_progress: object) -> None:
        raise RuntimeError("boom")

    tasks.run(broken, title="Working")
    qtbot.waitUntil(lambda: bool(answers.shown))
    assert answers.shown == [messages.UNEXPECTED]


def test_list_pages_are_list_pages(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert all(isinstance(p, ListPage) for p in window.lists.values())
    assert window.sidebar.accessibleName() == "Areas"
