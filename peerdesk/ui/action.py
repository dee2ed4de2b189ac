"""One thing a person asked the window to do (a save, a status change): the operation object,
with one error policy, that announces what it changed.

Quick work runs inline. A save is one audited session for the person signed in, opened by the
action itself, so the actor the audit trail names is the actor the service checks:

    action = Action(dialog.show_problem, parent=dialog, changes={Change.SESSIONS})
    action.write(store, actor, lambda s: record_session(s, actor, typed))
    if action.failed:
        return  # the form said why, and keeps what was typed
    dialog.finish()

Other quick work (a service that opens its own sessions) goes in a `with` block:

    with Action(self._say, parent=self, changes={Change.ACCOUNTS}) as action:
        accounts.unlock(store, actor, username)

Slow work runs on the window's task runner (`ui/tasks.py`), with the same policy:

    Action(dialog.show_problem, parent=dialog, changes={Change.PEOPLE}).run(
        control.tasks, lambda progress: import_volunteers(...), on_done=dialog.finish
    )

A `PeerdeskError` is a refusal: its sentence goes to `say`, beside what was typed. Anything else
is a bug: it is logged with its traceback and `say` gets the plain `messages.UNEXPECTED`. So a
bug is never silent, and a form whose `say` ends its busy state (as `FormDialog.show_problem`
ends "Please wait…") never stays busy, whatever went wrong. With no `say`, the sentence is shown
in a message box over `parent`.

When the work succeeds, `changes` are announced to the main window that `parent` belongs to (the
first widget up its parents that can `announce_changes`), which tells each area that shows one
of them; nothing is announced when it failed, since nothing was written.
"""

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from PySide6.QtWidgets import QWidget

from peerdesk.errors import PeerdeskError
from peerdesk.ui import messages
from peerdesk.ui.changes import Change

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from peerdesk.db.store import Store
    from peerdesk.services.permissions import Actor
    from peerdesk.ui.tasks import Task, TaskRunner, Work

T = TypeVar("T")


class Action:
    def __init__(
        self,
        say: Callable[[str], object] | None = None,
        *,
        parent: QWidget | None = None,
        changes: Iterable[Change] = (),
    ) -> None:
        self._say, self._parent = say, parent
        self.changes = frozenset(changes)
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
        if err is None:
            self.announce()
            return False
        if not isinstance(err, Exception):
            return False  # an interrupt that should end the program as usual
        self.refused(err)
        return True

    def write(self, store: "Store", actor: "Actor", work: "Callable[[Session], T]") -> T | None:
        """Run `work` in one audited session for `actor`: all of it is written, or (when it
        fails and this says why) none of it. Returns what `work` returned, None if it failed."""
        with self, store.session(actor) as session:
            return work(session)
        return None  # failed: said, and nothing was written

    def run(
        self,
        tasks: "TaskRunner",
        work: "Work",
        *,
        on_done: Callable[[Any], object] | None = None,
        title: str | None = None,
    ) -> "Task":
        """Run `work` on the task runner (a progress dialog after a moment, with `title`); on
        success announce the changes, then `on_done(result)`; on failure say why, as above."""

        def done(result: Any) -> None:
            self.announce()
            if on_done is not None:
                on_done(result)

        return tasks.run(work, title=title, on_done=done, on_error=self.refused)

    def refused(self, err: BaseException) -> None:
        """Say why the work failed: the one error policy, for inline and background work."""
        self.failed = True
        if self._say is None:
            messages.show_error(self._parent, err)  # logs an unexpected one
            self.sentence = str(err) if isinstance(err, PeerdeskError) else messages.UNEXPECTED
            return
        self.sentence = messages.sentence(err)  # logs an unexpected one
        try:
            self._say(self.sentence)
        except Exception as also:  # saying it failed too: the box still says something
            messages.show_error(self._parent, also)

    def announce(self) -> None:
        """Tell the window what changed, so the areas showing it read it again."""
        if not self.changes:
            return
        widget = self._parent
        while widget is not None:
            announce = getattr(widget, "announce_changes", None)
            if announce is not None:
                announce(self.changes)
                return
            widget = widget.parentWidget()
