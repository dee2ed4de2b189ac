"""What the keyboard tests look at in any window: Alt-letter clashes, where focus starts, and
controls that Tab cannot reach or that are cut off by the window's edge."""

from collections import defaultdict
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from peerdesk.ui.focus import tab_stops


def mnemonic(text: str) -> str | None:
    """The Alt-letter of a label ("&Save" → "s"); "&&" is a plain ampersand."""
    at = 0
    while (at := text.find("&", at)) != -1 and at + 1 < len(text):
        if text[at + 1] != "&":
            return text[at + 1].casefold()
        at += 2
    return None


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window)


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Every Alt-letter live in `window` now, with the text of each control that has it."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str) -> None:
        key = mnemonic(text)
        if key is not None:
            found[key].append(text)

    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible():
                add(action.text())
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window):
            add(button.text())
    for label in window.findChildren(QLabel):
        # A label's Alt-letter works only when it has a buddy to send focus to.
        if label.buddy() is not None and _shown(label, window) and label.buddy().isEnabled():
            add(label.text())
    for box in window.findChildren(QGroupBox):
        if box.isCheckable() and _shown(box, window):
            add(box.title())
    for bar in window.findChildren(QTabBar):
        if _shown(bar, window):
            for n in range(bar.count()):
                if bar.isTabVisible(n):
                    add(bar.tabText(n))
    return found


def mnemonic_owners(window: QWidget) -> dict[str, list[QWidget]]:
    """Every Alt-letter live in `window` now, with the controls that should get it: a button,
    a label with a buddy, a checkable group box or a row of tabs."""
    found: dict[str, list[QWidget]] = defaultdict(list)

    def add(text: str, owner: QWidget) -> None:
        key = mnemonic(text)
        if key is not None and owner not in found[key]:
            found[key].append(owner)

    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible():
                add(action.text(), window.menuBar())
    # A control that is switched off does nothing with its letter, and is not meant to.
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window) and button.isEnabled():
            add(button.text(), button)
    for label in window.findChildren(QLabel):
        if label.buddy() is not None and _shown(label, window) and label.buddy().isEnabled():
            add(label.text(), label)
    for box in window.findChildren(QGroupBox):
        if box.isCheckable() and _shown(box, window) and box.isEnabled():
            add(box.title(), box)
    for bar in window.findChildren(QTabBar):
        if _shown(bar, window) and bar.isEnabled():
            for n in range(bar.count()):
                if bar.isTabVisible(n) and bar.isTabEnabled(n):
                    add(bar.tabText(n), bar)
    return found


class _ShortcutSpy(QObject):
    """Who Qt gives each shortcut to, and whether it was unsure whom; the shortcut itself is
    kept from them, so pressing every Alt-letter saves, opens and closes nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.got: list[tuple[QObject, bool]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            self.got.append((watched, bool(event.isAmbiguous())))  # type: ignore[attr-defined]
            return True
        return False


def unheard(window: QWidget, qtbot: QtBot) -> list[str]:
    """Every Alt-letter that, pressed where the focus is, does not reach its one control:
    taken by no one (a field, completer or filter ate it), ambiguous (another control, even
    one no label shows, has the same key), or given to something else. Reading labels cannot
    tell these apart from a working letter; pressing the key can."""
    problems = []
    window.activateWindow()  # shortcuts go to the active window's controls only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    spy = _ShortcutSpy()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(spy)
    try:
        for key, owners in sorted(mnemonic_owners(window).items()):
            if not ("a" <= key <= "z" or "0" <= key <= "9"):
                continue  # no plain key code to press it with
            spy.got.clear()
            here = window.focusWidget() or window
            qtbot.keyClick(here, Qt.Key(ord(key.upper())), Qt.KeyboardModifier.AltModifier)
            names = [_owner(w) for w in owners]
            if not spy.got:
                problems.append(f"Alt+{key.upper()} reaches nothing (meant for {names})")
            elif any(ambiguous for _w, ambiguous in spy.got) or len(spy.got) > 1:
                problems.append(f"Alt+{key.upper()} is ambiguous (meant for {names})")
            elif spy.got[0][0] not in owners:
                got = spy.got[0][0]
                said = _describe(got) if isinstance(got, QWidget) else type(got).__name__
                problems.append(f"Alt+{key.upper()} goes to {said}, not {names}")
    finally:
        app.removeEventFilter(spy)
    return problems


def _owner(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return f"label {widget.text()!r}"
    return _describe(widget)


def unheard_in_every_tab(window: QWidget, qtbot: QtBot) -> list[str]:
    """`unheard` on each tab of each row of tabs in `window` in turn: a letter on a tab not
    shown at first is as much the person's as one on the first."""
    problems = [f"{said}" for said in unheard(window, qtbot)]
    for tabs in window.findChildren(QTabWidget):
        if not _shown(tabs, window):
            continue
        first = tabs.currentIndex()
        for n in range(tabs.count()):
            if n != first and tabs.isTabVisible(n):
                tabs.setCurrentIndex(n)
                where = tabs.tabText(n).replace("&", "")
                problems += [f"on the {where} tab: {said}" for said in unheard(window, qtbot)]
        tabs.setCurrentIndex(first)
    return problems


def clashes(window: QWidget) -> dict[str, list[str]]:
    return {key: texts for key, texts in mnemonics(window).items() if len(texts) > 1}


FIELDS = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
)


def place(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def first_field(window: QWidget) -> QWidget | None:
    """The field a person expects to type in first: the top-left one that is not a button
    (or, in a dialog of buttons only, the first control)."""
    stops = [w for w in tab_stops(window) if not isinstance(w, QTabBar)]
    fields = [w for w in stops if isinstance(w, FIELDS)] or stops
    if not fields:
        return None
    return min(fields, key=lambda w: (place(w, window).top(), place(w, window).left()))


def cut_off(window: QWidget) -> list[str]:
    """Controls not wholly inside the part of the window they are seen through: the window
    itself, or the scroll area that holds them (which can scroll them into view)."""
    found = []
    for widget in tab_stops(window):
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QScrollArea):
            continue  # a list or text box may be partly scrolled away: it scrolls itself
        viewport = _viewport_of(widget, window)
        if isinstance(viewport, QAbstractScrollArea):
            continue  # the scroll area brings it into view when it gets focus
        area = window.rect()
        if not area.contains(place(widget, window)):
            found.append(_describe(widget))
    return found


def _viewport_of(widget: QWidget, window: QWidget) -> QWidget:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return window


def _describe(widget: QWidget) -> str:
    name = widget.accessibleName()
    if not name:
        text = getattr(widget, "text", None)
        name = text() if callable(text) and not isinstance(widget, QLabel) else ""
    return f"{type(widget).__name__} {name or widget.objectName()!r}"


def _seen_at(widget: QWidget, window: QWidget) -> QRect:
    """Where a control is, as far as the window shows it: one in a scrolled page, below what
    is in view, counts as at the page's bottom edge (it is read before what is under the
    page, such as the status bar)."""
    at = place(widget, window)
    viewport = _viewport_of(widget, window)
    if viewport is window:
        return at
    seen = place(viewport, window)
    top = min(max(at.top(), seen.top()), seen.bottom())
    return QRect(at.left(), top, at.width(), max(min(at.bottom(), seen.bottom()) - top, 0) + 1)


def is_button(widget: QWidget | None) -> bool:
    return isinstance(widget, QPushButton)


def out_of_order(window: QWidget) -> list[str]:
    """Every place where Tab jumps up to a control wholly above the one before it in the same
    column: Tab should move down a page as a person reads it. The circle is read from the
    top-left control, and only the step that closes it (back to that control) goes up. Moving
    from one column to the next, such as from the sidebar to the page, is not a jump up."""
    found: list[str] = []
    stops = tab_stops(window)
    if not stops:
        return found
    top_left = min(stops, key=lambda w: (place(w, window).top(), place(w, window).left()))
    start = stops.index(top_left)
    stops = stops[start:] + stops[:start]
    for before, after in pairwise(stops):
        a, b = _seen_at(before, window), _seen_at(after, window)
        same_column = a.left() < b.right() and b.left() < a.right()
        if same_column and b.bottom() < a.top():
            found.append(f"Tab goes up from {_describe(before)} to {_describe(after)}")
    return found
