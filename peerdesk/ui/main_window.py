"""The main window: the sign-in screen, and once someone is signed in a sidebar of the areas
their role may use, the page for each, menus and the status bar.

It is built from Qt alone so it can be on screen before the database stack is imported; the
`StoreControl` decides what to show once it has looked at the data folder. At startup the sign-in
screen and the shortcuts are added in the first turn of the event loop after the window is shown
(`build_pages`): each new kind of Qt widget or enumeration costs time on first use. The areas'
pages are built only when first opened, through the registry (`ui/area_registry.py`), which also
tells each one who signed in, what changed and when to forget. Window size, the sidebar split and
every list's columns are remembered between runs.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
)

import peerdesk
from peerdesk.ui.page_stack import PageStack, scrolling
from peerdesk.ui.today_page import TodayPage

if TYPE_CHECKING:
    from collections.abc import Iterable

    from PySide6.QtWidgets import QListWidgetItem, QWidget

    from peerdesk.services.auth import SignedIn
    from peerdesk.ui.area_registry import AreaPage, OpenAreas
    from peerdesk.ui.audit_page import AuditPage
    from peerdesk.ui.changes import Change
    from peerdesk.ui.compliance_page import TrainingPage
    from peerdesk.ui.list_page import ListPage
    from peerdesk.ui.outcomes_page import OutcomesPage
    from peerdesk.ui.reports_page import ReportsPage
    from peerdesk.ui.rota.rota_page import RotaPage
    from peerdesk.ui.settings_page import SettingsPage
    from peerdesk.ui.signin_page import SignInPage
    from peerdesk.ui.supervision_page import SupervisionPage

KEY = 0x0100  # Qt.ItemDataRole.UserRole: loading the Qt namespace would slow start-up


class MainWindow(QMainWindow):
    def __init__(self, build_pages: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("peerdesk")
        self.control: Any = None  # the StoreControl, once the data folder is being looked at
        self._shortcuts: list[tuple[QAction, Any]] = []  # set in build_pages
        self.today = TodayPage()
        self.today.open_area.connect(self.open_link)
        self.lists = BuiltLists(self)  # the list pages built so far, by their area's key
        self.areas: OpenAreas | None = None  # set in build_pages
        self.sign_in_page: SignInPage | None = None
        self._session_desk: Any = None  # "Log a session", Sessions and Safeguarding, once built
        self.pages: dict[str, QWidget] = {"today": self.today}  # the pages built so far
        self.sidebar = QListWidget()
        self.stack = PageStack()
        self.splitter = QSplitter()
        self.screens = QStackedWidget()
        self.signed_in_as = QLabel()
        self.last_backup = QLabel()
        self._build_body()
        self._build_menus()
        self.statusBar().showMessage("Opening your data…")
        self._restore_layout()
        if build_pages:
            self.build_pages()

    def _build_body(self) -> None:
        self.sidebar.setAccessibleName("Areas")
        self.sidebar.setSpacing(3)
        self.stack.addWidget(self.today)
        self.sidebar.currentItemChanged.connect(self._show_item)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(scrolling(self.stack))  # a page scrolls on a small screen
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.screens.addWidget(self.splitter)
        self.setCentralWidget(self.screens)

    def build_pages(self) -> None:
        """The sign-in screen, the keyboard shortcuts and the areas' registry (once). Setting
        the first shortcut loads all of Qt's key enumerations, so that too waits until after
        show. The areas' own pages wait until each is first opened."""
        if self.sign_in_page is not None:
            return
        for action, keys in self._shortcuts:
            action.setShortcut(keys)
        from peerdesk.ui.area_registry import OpenAreas
        from peerdesk.ui.signin_page import SignInPage

        self.areas = OpenAreas(self)
        self.sign_in_page = SignInPage()
        self.screens.addWidget(self.sign_in_page)
        self._build_status_bar()
        self.show_signed_out()

    # The areas ---------------------------------------------------------------------------------
    def add_page(self, key: str, widget: "QWidget") -> None:
        """An area's page, just built: into the stack of pages."""
        self.pages[key] = widget
        if self.stack.indexOf(widget) < 0:
            self.stack.addWidget(widget)

    def area(self, key: str) -> "AreaPage":
        """An area's page, built if it was not yet (a link or a test may reach it before
        anyone opens it), read for whoever is signed in if their role may open it."""
        assert self.areas is not None, "build_pages first"
        return self.areas.page(key)

    def current_area(self) -> str | None:
        item = self.sidebar.currentItem()
        return None if item is None else str(item.data(KEY))

    def announce_changes(self, changes: "Iterable[Change]") -> None:
        """Something was saved (`ui/action.py`): each area showing it reads it again."""
        if self.areas is not None:
            self.areas.announce(changes)

    # Each area's page, built when asked for: the tests and the desks reach them here.
    @property
    def audit_page(self) -> "AuditPage":
        return self.area("audit").widget  # type: ignore[return-value]

    @property
    def training_page(self) -> "TrainingPage":
        return self.area("training").widget  # type: ignore[return-value]

    @property
    def rota_page(self) -> "RotaPage":
        return self.area("rota").widget  # type: ignore[return-value]

    @property
    def supervision_page(self) -> "SupervisionPage":
        return self.area("supervision").widget  # type: ignore[return-value]

    @property
    def reports_page(self) -> "ReportsPage":
        return self.area("reports").widget  # type: ignore[return-value]

    @property
    def outcomes_page(self) -> "OutcomesPage":
        return self.area("outcomes").widget  # type: ignore[return-value]

    @property
    def settings_page(self) -> "SettingsPage":
        return self.area("settings").widget  # type: ignore[return-value]

    @property
    def session_desk(self) -> Any:
        if self._session_desk is None:
            for key in ("log", "sessions", "safeguarding"):
                self.area(key)
        return self._session_desk

    @session_desk.setter
    def session_desk(self, desk: Any) -> None:
        self._session_desk = desk

    def _build_status_bar(self) -> None:
        """Who is signed in, the lock one click away, and the last backup."""
        from PySide6.QtWidgets import QSizePolicy

        status = self.statusBar()
        # A long name is clipped rather than widening the window.
        self.signed_in_as.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.signed_in_as.setMinimumWidth(60)
        self.lock_button = _lock_button(self.lock_action)
        status.addPermanentWidget(self.signed_in_as, 1)
        status.addPermanentWidget(self.last_backup)
        status.addPermanentWidget(self.lock_button)

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        self.backup_action = self._action(file, "&Back up now", QKeySequence.StandardKey.Save)
        self.restore_action = self._action(file, "&Restore from backup…")
        file.addSeparator()
        self.import_volunteers_action = self._action(file, "&Import volunteers…")
        self.import_training_action = self._action(file, "Import &training…")
        self.export_volunteers_action = self._action(file, "&Export volunteers…")
        self.export_training_action = self._action(file, "Export t&raining…")
        self.data_actions = (
            self.import_volunteers_action,
            self.import_training_action,
            self.export_volunteers_action,
            self.export_training_action,
        )
        for action in self.data_actions:
            action.setVisible(False)  # coordinators only: shown when one signs in
        self.anonymise_action = self._action(file, "Remove personal details of &past volunteers…")
        self.anonymise_action.setVisible(False)  # coordinators only, like the data actions
        self.accounts_action = self._action(file, "&Accounts…")
        self.accounts_action.setToolTip("Who can sign in: new passwords, unlocking, roles")
        self.accounts_action.setVisible(False)  # for whoever manages accounts (coordinators)
        file.addSeparator()
        self.change_secret_action = self._action(file, "&Change my password or PIN…")
        self.lock_action = self._action(file, "&Lock / switch user", QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Lock the screen so someone else can sign in (Ctrl+L)")
        file.addSeparator()
        self._action(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit = self.menuBar().addMenu("&Edit")
        self.find_action = self._action(edit, "&Find", QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_filter)
        self.go_menu = self.menuBar().addMenu("&Go")
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About peerdesk…", None, self.about)
        self._signed_in_actions = (self.change_secret_action, self.lock_action, self.find_action)
        for action in (self.backup_action, self.restore_action, *self._signed_in_actions):
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

    # Signed in and out -------------------------------------------------------------------------
    def show_signed_in(
        self, signed: "SignedIn", who: str, areas: list[str], manages_data: bool
    ) -> None:
        """The work screen with only `areas` (keys of the registry) in the sidebar and Go menu,
        each read for `signed` when first opened."""
        from PySide6.QtWidgets import QListWidgetItem

        from peerdesk.ui.area_registry import LABELS

        assert self.areas is not None
        self.areas.signed_in(signed, areas)
        self.sidebar.blockSignals(True)  # the first area opens once the sidebar is whole
        self.sidebar.clear()
        self.go_menu.clear()
        for n, key in enumerate(areas):
            item = QListWidgetItem(LABELS[key])
            item.setData(KEY, key)
            self.sidebar.addItem(item)
            # Owned by the menu, so clearing the menu deletes them with their shortcuts.
            action = self.go_menu.addAction(f"&{LABELS[key]}")
            action.triggered.connect(lambda _checked=False, k=key: self.show_area(k))
            if n < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
        self.sidebar.setCurrentRow(-1)
        self.sidebar.blockSignals(False)
        self.sidebar.setCurrentRow(0)
        for action in self._signed_in_actions:
            action.setEnabled(True)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(manages_data)
            action.setVisible(manages_data)
        self.signed_in_as.setText(f"Signed in as {who}")
        self.lock_button.show()
        self.statusBar().clearMessage()
        self.screens.setCurrentWidget(self.splitter)

    def show_signed_out(self) -> None:
        """The sign-in screen. Every page forgets what it showed, open dialogs close, and the
        sidebar empties: nothing of the last person's data stays on screen or in a model."""
        from PySide6.QtWidgets import QDialog

        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        if self.areas is not None:
            self.areas.signed_out()  # every page built forgets what it showed
        self.today.clear()
        self.sidebar.clear()
        self.go_menu.clear()
        for action in (self.backup_action, self.restore_action, *self._signed_in_actions):
            action.setEnabled(False)
        for action in (*self.data_actions, self.anonymise_action, self.accounts_action):
            action.setVisible(False)
        self.setWindowTitle("peerdesk")
        for label in (self.signed_in_as, self.last_backup):
            label.clear()
        self.lock_button.hide()  # nothing to lock on the sign-in screen
        self.statusBar().clearMessage()
        if self.sign_in_page is not None:
            self.screens.setCurrentWidget(self.sign_in_page)

    # What the rest of the app calls ------------------------------------------------------------
    def area_keys(self) -> list[str]:
        return [self.sidebar.item(n).data(KEY) for n in range(self.sidebar.count())]

    def area_labels(self) -> dict[str, str]:
        """The sidebar's words for the areas this person may open."""
        from peerdesk.ui.area_registry import LABELS

        return {key: LABELS[key] for key in self.area_keys()}

    def show_area(self, key: str) -> None:
        if key in self.area_keys():
            self.sidebar.setCurrentRow(self.area_keys().index(key))

    def open_link(self, link: str) -> None:
        """An area, or "area#place" for a part of one (a tab): where the thing linked to is."""
        key, _, place = link.partition("#")
        self.show_area(key)
        page: Any = self.pages.get(key)
        if place and page is not None and self.stack.currentWidget() is page:
            show_place = getattr(page, "show_place", None)
            if show_place is not None:
                show_place(place)

    def _show_item(self, item: "QListWidgetItem | None") -> None:
        if item is not None and self.areas is not None:
            key = item.data(KEY)
            self.areas.opened(key)  # built, read for the person, or read again if it changed
            self.stack.setCurrentWidget(self.pages[key])
            self.keep_status_bar_last()

    def keep_status_bar_last(self) -> None:
        """The lock in the status bar last in Tab order, after the page above it: a page that
        builds a part of itself when first shown (Today's links) gets it put last by Qt."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QWidget

        before = self.previousInFocusChain()  # the end of the window's Tab circle
        while before is not None and before is not self.lock_button and before is not self:
            if before.focusPolicy() & Qt.FocusPolicy.TabFocus:
                QWidget.setTabOrder(before, self.lock_button)
                return
            before = before.previousInFocusChain()

    def current_list(self) -> "ListPage | None":
        page = self.stack.currentWidget()
        return page if page in self.lists.values() else None  # type: ignore[return-value]

    def focus_filter(self) -> None:
        """Find (Ctrl+F): the filter box of whichever page is showing, when it has one."""
        focus = getattr(self.stack.currentWidget(), "focus_filter", None)
        if focus is not None:
            focus()

    def show_status(self, last_backup: str) -> None:
        self.last_backup.setText(f"Last backup: {last_backup}")
        if "settings" in self.pages:
            self.settings_page.show_last_backup(last_backup)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

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


class BuiltLists(dict[str, "ListPage"]):
    """The list pages built so far. Asking for one not built yet builds its area (each list
    page belongs to the area of the same key), so a link or a test can reach it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def __missing__(self, key: str) -> "ListPage":
        self._window.area(key)
        return dict.__getitem__(self, key)


def _lock_button(action: QAction) -> "QWidget":
    """One click from anywhere: the lock in the status bar, beside who is signed in."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolButton

    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(True)
    button.setText("Lock / switch user")
    return button
