"""The main window over real data: each area, the filter, layout, errors."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db.paths import DataFolder
from peerdesk.db.sealing import is_sealed
from peerdesk.models import Volunteer, VolunteerStatus
from peerdesk.ui import messages
from peerdesk.ui.area_registry import LABELS
from peerdesk.ui.list_page import ListPage
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.tasks import TaskRunner
from tests import engines
from tests.ui.conftest import Answers, OpenWindow, SignInAs, open_group


def _add_volunteers(folder: DataFolder, count: int) -> None:
    store = open_group(folder)
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


def test_each_area_shows(signed_in_as: SignInAs, org_folder: DataFolder) -> None:
    _add_volunteers(org_folder, 3)
    window, _ = signed_in_as("coordinator")
    for key in window.area_keys():
        window.show_area(key)
        assert window.sidebar.currentItem().text() == LABELS[key]
        assert window.stack.currentWidget() is window.pages[key]
    assert window.today.numbers["active_volunteers"].text() == "3"
    volunteers = window.lists["volunteers"]
    assert volunteers.model is not None and volunteers.model.rowCount() == 3
    assert volunteers.count.text() == "3 volunteers"
    assert window.settings_page is not None
    control = window.control
    assert control is not None and control.store is not None
    where = control.store.where if engines.server_url() else str(org_folder.db_file)
    assert where in window.settings_page.data_file.text()


def test_go_menu_shortcuts_follow_the_sidebar(signed_in_as: SignInAs) -> None:
    window, _ = signed_in_as("tess")
    actions = window.go_menu.actions()
    assert [a.shortcut().toString() for a in actions] == [f"Ctrl+{n}" for n in range(1, 7)]
    actions[3].trigger()
    assert window.stack.currentWidget() is window.pages["reports"] is window.reports_page


def test_filter_box_narrows_the_list(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot
) -> None:
    _add_volunteers(org_folder, 30)
    window, _ = signed_in_as("coordinator")
    page = window.lists["volunteers"]
    qtbot.keyClicks(page.filter, "Volunteer 01")
    qtbot.waitUntil(lambda: page.count.text() == "10 matching volunteers")


def test_geometry_and_columns_are_remembered(
    qtbot: QtBot, signed_in_as: SignInAs, open_window: OpenWindow
) -> None:
    window, _ = signed_in_as("coordinator")
    window.resize(QSize(700, 500))
    window.lists["volunteers"].table.horizontalHeader().resizeSection(0, 222)
    window.close()
    assert QSettings().value("main/geometry") is not None
    again = MainWindow(build_pages=False)  # as at start-up
    qtbot.addWidget(again)
    assert again.size() == QSize(700, 500)
    window2, _ = signed_in_as("coordinator")
    assert window2.lists["volunteers"].table.horizontalHeader().sectionSize(0) == 222


@pytest.mark.expect_unexpected_error
def test_unexpected_error_is_shown_plainly(qtbot: QtBot, answers: Answers) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    tasks = TaskRunner(window)

    def broken(_progress: object) -> None:
        raise RuntimeError("boom")

    tasks.run(broken, title="Working")
    qtbot.waitUntil(lambda: bool(answers.shown))
    assert answers.shown == [messages.UNEXPECTED]


def test_pages_and_names(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert all(isinstance(p, ListPage) for p in window.lists.values())
    assert window.sidebar.accessibleName() == "Areas"
    assert window.sidebar.count() == 0  # nobody signed in: no areas
    assert window.screens.currentWidget() is window.sign_in_page


def test_the_volunteer_list_shows_sealed_emails_and_says_it_does_not_search_them(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot
) -> None:
    """Email and phone are sealed (docs/keys.md): a coordinator still sees them in the list,
    but the filter searches names, roles and status only, and says so."""
    store = open_group(org_folder)
    with store.session() as s:
        s.add(Volunteer(preferred_name="Zed", status=VolunteerStatus.ACTIVE,
                        email="zed.quill@example.org", phone="07700 900432"))  # fmt: skip
    with store.read() as s:
        stored = s.scalars(select(Volunteer.email)).one()
    store.close(backup=False)
    assert stored is not None and is_sealed(stored)
    window, _ = signed_in_as("coordinator")
    page = window.lists["volunteers"]
    assert page.model is not None and page.model.rowCount() == 1
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    shown = {h: page.model.index(0, c).data() for c, h in enumerate(headers)}
    assert (shown["Email"], shown["Phone"]) == ("zed.quill@example.org", "07700 900432")
    assert "email and phone are sealed: not searched" in page.filter.placeholderText()
    qtbot.keyClicks(page.filter, "quill")
    qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 0)
    page.filter.clear()
    qtbot.keyClicks(page.filter, "zed")
    qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 1)
