"""Signing in from a data folder that cannot be written (here a read-only bind mount; root and
`mount` needed, skipped otherwise): the window opens for reading and says so, and starts nothing
that would write (no folder lock to watch, no automatic backup, no rota top-up, no signing
key made)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from tests.test_full_disk import read_only_copy
from tests.ui.conftest import OpenWindow, sign_in

pytestmark = pytest.mark.file_only  # about a read-only data folder


@pytest.fixture
def read_only_org(org_folder: DataFolder, tmp_path: Path) -> Iterator[DataFolder]:
    with read_only_copy(org_folder, tmp_path) as copy:
        yield copy


@pytest.mark.parametrize("username", ["coordinator", "vic"])
def test_a_read_only_folder_opens_the_window_to_read_and_says_so(
    open_window: OpenWindow, read_only_org: DataFolder, qtbot: QtBot, username: str
) -> None:
    window, control = open_window(read_only_org)
    sign_in(qtbot, window, username)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.splitter, timeout=10_000)
    assert control.signed_in is not None and control.signed_in.read_only
    said = window.statusBar().currentMessage()
    assert "read-only" in said and "make the folder writable" in said
    assert not control.folder_watch.isActive() and not control.backups.timer.isActive()
    qtbot.waitUntil(lambda: not control.tasks.busy, timeout=10_000)  # reads in the background
    assert window.statusBar().currentMessage() == said  # nothing failed to write meanwhile
