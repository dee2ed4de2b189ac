"""The Settings page: everyone's own password or PIN; for coordinators, everyone's accounts,
where the data lives, when it was last backed up, backup and restore."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peerdesk.ui.measures_box import MeasuresBox
from peerdesk.ui.reporting_year import ReportingYearBox


class SettingsPage(QWidget):
    backup_requested = Signal()
    restore_requested = Signal()
    change_secret_requested = Signal()
    accounts_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.folder = _selectable()
        self.data_file = _selectable()
        self.last_backup = _selectable()
        self.report_key = _selectable()
        self.report_key.setAccessibleName("Organisation key fingerprint")
        self.change_secret = QPushButton("&Change my password or PIN…")
        self.back_up = QPushButton("&Back up now")
        self.restore = QPushButton("&Restore from backup…")
        self.open_folder = QPushButton("&Open data folder")
        self.accounts = QPushButton("&Accounts…")
        self.accounts.setToolTip("Who can sign in: new passwords, unlocking, roles")
        self.accounts.hide()
        self.change_secret.clicked.connect(self.change_secret_requested)
        self.accounts.clicked.connect(self.accounts_requested)
        self.back_up.clicked.connect(self.backup_requested)
        self.restore.clicked.connect(self.restore_requested)
        self.open_folder.clicked.connect(self._open_folder)
        self._root: Path | None = None
        self.backups = QGroupBox("Your data and backups")
        self.reporting_year = ReportingYearBox()
        self.measures = MeasuresBox()
        self._lay_out()
        self.show_backups(False)

    def _lay_out(self) -> None:
        account = QGroupBox("Your account")
        row = QHBoxLayout(account)
        row.addWidget(self.change_secret)
        row.addWidget(self.accounts)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Settings</h2>"))
        layout.addWidget(account)
        layout.addWidget(self._reports_box())
        layout.addWidget(self.reporting_year)
        layout.addWidget(self.measures)
        layout.addWidget(self.backups)
        layout.addStretch(1)
        self._lay_out_backups()

    def _reports_box(self) -> QGroupBox:
        box = QGroupBox("Checking exported reports")
        form = QFormLayout()
        form.addRow("Organisation key:", self.report_key)
        note = QLabel(
            "Every report peerdesk exports is signed with this organisation's key. A funder or "
            "host can check a report has not been changed with the key file from 'peerdesk "
            "report public-key'; read them this fingerprint so they know the file is yours."
        )
        note.setWordWrap(True)
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addWidget(note)
        return box

    def _lay_out_backups(self) -> None:
        form = QFormLayout()
        form.addRow("Data folder:", self.folder)
        form.addRow("Data file:", self.data_file)
        form.addRow("Last backup:", self.last_backup)
        buttons = QHBoxLayout()
        for button in (self.back_up, self.restore, self.open_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = QLabel(
            "peerdesk backs up by itself every half hour while you work and when you close it. "
            "Backups are encrypted like your data and kept in the 'backups' folder inside the "
            "data folder; copy them somewhere safe, such as a USB stick kept apart from this "
            "laptop, from time to time."
        )
        note.setWordWrap(True)
        inner = QVBoxLayout(self.backups)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(note)

    def show_accounts(self, visible: bool) -> None:
        """Everyone's accounts: for whoever manages them (coordinators)."""
        self.accounts.setVisible(visible)

    def show_backups(self, visible: bool) -> None:
        """Backups, restore and the data folder are for coordinators only."""
        self.backups.setVisible(visible)

    def show_folder(self, root: Path, data_file: Path | str) -> None:
        """`data_file` is the file's path, or on a server the database's address (a string:
        as a path its "//" would collapse)."""
        self._root = root
        for label, path in ((self.folder, root), (self.data_file, data_file)):
            label.setText(str(path))
            label.setToolTip(str(path))

    def show_last_backup(self, text: str) -> None:
        self.last_backup.setText(text)

    def show_report_key(self, fingerprint: str) -> None:
        """The organisation's signing key, as groups of hex a person can read out."""
        self.report_key.setText(fingerprint)

    def clear(self) -> None:
        self._root = None
        for label in (self.folder, self.data_file, self.last_backup, self.report_key):
            label.setText("–")
        self.show_backups(False)
        self.show_accounts(False)
        self.reporting_year.clear()
        self.measures.clear()

    def _open_folder(self) -> None:
        if self._root is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._root)))


def _selectable() -> QLabel:
    label = QLabel("–")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # A long folder path is clipped (the whole path is in the tooltip) rather than making the
    # window too wide for a small laptop screen.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(120)
    return label
