"""Fixtures for the window's tests: settings kept in a temporary folder, message boxes answered
by the test, and data folders in each state the window must handle.

On PostgreSQL (PEERDESK_TEST_DATABASE_URL, see `tests/engines.py`) the group a test made through
the `store` fixture lives in a server database: `open_window` hands the window that database
(its keys copied into the database, the server remembered as "Use a server…" would), and
`open_group` opens it for a test's own writes, so the same window tests run on both engines."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, update

from peerdesk.db.engine import make_server_engine
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import ServerStore, ServerVault
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.errors import PeerdeskError
from peerdesk.models import UserRole, server_keys
from peerdesk.services.auth import SignedIn
from peerdesk.services.organisation import create_organisation
from peerdesk.services.setup import ensure_account
from peerdesk.ui import messages
from peerdesk.ui.collector import collect_on_gui_thread
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.server_dialog import ServerChoice, remember, remembered
from peerdesk.ui.store_control import StoreControl
from tests import engines
from tests.conftest import EXPECTED, TEST_SECRET, TEST_USER

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
    """Every test gets its own settings file: the real user settings are never touched. The
    cycle collector runs on the GUI thread, as in the app (see peerdesk/ui/collector.py)."""
    collect_on_gui_thread(qapp)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QCoreApplication.setOrganizationName("peerdesk-tests")
    QCoreApplication.setApplicationName(f"peerdesk-{tmp_path.name}")
    yield


class Answers:
    """Records each message shown and gives the answer a test asked for.

    An error someone can act on (a PeerdeskError) is recorded as its sentence, as the window
    shows it. Any other error reaching the person is a bug: it is logged as the window logs it,
    kept in `unexpected`, and fails the test unless the test is marked `expect_unexpected_error`.
    """

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.unexpected: list[BaseException] = []
        self.choice: str | None = None
        self.confirm = True

    def show_error(self, _parent: Any, err: BaseException) -> None:
        if not isinstance(err, PeerdeskError):
            self.unexpected.append(err)
        self.shown.append(messages.sentence(err))  # logs a bug with its traceback

    def inform(self, _parent: Any, text: str) -> None:
        self.shown.append(text)

    def choose(self, _parent: Any, text: str, detail: str, _actions: list[str]) -> str | None:
        self.shown.append(f"{text} {detail}")
        return self.choice

    def ask(self, _parent: Any, text: str, _action: str) -> bool:
        self.shown.append(text)
        return self.confirm


@pytest.fixture(autouse=True)
def answers(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[Answers]:
    given = Answers()
    monkeypatch.setattr(messages, "show_error", given.show_error)
    monkeypatch.setattr(messages, "inform", given.inform)
    monkeypatch.setattr(messages, "choose", given.choose)
    monkeypatch.setattr(messages, "confirm", given.ask)
    yield given
    if given.unexpected and request.node.get_closest_marker(EXPECTED) is None:
        pytest.fail(f"an unexpected error reached the person: {given.unexpected!r}")


@pytest.fixture
def empty_folder(folder: DataFolder) -> DataFolder:
    """A data folder with nothing in it yet (first run)."""
    return folder


# One account per role, all with TEST_SECRET: (username, display name, role)
PEOPLE = (
    ("coordinator", "Test Coordinator", UserRole.COORDINATOR),
    ("sam", "Sam Supervisor", UserRole.SUPERVISOR),
    ("vic", "Vic Volunteer", UserRole.VOLUNTEER),
    ("tess", "Tess Trustee", UserRole.TRUSTEE),
)


@pytest.fixture
def org_folder(coordinator: SignedIn) -> DataFolder:
    """An encrypted folder holding Riverside Peer Support and an account for every role."""
    store = coordinator.store
    with store.session() as s:
        create_organisation(s, "Riverside Peer Support")
    for username, name, role in PEOPLE[1:]:
        ensure_account(store, username, name, role, TEST_SECRET)
    if engines.server_url() is not None:
        hand_to_window(store)
    store.close(backup=False)
    return store.folder


class OpenWindow(Protocol):
    def __call__(
        self, data: DataFolder, idle_ms: int | None = None
    ) -> tuple[MainWindow, StoreControl]: ...


def open_group(folder: DataFolder, username: str = TEST_USER, secret: str = TEST_SECRET) -> Store:
    """The group's store, for a test's own reads and writes beside the window: the folder's
    encrypted file, or on PostgreSQL the server database the window was handed."""
    url = remembered().url
    if url is None:
        return Store.open(Vault.unlock(folder, username, secret)[0])
    engine = make_server_engine(url)
    vault = ServerVault.unlock_on(folder, engine, username, secret)[0]
    return ServerStore(vault, engine, url)


def hand_to_window(store: Store) -> None:
    """On PostgreSQL: the keys the test store kept in its folder go into the database (as a
    group set up on a server keeps them), and the window is told to use that server."""
    document = store.vault.folder.keys_file.read_text(encoding="utf-8")
    with store.engine.begin() as conn:
        if not conn.execute(update(server_keys).values(document=document)).rowcount:
            conn.execute(insert(server_keys).values(id=1, document=document))
    remember(ServerChoice(store.engine.url, store.engine.url.render_as_string(False)))


@pytest.fixture
def open_window(qtbot: QtBot, request: pytest.FixtureRequest) -> Iterator[OpenWindow]:
    """Show the main window over a data folder, as at start-up (nobody signed in yet)."""
    opened: list[MainWindow] = []

    def open_it(data: DataFolder, idle_ms: int | None = None) -> tuple[MainWindow, StoreControl]:
        if engines.server_url() is not None and "store" in request.fixturenames:
            store: Store = request.getfixturevalue("store")
            if store.vault.folder.root == data.root and remembered().url is None:
                hand_to_window(store)
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        control = StoreControl(window, data, idle_ms=idle_ms)
        control.start()
        opened.append(window)
        return window, control

    yield open_it
    for window in opened:
        window.close()  # signs out and releases the folder


def sign_in(qtbot: QtBot, window: MainWindow, username: str, secret: str = TEST_SECRET) -> None:
    """Type a name and password on the sign-in screen and press Enter, as a person would."""
    page = window.sign_in_page
    assert page is not None and window.screens.currentWidget() is page
    page.username.setEditText(username)
    qtbot.keyClicks(page.secret, secret)
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)
    # Generous: the demo's sign-in upgrades and re-seals, and CI shares two cores between two
    # workers; a sign-in that never ends still fails, a slow one is not what is tested here.
    qtbot.waitUntil(lambda: page.sign_in.isEnabled(), timeout=60_000)


SignInAs = Callable[[str], tuple[MainWindow, StoreControl]]


@pytest.fixture
def signed_in_as(open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot) -> SignInAs:
    """The window over `org_folder`, signed in as one of PEOPLE."""

    def open_as(username: str) -> tuple[MainWindow, StoreControl]:
        window, control = open_window(org_folder)
        sign_in(qtbot, window, username)
        assert control.signed_in is not None, window.sign_in_page.message.text()  # type: ignore[union-attr]
        return window, control

    return open_as
