"""Where the keyboard starts in a dialog: its first field, so that typing goes where a person
expects. Qt starts on the first control in the focus chain, which in a dialog whose buttons are
made before its fields is the submit button: what was typed would be lost."""

from itertools import pairwise

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QLayout, QTabBar, QWidget


def tab_stops(window: QWidget) -> list[QWidget]:
    """The controls Tab reaches in `window`, in the order of its focus chain."""
    stops: list[QWidget] = []
    widget = window.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not window and id(widget) not in seen:
        seen.add(id(widget))
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.window() is window
            and widget.isVisibleTo(window)
            and widget.focusProxy() is None
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def first_field(window: QWidget) -> QWidget | None:
    """The top-left control that is not one of the buttons that close or submit the dialog
    (nor a row of tabs); a dialog of buttons only starts on its first."""
    stops = [w for w in tab_stops(window) if not isinstance(w, QTabBar)]
    fields = [w for w in stops if not _closing_button(w)] or stops
    if not fields:
        return None

    def where(widget: QWidget) -> tuple[int, int]:
        at = widget.mapTo(window, QPoint(0, 0))
        return at.y(), at.x()

    return min(fields, key=where)


def start_on_first_field(window: QWidget) -> None:
    """Focus the first field, unless the dialog already chose where to start."""
    focused = window.focusWidget()
    chosen = focused is not None and focused is not window
    if chosen and not _closing_button(focused) and not isinstance(focused, QTabBar):
        return
    field = first_field(window)
    if field is not None:
        field.setFocus(Qt.FocusReason.TabFocusReason)


def _closing_button(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractButton) and isinstance(
        widget.parentWidget(), QDialogButtonBox
    )


def tools_before_table(tools: list[QLayout], table: QWidget) -> None:
    """Tab through the controls in `tools` (layouts above `table`, top to bottom) before the
    table, as they are read. Controls made after the table would come after it; and putting a
    page into the window orders its chain afresh, so pages call this when shown."""
    chain: list[QWidget] = []
    for layout in tools:
        items = [layout.itemAt(n) for n in range(layout.count())]
        for widget in (i.widget() for i in items if i is not None):
            if widget is not None:
                chain += _focusable_in(widget)
    chain.append(table)
    # Qt moves only controls that take the focus, never a plain container of them.
    for before, after in pairwise(chain):
        QWidget.setTabOrder(before, after)


def _focusable_in(widget: QWidget) -> list[QWidget]:
    """`widget` if it takes the focus by Tab, else the controls in it that do, in chain order.
    The whole chain is walked: controls put into `widget` after the window's other widgets
    were made (a row added later) sit further on in it, past controls outside `widget`."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return [widget]
    found: list[QWidget] = []
    inside = widget.nextInFocusChain()
    while inside is not None and inside is not widget:
        if (
            widget.isAncestorOf(inside)
            and inside.focusPolicy() & Qt.FocusPolicy.TabFocus
            and inside not in found
        ):
            found.append(inside)
        inside = inside.nextInFocusChain()
    return found
