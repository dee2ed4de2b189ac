"""The window on a group's PostgreSQL database: "Use a server…" on the sign-in screen takes the
address (checked as the command line checks it), the window remembers it, a coordinator signs
in to the server and what they save lands there; the laptop-only backup actions are hidden."""

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import URL, func, select

from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import ServerStore
from peerdesk.models import AuditEvent
from peerdesk.services.auth import sign_out
from peerdesk.services.setup import start_on_server
from peerdesk.ui.server_dialog import ServerDialog, remembered
from tests.conftest import TEST_SECRET, TEST_USER
from tests.test_server_store import needs_server, server_url
from tests.ui.conftest import OpenWindow, sign_in

__all__ = ["server_url"]


def use_server(qtbot: QtBot, window: object, control: object, text: str) -> ServerDialog:
    page = window.sign_in_page  # type: ignore[attr-defined]
    page.use_server.click()
    dialog = control.flow.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, ServerDialog)
    dialog.url.setText(text)
    dialog.go.click()
    return dialog


def test_a_remote_server_without_checked_tls_is_refused_in_the_dialog(
    open_window: OpenWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    window, control = open_window(DataFolder(tmp_path / "laptop"))
    dialog = use_server(qtbot, window, control, "postgresql://sam@db.example.org/riverside")
    assert "sslmode=verify-full" in dialog.problem.text()
    assert dialog.isVisible()
    assert remembered().url is None  # nothing was kept


@needs_server
def test_signing_in_to_a_server_from_the_window(
    open_window: OpenWindow, tmp_path: Path, qtbot: QtBot, server_url: URL, cheap_kdf: None
) -> None:
    laptop = DataFolder(tmp_path / "laptop")
    made = start_on_server(server_url, laptop, "Riverside Peers", TEST_USER, "Sam", TEST_SECRET)
    sign_out(made.signed_in)
    window, control = open_window(laptop)
    dialog = use_server(qtbot, window, control, server_url.render_as_string(hide_password=False))
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert remembered().url == server_url  # the window remembers the choice
    assert "on the server" in window.sign_in_page.message.text()  # type: ignore[union-attr]
    sign_in(qtbot, window, TEST_USER)
    signed = control.signed_in
    assert signed is not None, window.sign_in_page.message.text()  # type: ignore[union-attr]
    assert isinstance(signed.store, ServerStore)
    assert not window.backup_action.isVisible() and not window.restore_action.isVisible()
    assert window.settings_page is not None and window.settings_page.backups.isHidden()
    with signed.store.read() as s:
        signed_in = s.scalar(select(func.count()).where(AuditEvent.action == "sign_in"))
    assert signed_in == 1
    assert not laptop.db_file.exists()  # nothing of the group's data on the laptop
