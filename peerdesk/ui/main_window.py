"""The main window: the sign-in screen, and once someone is signed in a sidebar of the areas
their role may use, the page for each, menus and the status bar.

It is built from Qt alone so it can be on screen before the database stack is imported; the
`StoreControl` decides what to show once it has looked at the data folder. At startup the pages,
the sign-in screen and the shortcuts are added in the first turn of the event loop after the
window is shown (`build_pages`): each new kind of Qt widget or enumeration costs time on first
use. Window size, the sidebar split and every list's columns are remembered between runs.
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
    from PySide6.QtWidgets import QListWidgetItem, QWidget

    from peerdesk.ui.audit_page import AuditPage
    from peerdesk.ui.compliance_page import TrainingPage
    from peerdesk.ui.list_page import ListPage
    from peerdesk.ui.outcomes_page import OutcomesPage
    from peerdesk.ui.reports_page import ReportsPage
    from peerdesk.ui.rota.rota_page import RotaPage
    from peerdesk.ui.settings_page import SettingsPage
    from peerdesk.ui.signin_page import SignInPage
    from peerdesk.ui.supervision_page import SupervisionPage

# (key, sidebar label, option shown above the list)
LISTS = (
    ("volunteers", "Volunteers", None),
    ("rota", "Rota", "Show &past shifts"),
    ("sessions", "Sessions", None),
    ("supervision", "Supervision", None),
    ("training", "Training", None),
    ("reports", "Reports", None),
)
LABELS = {"today": "Today", **{k: label for k, label, _ in LISTS}}
LABELS |= {"audit": "Audit", "settings": "Settings"}
LABELS |= {"log": "Log a session", "safeguarding": "Safeguarding"}
LABELS |= {"outcomes": "What works"}
KEY = 0x0100  # Qt.ItemDataRole.UserRole: loading the Qt namespace would slow start-up


class MainWindow(QMainWindow):
    def __init__(self, build_pages: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("peerdesk")
        self.control: Any = None  # the StoreControl, once the data folder is being looked at
        self._shortcuts: list[tuple[QAction, Any]] = []  # set in build_pages
        self.today = TodayPage()
        self.today.open_area.connect(self.open_link)
        self.lists: dict[str, ListPage] = {}
        self.audit_page: AuditPage | None = None
        self.training_page: TrainingPage | None = None
        self.rota_page: RotaPage | None = None
        self.supervision_page: SupervisionPage | None = None
        self.reports_page: ReportsPage | None = None
        self.outcomes_page: OutcomesPage | None = None
        self.settings_page: SettingsPage | None = None
        self.sign_in_page: SignInPage | None = None
        self.session_desk: Any = None  # "Log a session", Sessions and Safeguarding: build_pages
        self.pages: dict[str, QWidget] = {"today": self.today}
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
        """The pages, the sign-in screen and the keyboard shortcuts (once). Setting the first
        shortcut loads all of Qt's key enumerations, so that too waits until after show."""
        if self.settings_page is not None:
            return
        for action, keys in self._shortcuts:
            action.setShortcut(keys)
        from peerdesk.ui.audit_page import AuditPage
        from peerdesk.ui.compliance_page import TrainingPage
        from peerdesk.ui.list_page import ListPage
        from peerdesk.ui.rota.rota_page import RotaPage
        from peerdesk.ui.settings_page import SettingsPage
        from peerdesk.ui.signin_page import SignInPage

        self.lists = {key: ListPage(key, label, option) for key, label, option in LISTS}
        self.audit_page = AuditPage()
        self.settings_page = SettingsPage()
        # The course list lives in the Training area's second tab, beside the matrix.
        self.training_page = TrainingPage(self.lists["training"])
        self.pages |= {**self.lists, "audit": self.audit_page, "settings": self.settings_page}
        self.pages["training"] = self.training_page
        # The shift list is the Rota area's List view, beside the week and month calendars.
        self.rota_page = RotaPage(self.lists["rota"])
        self.pages["rota"] = self.rota_page
        from peerdesk.ui.sessions_page import SessionDesk

        self.session_desk = SessionDesk(self)
        self.pages |= self.session_desk.pages()
        # The sessions list lives in the Supervision area's second tab, beside who is due.
        from peerdesk.ui.supervision_page import SupervisionPage

        self.supervision_page = SupervisionPage(self.lists["supervision"])
        self.pages["supervision"] = self.supervision_page
        from peerdesk.ui.reports_page import ReportsPage

        # The list of past exports lives in the Reports area's third tab.
        self.reports_page = ReportsPage(self.lists["reports"])
        self.pages["reports"] = self.reports_page
        from peerdesk.ui.outcomes_page import OutcomesPage

        self.outcomes_page = OutcomesPage()
        self.pages["outcomes"] = self.outcomes_page
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.sign_in_page = SignInPage()
        self.screens.addWidget(self.sign_in_page)
        self.settings_page.backup_requested.connect(self.backup_action.trigger)
        self.settings_page.restore_requested.connect(self.restore_action.trigger)
        self.settings_page.change_secret_requested.connect(self.change_secret_action.trigger)
        self.settings_page.accounts_requested.connect(self.accounts_action.trigger)
        self._build_status_bar()
        self.show_signed_out()

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
    def show_signed_in(self, who: str, areas: list[str], manages_data: bool) -> None:
        """The work screen with only `areas` (keys of LABELS) in the sidebar and Go menu."""
        from PySide6.QtWidgets import QListWidgetItem

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
        self.sidebar.setCurrentRow(0)
        for action in self._signed_in_actions:
            action.setEnabled(True)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(manages_data)
            action.setVisible(manages_data)
        if self.settings_page is not None:
            self.settings_page.show_backups(manages_data)
        signed = getattr(self.control, "signed_in", None)
        if self.session_desk is not None and signed is not None:
            self.session_desk.signed_in(signed, areas)
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
        for page in self.lists.values():
            page.detach()
        if self.audit_page is not None:
            self.audit_page.detach()
        if self.training_page is not None:
            self.training_page.detach()
        if self.rota_page is not None:
            self.rota_page.detach()
        if self.supervision_page is not None:
            self.supervision_page.detach()
        if self.reports_page is not None:
            self.reports_page.clear()
        if self.settings_page is not None:
            self.settings_page.clear()
        if self.outcomes_page is not None:
            self.outcomes_page.clear()
        if self.session_desk is not None:
            self.session_desk.signed_out()
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
        if item is not None:
            self.stack.setCurrentWidget(self.pages[item.data(KEY)])
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
        if self.settings_page is not None:
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
