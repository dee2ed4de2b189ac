"""Every message box the window shows, in one place: plain sentences, never a traceback.

Tests replace these functions to answer them without a person at the keyboard.
"""

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from peerdesk.errors import PeerdeskError

log = logging.getLogger(__name__)
TITLE = "peerdesk"
UNEXPECTED = (
    "Something went wrong that peerdesk did not expect. The details are in the log file in the "
    "'logs' folder of your data folder; please send it to whoever looks after your peerdesk."
)


def sentence(err: BaseException) -> str:
    """What to say about a failure: a PeerdeskError's own sentence; anything else is a bug,
    logged here with its traceback and described plainly (UNEXPECTED)."""
    if isinstance(err, PeerdeskError):
        return str(err)
    log.error("unexpected error", exc_info=(type(err), err, err.__traceback__))
    return UNEXPECTED


def show_error(parent: QWidget | None, err: BaseException) -> None:
    """A PeerdeskError's own sentence; anything else is logged and described plainly."""
    QMessageBox.warning(parent, TITLE, sentence(err))


def inform(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, TITLE, text)


def confirm(parent: QWidget | None, text: str, action: str) -> bool:
    """Ask before something that cannot be undone; `action` names the button that goes ahead."""
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, text, parent=parent)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def choose(parent: QWidget | None, text: str, detail: str, actions: list[str]) -> str | None:
    """Offer a few named ways forward; returns the one chosen, or None for Cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text, parent=parent)
    box.setInformativeText(detail)
    buttons = [(box.addButton(a, QMessageBox.ButtonRole.AcceptRole), a) for a in actions]
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return next((a for b, a in buttons if b is box.clickedButton()), None)
