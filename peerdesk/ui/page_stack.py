"""The area pages, one showing at a time, in a scroll area: on a small screen or at a large
text size a page scrolls rather than pushing the window taller than the screen.

A plain QStackedWidget asks for room for the largest of all its pages; this one asks only for
the page showing, so a short page never scrolls because a long one is hidden behind it."""

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget


class PageStack(QStackedWidget):
    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


def scrolling(stack: PageStack) -> QWidget:
    """The stack in a frameless scroll area that gives the page all the room there is."""
    scroll = QScrollArea()
    scroll.setWidget(stack)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll
