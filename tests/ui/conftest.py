"""Fixtures for the window's tests: settings kept in a temporary folder, message boxes answered
by the test, and data folders in each state the window must handle."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot

from peerdesk.db.backup import copy_database
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.services.organisation import create_organisation
from peerdesk.ui import messages
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl

# The headless "offscreen" platform cannot pass a window's size limits to a window system and
# says so whenever a layout changes a top-level window's minimum size; that is the test platform
# talking, not peerdesk. Every other Qt warning still fails the test.
OFFSCREEN_LIMITATION = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_LIMITATION))


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, qapp: Any) -> Iterator[None]:
    """Every test gets its own settings file: the real user settings are never touched."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QCoreApplication.setOrganizationName("peerdesk-tests")
    QCoreApplication.setApplicationName(f"peerdesk-{tmp_path.name}")
    yield


class Answers:
    """Records each message shown and gives the answer a test asked for."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.choice: str | None = None
        self.confirm = True

    def show_error(self, _parent: Any, err: BaseException) -> None:
        self.shown.append(str(err) if isinstance(err, PeerdeskError) else messages.UNEXPECTED)

    def inform(self, _parent: Any, text: str) -> None:
        self.shown.append(text)

    def choose(self, _parent: Any, text: str, detail: str, _actions: list[str]) -> str | None:
        self.shown.append(f"{text} {detail}")
        return self.choice

    def ask(self, _parent: Any, text: str, _action: str) -> bool:
        self.shown.append(text)
        return self.confirm


@pytest.fixture(autouse=True)
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    given = Answers()
    monkeypatch.setattr(messages, "show_error", given.show_error)
    monkeypatch.setattr(messages, "inform", given.inform)
    monkeypatch.setattr(messages, "choose", given.choose)
    monkeypatch.setattr(messages, "confirm", given.ask)
    return given


@pytest.fixture
def empty_folder(folder: DataFolder, migrated_template: Path) -> DataFolder:
    """A migrated data folder with no organisation yet (first run)."""
    folder.ensure()
    copy_database(migrated_template, folder.db_file)
    return folder


@pytest.fixture
def org_folder(empty_folder: DataFolder) -> DataFolder:
    store = Store.open(empty_folder)
    with store.session() as s:
        create_organisation(s, "Riverside Peer Support")
    store.close(backup=False)
    return empty_folder


OpenWindow = Callable[[DataFolder], tuple[MainWindow, StoreControl]]


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[OpenWindow]:
    """Show the main window over a data folder and wait until the data is open."""
    opened: list[MainWindow] = []

    def open_it(data: DataFolder, wait: bool = True) -> tuple[MainWindow, StoreControl]:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        control = StoreControl(window, data)
        control.open()
        opened.append(window)
        if wait:
            qtbot.waitUntil(lambda: control.store is not None, timeout=10_000)
        return window, control

    yield open_it
    for window in opened:
        window.close()  # closes the store and releases the folder
