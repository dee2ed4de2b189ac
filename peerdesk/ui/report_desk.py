"""What the Reports page's buttons do for whoever is signed in: show the figures, export the
PDF on the background worker (with progress), and a trustee's sign-off."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QLabel, QPlainTextEdit, QWidget

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.errors import PeerdeskError
from peerdesk.models import ReportKind
from peerdesk.services.permissions import Permission, can
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.reports_page import ReportsPage, date_field, day_of, qdate

if TYPE_CHECKING:
    from peerdesk.services.permissions import Actor
    from peerdesk.services.reporting.records import ExportRecord
    from peerdesk.ui.store_control import StoreControl


class SignOffDialog(FormDialog):
    """Date and comment of the signed-in trustee's sign-off (the signer is their account)."""

    def __init__(self, code: str, name: str, parent: QWidget | None) -> None:
        super().__init__(
            "Sign off report",
            f"Record that you have reviewed report {code} and its figures on behalf of the "
            "trustees. Your name will be printed on later exports of the same period while its "
            "figures stay the same; if they change, the report asks for sign-off again.",
            "Sign off",
            parent,
        )
        self.signer = QLabel(name)
        self.on = date_field()
        self.on.setDate(qdate(clock.today()))
        self.comment = QPlainTextEdit(placeholderText="Optional: anything the board noted.")
        self.form.addRow("Signed by:", self.signer)
        self.form.addRow("&Date:", self.on)
        self.form.addRow("&Comment:", self.comment)

    def values(self) -> tuple[date, str]:
        return day_of(self.on.date()), self.comment.toPlainText()


class ReportDesk:
    """What the page's buttons do, for whoever is signed in (through `StoreControl`)."""

    def __init__(self, page: ReportsPage, control: "StoreControl") -> None:
        self.page, self.control = page, control
        page.show_figures.clicked.connect(self.show_figures)
        page.export.clicked.connect(self.choose_file)
        page.sign_off.clicked.connect(self.open_sign_off)
        self._shown_period: tuple[date, date] | None = None
        self._folder: Path | None = None  # where the last export was saved
        self.file_dialog: QFileDialog | None = None  # the one open, for the tests

    def signed_in(self, actor: "Actor") -> None:
        self.page.clear()
        self._shown_period = None
        self.page.has_sessions = self.has_sessions
        self.page.set_year_start(self.year_start_month())
        self.page.show_for(actor)

    def year_start_month(self) -> int:
        from peerdesk.services.organisation import organisation_settings

        signed = self.control.signed_in
        if signed is None:
            return self.page.year_start_month
        with signed.store.read() as s:
            return organisation_settings(s).financial_year_start_month

    def has_sessions(self, first: date, last: date) -> bool:
        """Any session logged in these days; True when it cannot be told (a trustee may not
        count logs), which keeps the usual choice of the last whole quarter."""
        from peerdesk.services.sessions import SessionFilter, filtered_count

        signed = self.control.signed_in
        if signed is None:
            return True
        try:
            with signed.store.read() as s:
                return filtered_count(s, signed.actor, "", SessionFilter(first, last)) > 0
        except PeerdeskError:
            return True

    def show_figures(self) -> None:
        from peerdesk.services.reporting.figures import governance_figures
        from peerdesk.services.reporting.records import latest_narrative

        signed = self.control.signed_in
        if signed is None:
            return
        try:
            period = self.page.period()
            with signed.store.read() as s:
                figures = governance_figures(s, signed.actor, period, self.page.audience())
                words = latest_narrative(s, signed.actor, period.start, period.end)
        except PeerdeskError as err:
            messages.show_error(self.page, err)
            return
        self.page.show_figures_of(figures)
        ends = (period.start, period.end)
        kept = any(text for _title, text in words.parts())
        if ends != self._shown_period and kept and not self.page.narrative_typed():
            self.page.set_narrative(words)  # the words kept with this period's last export
        self._shown_period = ends

    def choose_file(self) -> None:
        """Where to save, in Qt's own file dialog rather than the system's: the same on every
        computer, driven by keys alone (it opens on the file name: type a name or a whole
        path, Enter), and it does not stop the window while it is open."""
        try:
            period = self.page.period()
        except PeerdeskError as err:
            messages.show_error(self.page, err)
            return
        folder = self._folder or _documents()
        suggested = folder / f"governance-{period.start}-to-{period.end}.pdf"
        dialog = QFileDialog(
            self.page, "Export the governance report", str(suggested), "PDF (*.pdf)"
        )
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(suggested.name)
        dialog.fileSelected.connect(lambda path: self._chosen(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def _chosen(self, out: Path) -> None:
        self._folder = out.parent  # the next export starts where this one went
        self.export_to(out)

    def export_to(self, out: Path) -> None:
        from peerdesk.reports.export import export_governance

        signed = self.control.signed_in
        if signed is None:
            return
        try:
            period = self.page.period()
            words = (
                self.page.narrative_text().check()
                if can(signed.actor, Permission.WRITE_NARRATIVE)
                else None
            )
        except PeerdeskError as err:
            messages.show_error(self.page, err)
            return
        self.page.export.setEnabled(False)

        audience = self.page.audience()

        def work(progress: Any) -> "ExportRecord":
            return export_governance(signed, period, out, words, progress, audience=audience)

        def done(record: "ExportRecord") -> None:
            self.page.export.setEnabled(True)
            self.control.window.announce_changes({Change.REPORTS})  # the exports list, the trail
            self.page.status.setText(f"Exported report {record.report_code} to {out.name}.")
            messages.inform(
                self.page,
                f"Report {record.report_code} was saved to {out}. Its figures fingerprint is "
                f"{record.figures_sha256}.",
            )

        def failed(err: BaseException) -> None:
            self.page.export.setEnabled(True)
            messages.show_error(self.page, err)

        self.control.tasks.run(
            work, title="Exporting the governance report", on_done=done, on_error=failed
        )

    def open_sign_off(self) -> None:
        signed = self.control.signed_in
        model = self.page.exports.model
        rows = self.page.exports.table.selectionModel().selectedRows() if model else []
        if signed is None or model is None:
            return
        row = model.row(rows[0].row()) if rows else None
        if row is None or row.kind is not ReportKind.GOVERNANCE:
            messages.inform(
                self.page, "Choose an exported governance report in the list to sign it off."
            )
            self.page.tabs.setCurrentWidget(self.page.exports)
            return
        dialog = SignOffDialog(row.report_code, signed.actor.display_name, self.page)
        dialog.submitted.connect(lambda typed: self._sign(dialog, row.id, typed))
        dialog.open()

    def _sign(self, dialog: SignOffDialog, export_id: Any, typed: tuple[date, str]) -> None:
        from peerdesk.services.reporting.records import sign_off

        signed = self.control.signed_in
        if signed is None:
            return
        on, comment = typed
        action = Action(dialog.show_problem, parent=self.page, changes={Change.REPORTS})
        info = action.write(
            signed.store,
            signed.actor,
            lambda s: sign_off(s, signed.actor, export_id, on, comment, clock.today()),
        )
        if info is None:  # the dialog stays, with what was typed
            return
        dialog.finish()
        self.page.status.setText(
            f"Signed off report {info.report_code} on {show_date(info.signed_on)}."
        )


def _documents() -> Path:
    """The person's Documents folder when they have one, else their home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()
