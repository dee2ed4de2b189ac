"""Handing the laptop to a participant: the window shows one screen and nothing else.

While a participant fills in the feedback screen the volunteer is still signed in (their
account writes the answers), so everything of theirs must be out of reach: the menus and the
status bar are hidden, the areas are behind the screen in the window's stack, every keyboard
shortcut outside the screen is swallowed (menus, Ctrl+1…9, Ctrl+L, Alt-letters of hidden
buttons), and closing the window (Alt+F4, the title bar's cross) is refused. The only ways on
are the screen's own buttons, which lock the window, and the idle lock, which does the same:
either way the next thing on screen is the sign-in screen.
"""

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QDialog, QMainWindow, QStackedWidget, QWidget


class HandOver(QObject):
    """Locks `window` to `screen` from `begin()` until the window shows anything else."""

    def __init__(self, window: QMainWindow, screens: QStackedWidget, screen: QWidget) -> None:
        super().__init__(window)
        self.window, self.screens, self.screen = window, screens, screen
        screens.addWidget(screen)
        screens.currentChanged.connect(self._shown)
        self.active = False

    def begin(self) -> None:
        """Close what is open, hide the menus and status bar, and show only the screen."""
        for dialog in self.window.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.window.menuBar().hide()
        self.window.statusBar().hide()
        app = QCoreApplication.instance()
        if app is not None and not self.active:
            app.installEventFilter(self)
        self.active = True
        self.screens.setCurrentWidget(self.screen)

    def _shown(self, _index: int) -> None:
        """Whatever replaces the screen (the sign-in screen, after Done, Skip or the idle
        lock) ends the hand-over."""
        if self.active and self.screens.currentWidget() is not self.screen:
            self.end()

    def end(self) -> None:
        self.active = False
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.window.menuBar().show()
        self.window.statusBar().show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Shortcut:
            return not self._inside(watched)  # a shortcut of anything else goes nowhere
        if kind == QEvent.Type.Close and watched is self.window:
            event.ignore()  # Alt+F4 or the window's cross: the participant stays here
            return True
        return False

    def _inside(self, watched: QObject | None) -> bool:
        while watched is not None:
            if watched is self.screen:
                return True
            watched = watched.parent()
        return False
