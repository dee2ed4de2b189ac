"""One thing a person asked the window to do (a save, a status change), with one error policy.

Written as a `with` block around the work, in place of `try`/`except PeerdeskError`:

    with Action(dialog.show_problem) as action:
        with store.session(actor) as s:
            record_session(s, actor, typed)
    if action.failed:
        return  # the form said why, and keeps what was typed
    dialog.finish()

A `PeerdeskError` is a refusal: its sentence goes to `say`, beside what was typed. Anything else
is a bug: it is logged with its traceback and `say` gets the plain `messages.UNEXPECTED`. So a
bug is never silent, and a form whose `say` ends its busy state (as `FormDialog.show_problem`
ends "Please wait…") never stays busy, whatever went wrong. With no `say`, the sentence is shown
in a message box over `parent`.

It is deliberately small: the operation object that will also announce what changed grows
from here.
"""

from collections.abc import Callable
from types import TracebackType
from typing import Self

from PySide6.QtWidgets import QWidget

from peerdesk.errors import PeerdeskError
from peerdesk.ui import messages


class Action:
    def __init__(
        self,
        say: Callable[[str], object] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        self._say, self._parent = say, parent
        self.failed = False
        self.sentence: str | None = None  # what was said when it failed

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        _tb: TracebackType | None,
    ) -> bool:
        if err is None or not isinstance(err, Exception):
            return False  # success, or an interrupt that should end the program as usual
        self.failed = True
        if self._say is None:
            messages.show_error(self._parent, err)  # logs an unexpected one
            self.sentence = str(err) if isinstance(err, PeerdeskError) else messages.UNEXPECTED
        else:
            self.sentence = messages.sentence(err)  # logs an unexpected one
            try:
                self._say(self.sentence)
            except Exception as also:  # saying it failed too: the box still says something
                messages.show_error(self._parent, also)
        return True
