"""A bug met while saving, driven through the real window: it is logged with its traceback, the
person is told plainly (messages.UNEXPECTED), the form is usable again with what was typed, and
nothing is written. Also the last-resort hooks: an exception nobody caught, on the GUI thread or
another, is logged and said once; Qt's warnings go to the log."""

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest
from PySide6.QtCore import qWarning
from pytestqt.qtbot import QtBot

from peerdesk.services import roles
from peerdesk.ui import error_hooks, messages
from peerdesk.ui.action import Action
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.tasks import TaskRunner
from tests.conftest import TEST_SECRET
from tests.ui.conftest import Answers, SignInAs
from tests.ui.test_roles_dialog import click, open_form, roles_dialog, stored
from tests.ui.test_settings import NEW, _change_dialog

pytestmark = pytest.mark.expect_unexpected_error


def broken(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise RuntimeError("a bug in the service")


def logged_bug(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    """The one record of the bug, at ERROR, with its traceback."""
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    return record


def test_a_bug_in_a_records_save_is_said_and_the_form_stays_usable(
    qtbot: QtBot,
    signed_in_as: SignInAs,
    answers: Answers,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = roles_dialog(qtbot, window, control)
    form = open_form(qtbot, dialog, dialog.add)
    qtbot.keyClicks(form.name, "Peer supporter")
    qtbot.keyClicks(form.description, "Listens one to one.")
    monkeypatch.setattr(roles, "create_role", broken)
    click(qtbot, form.go)

    logged_bug(caplog)
    assert form.isVisible() and form.problem.isVisible()
    assert form.problem.text() == messages.UNEXPECTED
    assert form.go.isEnabled() and form.go.text() == "Add &role"  # not "Please wait…"
    assert form.name.text() == "Peer supporter"
    assert form.description.toPlainText() == "Listens one to one."
    assert stored(control) == []
    assert answers.unexpected == []  # said in the form, not in a box as well

    monkeypatch.undo()  # the bug fixed, the same form saves what was typed
    caplog.clear()
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert [name for name, *_ in stored(control)] == ["Peer supporter"]


def test_a_bug_in_background_work_is_said_and_the_form_stays_usable(
    qtbot: QtBot,
    signed_in_as: SignInAs,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from peerdesk.ui import store_control

    window, control = signed_in_as("sam")
    keys = control.folder.keys_file.read_bytes()
    monkeypatch.setattr(store_control, "change_own_secret", broken)
    window.change_secret_action.trigger()
    dialog = _change_dialog(window, control)
    qtbot.keyClicks(dialog.current, TEST_SECRET)
    qtbot.keyClicks(dialog.secret, NEW)
    qtbot.keyClicks(dialog.again, NEW)
    click(qtbot, dialog.go)
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)

    logged_bug(caplog)
    assert dialog.problem.text() == messages.UNEXPECTED
    assert dialog.go.isEnabled() and "Please wait" not in dialog.go.text()
    assert (dialog.secret.text(), dialog.again.text()) == (NEW, NEW)
    assert control.folder.keys_file.read_bytes() == keys  # no password was changed


def test_a_bug_showing_a_result_goes_to_on_error(qtbot: QtBot, answers: Answers) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    tasks = TaskRunner(window)
    errors: list[BaseException] = []
    tasks.run(lambda _p: 42, on_done=broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], RuntimeError) and answers.shown == []

    tasks.run(lambda _p: 42, on_done=broken)  # no on_error: a box says it
    qtbot.waitUntil(lambda: bool(answers.shown))
    assert answers.shown == [messages.UNEXPECTED]


@pytest.fixture
def hooks(qtbot: QtBot) -> Iterator[Callable[[], None]]:
    """Installs the hooks when called: in the test itself, as pytest and pytest-qt put in their
    own hooks for each test's run."""
    window = MainWindow(build_pages=False)
    qtbot.addWidget(window)
    yield lambda: error_hooks.install(window)
    error_hooks.uninstall()


def raised() -> RuntimeError:
    try:
        broken()
    except RuntimeError as err:
        return err


def test_an_exception_nobody_caught_is_logged_and_said_once(
    hooks: Callable[[], None], answers: Answers, caplog: pytest.LogCaptureFixture
) -> None:
    hooks()
    assert sys.excepthook is error_hooks.excepthook
    err = raised()
    sys.excepthook(type(err), err, err.__traceback__)
    logged_bug(caplog)
    assert answers.shown == [messages.UNEXPECTED]

    caplog.clear()
    for _ in range(3):  # the same bug again (say, in every repaint): logged, not a storm of boxes
        sys.excepthook(type(err), err, err.__traceback__)
    assert answers.shown == [messages.UNEXPECTED]
    assert [r.getMessage().startswith("unexpected error again") for r in caplog.records] == [
        True,
        True,
        True,
    ]


def test_an_exception_in_another_thread_is_said_on_the_gui_thread(
    hooks: Callable[[], None], qtbot: QtBot, answers: Answers, caplog: pytest.LogCaptureFixture
) -> None:
    hooks()
    thread = threading.Thread(target=broken)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(answers.shown))
    assert answers.shown == [messages.UNEXPECTED]
    logged_bug(caplog)


@pytest.mark.qt_log_ignore("a warning from Qt")
def test_qt_warnings_go_to_the_log(
    hooks: Callable[[], None], caplog: pytest.LogCaptureFixture
) -> None:
    hooks()
    qWarning("a warning from Qt")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("peerdesk.qt", logging.WARNING, "a warning from Qt")
    ]


def test_when_saying_the_failure_fails_too_a_box_still_says_it(answers: Answers) -> None:
    def say(_sentence: str) -> None:
        raise RuntimeError("the form is gone")

    with Action(say) as action:
        broken()
    assert action.failed and action.sentence == messages.UNEXPECTED
    assert answers.shown == [messages.UNEXPECTED]
