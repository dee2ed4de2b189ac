"""The recovery key, shown once when a data folder is set up, with what it is for and ways to
keep it: print it (or save it as a PDF when there is no printer) or copy it for a moment.

Closing it loses the key for good, so it closes only once the person has ticked that the key is
kept: until then the close button is disabled, Enter presses nothing and Escape (or the window's
own close button) only points at the tick box.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QCloseEvent,
    QFontDatabase,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.ui.clipboard import CLEAR_AFTER_MS, copy_confidential
from peerdesk.wording import count

EXPLANATION = (
    "<p>This is your group's <b>recovery key</b>. If every coordinator forgets their password, "
    "or the keys file is lost, it is the only way back into your data: nobody else, not even "
    "peerdesk's makers, can open it without a password or this key.</p>"
    "<p>Print it or write it down now, and give it to a trustee to keep somewhere safe, away "
    "from this laptop. <b>peerdesk will not show it again.</b></p>"
)
KEPT = "I have printed or &stored it somewhere safe"
TICK_FIRST = (
    "Tick 'I have printed or stored it somewhere safe' first: once this window closes, "
    "peerdesk will not show the key again."
)


class RecoveryKeyDialog(QDialog):
    def __init__(
        self,
        recovery_key: str,
        organisation: str,
        parent: QWidget | None = None,
        clear_after_ms: int = CLEAR_AFTER_MS,
        report_key: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        self._key, self._organisation, self._clear_after_ms = (
            recovery_key,
            organisation,
            clear_after_ms,
        )
        # The fingerprint of the key reports are signed with: on paper, away from the laptop,
        # it tells a funder's key file is really this organisation's.
        self._report_key = report_key
        self.key_label = _key_label(recovery_key)
        self.note = QLabel(wordWrap=True)
        self.note.setAccessibleName("What happened")
        self.kept = QCheckBox(KEPT)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.done_button = buttons.addButton("C&lose", QDialogButtonBox.ButtonRole.AcceptRole)
        for button in (self.print_button, self.copy_button, self.done_button):
            _never_default(button)  # a stray Enter must not close the only sight of the key
        self.done_button.setEnabled(False)
        self.kept.toggled.connect(self.done_button.setEnabled)
        self.print_button.clicked.connect(self.print_key)
        self.copy_button.clicked.connect(self.copy_key)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(EXPLANATION, wordWrap=True))
        layout.addWidget(self.key_label)
        layout.addWidget(self.note)
        layout.addWidget(self.kept)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def reject(self) -> None:
        """Escape and the window's close button: only once the key is kept."""
        if self.kept.isChecked():
            super().reject()
        else:
            self._say(TICK_FIRST)
            self.kept.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kept.isChecked():
            super().closeEvent(event)
        else:
            event.ignore()
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.kept.isChecked():
            event.accept()  # nothing to press: the only button that closes is still disabled
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self._fit()

    def _fit(self) -> None:
        """Tall enough for every wrapped line at the current width. (A layout's minimum size
        ignores the height wrapped labels need, so a longer note would squeeze the text above
        it and cut off 'peerdesk will not show it again'.)"""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def copy_key(self) -> None:
        copy_confidential(self._key, self._clear_after_ms)
        seconds = max(self._clear_after_ms // 1000, 1)
        self._say(f"Copied. peerdesk clears it from the clipboard in {count(seconds, 'second')}.")

    def print_key(self) -> None:
        """Print on paper; with no printer installed, save a PDF to print elsewhere."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        done = "Sent to the printer. Keep the paper somewhere safe, away from this laptop."
        if QPrinterInfo.availablePrinterNames():
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the recovery key as a PDF", "peerdesk-recovery-key.pdf", "PDF (*.pdf)"
            )
            if not path:
                return
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
            done = f"Saved to {path}. Print it, then delete the file: it unlocks your data."
        self.sheet().print_(printer)
        self._say(done)

    def sheet(self) -> QTextDocument:
        """The printed page: whose key it is, the key, and what to do with it."""
        doc = QTextDocument()
        doc.setHtml(
            f"<h1>peerdesk recovery key</h1><p><b>{_escape(self._organisation)}</b>, "
            f"{clock.today():%d %b %Y}</p>"
            f"<p style='font-family: monospace; font-size: 20pt'>{_escape(self._key)}</p>"
            f"{EXPLANATION}<p>To use it: on the sign-in screen choose 'Forgotten password? "
            "Use the recovery key', and set a new password for a coordinator.</p>"
            + (
                f"<p>Reports exported by {_escape(self._organisation)} are signed with the "
                f"organisation key <b>{_escape(self._report_key)}</b>. A funder checking a "
                "report's key file can compare its fingerprint with this one.</p>"
                if self._report_key
                else ""
            )
        )
        return doc


def _never_default(button: QPushButton) -> None:
    button.setAutoDefault(False)
    button.setDefault(False)


def _key_label(key: str) -> QLabel:
    label = QLabel(key)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * 1.6)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Recovery key")
    label.setMargin(12)
    return label


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
