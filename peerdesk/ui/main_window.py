"""The main window: a sidebar of areas, the page for each, menus and the status bar.

It is built from Qt alone so it can be on screen before the database stack is imported; the
`StoreControl` fills it once the data is open. At startup the list pages and shortcuts are added
in the first turn of the event loop after the window is shown (`build_pages`): each new kind of
Qt widget or enumeration costs time on first use, and the lists have nothing to show until the
data is open anyway. Window size, the sidebar split and every list's
columns are remembered between runs.
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

import peerdesk
from peerdesk.ui.today_page import TodayPage

if TYPE_CHECKING:
    from peerdesk.ui.list_page import ListPage
    from peerdesk.ui.settings_page import SettingsPage

# (key, sidebar label, option shown above the list)
LISTS = (
    ("volunteers", "Volunteers", None),
    ("rota", "Rota", "Show &past shifts"),
    ("sessions", "Sessions", None),
    ("supervision", "Supervision", None),
    ("training", "Training", None),
    ("reports", "Reports", None),
)
AREAS = ("Today", *(label for _key, label, _opt in LISTS), "Settings")


class MainWindow(QMainWindow):
    def __init__(self, build_pages: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("peerdesk")
        self.control: Any = None  # the StoreControl, once the data is being opened
        self._shortcuts: list[tuple[QAction, Any]] = []  # set in build_pages
        self.today = TodayPage()
        self.lists: dict[str, ListPage] = {}
        self.settings_page: SettingsPage | None = None
        self.sidebar = QListWidget()
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.data_file = QLabel()
        self.last_backup = QLabel()
        self._build_body()
        self._build_menus()
        self.statusBar().addPermanentWidget(self.data_file)
        self.statusBar().addPermanentWidget(self.last_backup)
        self.statusBar().showMessage("Opening your data…")
        self._restore_layout()
        if build_pages:
            self.build_pages()

    def _build_body(self) -> None:
        self.sidebar.setAccessibleName("Areas")
        self.sidebar.setSpacing(3)
        self.sidebar.addItems(AREAS)
        self.stack.addWidget(self.today)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def build_pages(self) -> None:
        """The list pages, the Settings page and the keyboard shortcuts (once). Setting the
        first shortcut loads all of Qt's key enumerations, so that too waits until after show."""
        if self.settings_page is not None:
            return
        for action, keys in self._shortcuts:
            action.setShortcut(keys)
        from peerdesk.ui.list_page import ListPage
        from peerdesk.ui.settings_page import SettingsPage

        self.lists = {key: ListPage(key, label, option) for key, label, option in LISTS}
        self.settings_page = SettingsPage()
        for page in (*self.lists.values(), self.settings_page):
            self.stack.addWidget(page)
        self.stack.setCurrentIndex(self.sidebar.currentRow())
        self.settings_page.backup_requested.connect(self.backup_action.trigger)
        self.settings_page.restore_requested.connect(self.restore_action.trigger)
        self.set_data_open(False)

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self.backup_action = self._action(file, "&Back up now", QKeySequence.StandardKey.Save)
        self.restore_action = self._action(file, "&Restore from backup…")
        file.addSeparator()
        self._action(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit = self.menuBar().addMenu("&Edit")
        self._action(edit, "&Find", QKeySequence.StandardKey.Find, self.focus_filter)
        go = self.menuBar().addMenu("&Go")
        for n, label in enumerate(AREAS):
            self._action(go, f"&{label}", QKeySequence(f"Ctrl+{n + 1}"), partial(self.show_area, n))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About peerdesk…", None, self.about)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(False)

    def _action(
        self, menu: Any, text: str, keys: Any = None, slot: Callable[[], Any] | None = None
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            self._shortcuts.append((action, keys))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # What the rest of the app calls ------------------------------------------------------------
    def show_area(self, number: int) -> None:
        self.sidebar.setCurrentRow(number)

    def current_list(self) -> "ListPage | None":
        page = self.stack.currentWidget()
        return page if page in self.lists.values() else None  # type: ignore[return-value]

    def focus_filter(self) -> None:
        page = self.current_list()
        if page is not None:
            page.focus_filter()

    def show_status(self, data_file: str, last_backup: str) -> None:
        self.data_file.setText(f"Data: {data_file}")
        self.last_backup.setText(f"Last backup: {last_backup}")
        if self.settings_page is not None:
            self.settings_page.show_last_backup(last_backup)

    def set_data_open(self, is_open: bool) -> None:
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(is_open)
        if self.settings_page is not None:
            self.settings_page.set_enabled(is_open)
        if not is_open:
            for page in self.lists.values():
                page.detach()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About peerdesk",
            f"<h3>peerdesk {peerdesk.__version__}</h3>"
            "<p>Rota, session logs, training, supervision and governance reports for small "
            "peer-support groups. Everything stays on this computer.</p>"
            "<p>Free software under the GNU Affero General Public License, version 3 or later.</p>",
        )

    # Remembered layout -------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 700)
        splitter = settings.value("main/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([150, 950])

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        for page in self.lists.values():
            page.save_state(settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.control is not None:
            self.control.shut_down()
        event.accept()
