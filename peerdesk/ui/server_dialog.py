""" "Use a server…" on the sign-in screen: the group's database on a PostgreSQL server, or back to
the data folder on this laptop. The choice is remembered (QSettings) until changed here; the URL
is checked the way the command line checks `--database-url` (TLS for any other computer)."""

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget
from sqlalchemy import URL

from peerdesk.db.server_url import check_server_url
from peerdesk.errors import PeerdeskError
from peerdesk.ui.account_dialogs import FormDialog

URL_KEY = "server/url"
UNVERIFIED_KEY = "server/allow_unverified_tls"


@dataclass(frozen=True)
class ServerChoice:
    url: URL | None  # None: the data folder on this laptop
    text: str = ""
    allow_unverified_tls: bool = False


def remembered() -> ServerChoice:
    """The server chosen last time, or the laptop's folder (also when the URL no longer passes
    the checks: the sign-in screen then says so when someone picks the server again)."""
    settings = QSettings()
    text = str(settings.value(URL_KEY, "") or "")
    unverified = str(settings.value(UNVERIFIED_KEY, "false")).lower() == "true"
    if not text:
        return ServerChoice(None)
    try:
        return ServerChoice(
            check_server_url(text, allow_unverified_tls=unverified), text, unverified
        )
    except PeerdeskError:
        return ServerChoice(None)


def remember(choice: ServerChoice) -> None:
    settings = QSettings()
    settings.setValue(URL_KEY, choice.text)
    settings.setValue(UNVERIFIED_KEY, "true" if choice.allow_unverified_tls else "false")


class ServerDialog(FormDialog):
    """Submits a ServerChoice once the URL passes the checks; an empty URL means this laptop."""

    def __init__(self, current: ServerChoice, parent: QWidget | None) -> None:
        super().__init__(
            "Use a server",
            "If your group's data is kept on a PostgreSQL server, type the address your host "
            "gave you. Leave it empty to use the data on this laptop.",
            "&Use",
            parent,
        )
        self.url = QLineEdit(current.text)
        self.url.setPlaceholderText("postgresql://USER@HOST/DATABASE?sslmode=verify-full")
        self.url.setAccessibleName("Server address")
        self.unverified = QCheckBox("Accept a server whose &certificate is not checked")
        self.unverified.setChecked(current.allow_unverified_tls)
        self.form.addRow("Server &address:", self.url)
        self.form.addRow("", self.unverified)

    def values(self) -> ServerChoice:
        text = self.url.text().strip()
        if not text:
            return ServerChoice(None)
        unverified = self.unverified.isChecked()
        return ServerChoice(
            check_server_url(text, allow_unverified_tls=unverified), text, unverified
        )
