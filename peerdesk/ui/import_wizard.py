"""The import wizard (choose a file → which column is which → preview → import) and the File
menu's import and export actions, for coordinators.

Reading the file, the preview and the import each run off the GUI thread; reading can be
cancelled. The preview is a dry run of the same service the import uses, so what it promises is
what happens.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from peerdesk.services import exporting
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing import ImportResult, Table, read_table
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui import messages
from peerdesk.ui.changes import Change
from peerdesk.ui.import_preview import (
    TRAINING,
    VOLUNTEERS,
    ImportKind,
    Mapping,
    MappingPage,
    PreviewModel,
    busy_bar,
    counts_text,
    preview_lines,
    sheet_names,
    summary,
)
from peerdesk.ui.tasks import Progress, Task, TaskRunner
from peerdesk.wording import count

SPREADSHEETS = "Spreadsheets (*.csv *.xlsx);;All files (*)"


def ask_open_path(parent: QWidget, title: str) -> str:
    """Tests replace this to choose a file without a dialog."""
    return QFileDialog.getOpenFileName(parent, title, str(Path.home()), SPREADSHEETS)[0]


def ask_save_path(parent: QWidget, title: str, suggested: str) -> str:
    """Tests replace this to choose where to save without a dialog."""
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path.home() / suggested),
        "CSV (*.csv);;Excel workbook (*.xlsx)",
    )
    if path and Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".xlsx" if "xlsx" in chosen else ".csv"
    return path


class FilePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the spreadsheet")
        each = "volunteer" if wizard.kind is VOLUNTEERS else "course someone has completed"
        self.setSubTitle(
            f"A CSV file or an Excel workbook (.xlsx) with one row for each {each} and the "
            "column names in the first row."
        )
        self.path = QLineEdit()
        self.path.setAccessibleName("File")
        self.path.setPlaceholderText("No file chosen yet")
        self.path.textChanged.connect(self._forget)
        self.choose = QPushButton("Choose…")
        self.choose.clicked.connect(self._choose)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        self.sheet.currentIndexChanged.connect(self._forget)
        self.sheet_label = QLabel("Sheet:")
        self.status = QLabel(wordWrap=True)
        self.bar = busy_bar()
        self.cancel = QPushButton("Cancel reading")
        self.cancel.clicked.connect(self.cancel_reading)
        self.cancel.hide()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        form = QFormLayout(self)
        form.addRow("File:", row)
        form.addRow(self.sheet_label, self.sheet)
        form.addRow(self.bar)
        form.addRow(self.status)
        form.addRow(self.cancel)
        self.sheet_label.hide()
        self.sheet.hide()
        self.task: Task | None = None

    def _choose(self) -> None:
        path = ask_open_path(self, self.wiz.kind.title)
        if path:
            self.path.setText(path)

    def _forget(self) -> None:
        self.wiz.table = None
        self.status.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip()) and self.task is None

    def validatePage(self) -> bool:
        """Next reads the file in the background, then moves on by itself."""
        if self.wiz.table is not None:
            return True
        if self.task is None:
            self.read()
        return False

    def read(self) -> None:
        path = Path(self.path.text().strip())
        wanted = self.sheet.currentText() if self.sheet.isVisible() else None
        kind = self.wiz.kind

        def work(progress: Progress) -> tuple[list[str], str | None, Table]:
            names = sheet_names(path)
            sheet = wanted if wanted in names else None
            if sheet is None and names:
                sheet = next((n for n in names if n.casefold() == kind.sheet.casefold()), None)
            progress("Reading", 0, 0)
            return names, sheet, read_table(path, sheet)

        self.status.setText(f"Reading {path.name}…")
        self._working(True)
        self.task = self.wiz.tasks.run(
            work, on_done=self._read, on_error=self._failed, on_cancel=self._cancelled
        )

    def _working(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.cancel.setVisible(busy)
        self.path.setEnabled(not busy)
        self.choose.setEnabled(not busy)
        if not busy:
            self.task = None
        self.completeChanged.emit()

    def cancel_reading(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _cancelled(self) -> None:
        if self.wiz.gone:
            return
        self._working(False)
        self.status.setText("Reading was cancelled. Nothing was imported.")

    def _failed(self, err: BaseException) -> None:
        if self.wiz.gone:
            return
        self._working(False)
        self.status.clear()
        messages.show_error(self.wiz, err)

    def _read(self, read: tuple[list[str], str | None, Table]) -> None:
        names, sheet, table = read
        if self.wiz.gone:
            return
        self._working(False)
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(names)
        if sheet:
            self.sheet.setCurrentText(sheet)
        self.sheet.blockSignals(False)
        self.sheet.setVisible(len(names) > 1)
        self.sheet_label.setVisible(len(names) > 1)
        self.wiz.sheet = sheet
        self.wiz.table = table
        self.status.setText(f"Read {count(len(table.rows), 'row')} from {table.name}.")
        self.wiz.next()


class PreviewPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("Each row as peerdesk reads it. Nothing has been imported yet.")
        self.counts = QLabel()
        self.counts.setAccessibleName("Counts")
        bold = self.counts.font()
        bold.setBold(True)
        self.counts.setFont(bold)
        self.notes = QLabel(wordWrap=True)
        self.model = PreviewModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Rows and their problems")
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((50, 200, 80, 160)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.explain = QLabel(
            "Rows with an error cannot be imported. Correct them in your spreadsheet and "
            "choose the file again, or skip them and import the other rows.",
            wordWrap=True,
        )
        self.skip = QCheckBox("Skip the rows with problems")
        self.skip.toggled.connect(lambda _on: self.completeChanged.emit())
        self.bar = busy_bar()
        layout = QVBoxLayout(self)
        for widget in (self.counts, self.bar, self.view, self.notes, self.explain, self.skip):
            layout.addWidget(widget)
        self.result: ImportResult | None = None
        self.busy = False
        self.imported = False

    def initializePage(self) -> None:
        self.result = None
        self.model.show([])
        self.counts.setText("Checking every row…")
        self.notes.clear()
        self.skip.setChecked(False)
        self.skip.hide()
        self.explain.hide()
        mapping = self.wiz.mapping_page.mapping()
        table, kind, sheet, person = self.wiz.table, self.wiz.kind, self.wiz.sheet, self.wiz.person
        path = self.wiz.path()  # read here: widgets are for the GUI thread only
        assert table is not None

        def work(_progress: Progress) -> ImportResult:
            return kind.run(
                person,
                path,
                sheet=sheet,
                mapping=mapping,
                skip_invalid=True,
                dry_run=True,
            )

        def done(result: ImportResult) -> None:
            if self.wiz.gone:
                return
            self._working(False)
            self.result = result
            self.model.show(preview_lines(table, mapping, result.problems))
            self.counts.setText(counts_text(result, table))
            self.notes.setText("\n".join(result.notes))
            self.skip.setVisible(bool(result.rejected_rows))
            self.explain.setVisible(bool(result.rejected_rows))
            self.completeChanged.emit()

        self._working(True)
        self.wiz.tasks.run(work, on_done=done, on_error=self._failed)

    def _working(self, busy: bool) -> None:
        self.busy = busy
        self.bar.setVisible(busy)
        self.completeChanged.emit()

    def _failed(self, err: BaseException) -> None:
        if self.wiz.gone:
            return
        self._working(False)
        self.counts.setText("The file could not be checked.")
        messages.show_error(self.wiz, err)

    def isComplete(self) -> bool:
        result = self.result
        if self.busy or result is None or result.added == 0:
            return False
        return not result.rejected_rows or self.skip.isChecked()

    def validatePage(self) -> bool:
        """Import starts the import in the background; the wizard closes when it is done."""
        if self.imported:
            return True
        if not self.busy:
            self._import()
        return False

    def _import(self) -> None:
        mapping = self.wiz.mapping_page.mapping()
        kind, sheet, person = self.wiz.kind, self.wiz.sheet, self.wiz.person
        skip = self.skip.isChecked()
        path = self.wiz.path()

        def work(_progress: Progress) -> ImportResult:
            return kind.run(person, path, sheet=sheet, mapping=mapping, skip_invalid=skip)

        def done(result: ImportResult) -> None:
            if self.wiz.gone:
                return
            self._working(False)
            self.imported = True
            self.wiz.finished_import(result)

        self.counts.setText("Importing…")
        self._working(True)
        self.wiz.tasks.run(work, on_done=done, on_error=self._failed)


class ImportWizard(QWizard):
    def __init__(
        self, kind: ImportKind, person: SignedIn, tasks: TaskRunner, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.kind, self.person, self.tasks = kind, person, tasks
        self.setWindowTitle(kind.title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        self.table: Table | None = None
        self.sheet: str | None = None
        self.guessed: Mapping | None = None
        self.outcome: ImportResult | None = None
        self.gone = False  # closed: work still finishing must not touch the pages
        self.finished.connect(self._closed)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.resize(900, 600)

    def path(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def finished_import(self, result: ImportResult) -> None:
        self.outcome = result
        self.accept()

    def reject(self) -> None:
        self.file_page.cancel_reading()
        super().reject()

    def _closed(self, _result: int) -> None:
        self.gone = True


class DataTransfer(QObject):
    """The File menu's Import and Export actions, shown to coordinators only."""

    def __init__(self, control: Any) -> None:
        super().__init__(control)
        self.control = control
        window = control.window
        self.wizard: ImportWizard | None = None
        window.import_volunteers_action.triggered.connect(lambda: self.start_import(VOLUNTEERS))
        window.import_training_action.triggered.connect(lambda: self.start_import(TRAINING))
        window.export_volunteers_action.triggered.connect(lambda: self.export("volunteers"))
        window.export_training_action.triggered.connect(lambda: self.export("training"))

    @staticmethod
    def allowed(actor: Actor) -> bool:
        return can(actor, Permission.EDIT_VOLUNTEERS) and can(actor, Permission.EXPORT_REPORTS)

    def show_for(self, actor: Actor) -> None:
        allowed = self.allowed(actor)
        for action in self.control.window.data_actions:
            action.setVisible(allowed)
            action.setEnabled(allowed)

    def start_import(self, kind: ImportKind) -> None:
        person = self.control.signed_in
        if person is None or not self.allowed(person.actor):
            return
        wizard = ImportWizard(kind, person, self.control.tasks, self.control.window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.accepted.connect(lambda: self._imported(wizard))
        self.wizard = wizard
        wizard.open()

    def _imported(self, wizard: ImportWizard) -> None:
        if wizard.outcome is None:
            return
        if self.control.signed_in is wizard.person:
            self.control.window.announce_changes({Change.PEOPLE, Change.TRAINING})
            self.control.window.show_area("volunteers")
        messages.inform(self.control.window, summary(wizard.outcome, wizard.kind.noun))

    def export(self, what: str) -> None:
        person = self.control.signed_in
        if person is None or not self.allowed(person.actor):
            return
        window = self.control.window
        path = ask_save_path(window, f"Export {what}", f"{what}.csv")
        if not path:
            return
        out = Path(path)
        run = exporting.export_volunteers if what == "volunteers" else exporting.export_training
        noun = "volunteer" if what == "volunteers" else "training record"

        def done(written: int) -> None:
            messages.inform(window, f"Exported {count(written, noun)} to {out}.")

        self.control.tasks.run(lambda _p: run(person, out), title=f"Exporting {what}", on_done=done)
