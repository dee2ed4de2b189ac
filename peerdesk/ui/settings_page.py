"""The Settings page: where the data lives, when it was last backed up, backup and restore."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class SettingsPage(QWidget):
    backup_requested = Signal()
    restore_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.folder = _selectable()
        self.data_file = _selectable()
        self.last_backup = _selectable()
        self.back_up = QPushButton("&Back up now")
        self.restore = QPushButton("&Restore from backup…")
        self.open_folder = QPushButton("&Open data folder")
        self.back_up.clicked.connect(self.backup_requested)
        self.restore.clicked.connect(self.restore_requested)
        self.open_folder.clicked.connect(self._open_folder)
        self._root: Path | None = None
        self._lay_out()
        self.set_enabled(False)

    def _lay_out(self) -> None:
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
            "Backups are kept in the 'backups' folder inside the data folder; copy them "
            "somewhere safe, such as an encrypted USB stick, from time to time."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Settings</h2>"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addStretch(1)

    def show_folder(self, root: Path, data_file: Path) -> None:
        self._root = root
        self.folder.setText(str(root))
        self.data_file.setText(str(data_file))

    def show_last_backup(self, text: str) -> None:
        self.last_backup.setText(text)

    def set_enabled(self, enabled: bool) -> None:
        for button in (self.back_up, self.restore, self.open_folder):
            button.setEnabled(enabled)

    def _open_folder(self) -> None:
        if self._root is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._root)))


def _selectable() -> QLabel:
    label = QLabel("–")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
