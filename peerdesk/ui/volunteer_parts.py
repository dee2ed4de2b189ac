"""Pieces of a volunteer's record window: the small dialogs for a status change, leaving and a
DBS check, the equality-monitoring answers, and the read-only lists (status history, DBS checks,
training), each shown with words, never colour alone."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import show_date, show_time
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import DBSLevel, VolunteerStatus
from peerdesk.services.compliance import TrainingStatus
from peerdesk.services.dbs import VolunteerDBS, mask_certificate
from peerdesk.services.importing.values import BadValue, parse_date
from peerdesk.services.training import CourseInfo, CourseStanding
from peerdesk.services.volunteers import (
    PREFER_NOT_TO_SAY,
    AffectedShift,
    EqualityAnswers,
    VolunteerRecord,
    in_path_order,
    not_yet_in_place,
)
from peerdesk.services.volunteers.records import StatusStep
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.wording import word

# Statuses in which a volunteer delivers sessions: moving to one is when gaps matter.
DELIVERING = (VolunteerStatus.INDUCTION, VolunteerStatus.PROBATION, VolunteerStatus.ACTIVE)
TEXT_FIELDS = {  # attribute of VolunteerInput: label
    "preferred_name": "&Preferred name",
    "first_name": "&First name",
    "last_name": "&Last name",
    "pronouns": "Pro&nouns",
}
CONTACT_FIELDS = {
    "email": "&Email",
    "phone": "P&hone",
    "address": "A&ddress",
    "emergency_contact_name": "Emergency &contact",
    "emergency_contact_phone": "Emergenc&y contact's phone",
}
HIDDEN_CONTACT = "Contact details are seen only by coordinators and the volunteer themself."


EQUALITY_QUESTIONS = {
    "age_band": "&Age",
    "gender": "Ge&nder",  # not G or S: "Give a sign-in…" and "Save" share the dialog
    "ethnicity": "&Ethnicity",
    "disability": "&Disability",
    "sexual_orientation": "Sexual &orientation",
    "religion": "&Religion or belief",
    "lived_experience": "&Lived experience",
}
TRAINING_COLOURS = {
    TrainingStatus.IN_DATE: QColor(46, 139, 87, 70),
    TrainingStatus.RENEWAL_DUE: QColor(230, 170, 0, 90),
    TrainingStatus.IN_GRACE: QColor(230, 110, 0, 90),
    TrainingStatus.EXPIRED: QColor(200, 40, 40, 90),
    TrainingStatus.MISSING: QColor(160, 40, 120, 70),
}


def read_day(field: QLineEdit, what: str, required: bool = False) -> date | None:
    """A date typed the British way ('6 Jan 2025', '06/01/2025'), or a sentence saying why not."""
    typed = field.text().strip()
    if not typed:
        if required:
            raise ValidationError(f"Type the {what}, for example {show_date(clock.today())}.")
        return None
    try:
        return parse_date(typed)
    except BadValue:
        raise ValidationError(
            f"The {what} '{typed}' is not a date peerdesk can read; "
            f"write it like {show_date(clock.today())} or 26/11/2026."
        ) from None


def day_field(name: str, day: date | None = None) -> QLineEdit:
    field = QLineEdit(show_date(day), placeholderText="e.g. 6 Jan 2025")
    field.setAccessibleName(name)
    return field


def tree(name: str, headers: list[str]) -> QTreeWidget:
    view = QTreeWidget()
    view.setAccessibleName(name)
    view.setHeaderLabels(headers)
    view.setRootIsDecorated(False)
    view.setAlternatingRowColors(True)
    return view


def fit_columns(view: QTreeWidget) -> None:
    """Whole course names and dates: these lists hold a handful of rows, so measuring is cheap."""
    for column in range(view.columnCount() - 1):
        view.resizeColumnToContents(column)
        view.setColumnWidth(column, view.columnWidth(column) + 12)


def show_history(view: QTreeWidget, history: tuple[StatusStep, ...]) -> None:
    view.clear()
    for step in reversed(history):  # newest first, as people read a history
        view.addTopLevelItem(
            QTreeWidgetItem([show_date(step.on), word(step.status), step.note or ""])
        )
    fit_columns(view)


def show_dbs(view: QTreeWidget, standing: VolunteerDBS) -> None:
    view.clear()
    for check in standing.checks:
        due = "On the Update Service" if check.update_service else ""
        if check.recheck_due_on is not None:
            due = f"recheck due {show_date(check.recheck_due_on)}"
            if check.recheck_due_on < clock.today():
                due += " (overdue)"
        # Masked on screen for everyone (a shared laptop, people looking on); the coordinator
        # can read the full number in the tooltip when they need it.
        shown = mask_certificate(check.certificate_number) or ""
        cells = [word(check.level), shown, show_date(check.issued_on), due]
        item = QTreeWidgetItem(cells)
        if check.certificate_number and check.certificate_number != shown:
            item.setToolTip(1, check.certificate_number)
        view.addTopLevelItem(item)
    fit_columns(view)


def show_training(view: QTreeWidget, courses: list[CourseStanding]) -> None:
    view.clear()
    for c in courses:
        runs_out = ""
        if c.expires_on is not None:
            tense = "ran out" if c.expires_on < clock.today() else "runs out"
            runs_out = f"{tense} {show_date(c.expires_on)}"
        cells = [c.course, c.status.value.capitalize(), show_date(c.last_completed), runs_out]
        item = QTreeWidgetItem(cells)
        item.setBackground(1, TRAINING_COLOURS[c.status])
        if not c.mandatory:
            item.setToolTip(0, "Not required for their roles")
        view.addTopLevelItem(item)
    fit_columns(view)


def short_shifts_sentence(affected: list[AffectedShift]) -> str:
    """What leaving did to the rota, in plain words."""
    if not affected:
        return "Leaving is recorded. They were not on any later shifts."
    taken = f"They were taken off {len(affected)} later shift{'s' if len(affected) > 1 else ''}."
    short = [a for a in affected if a.short]
    if not short:
        return f"Leaving is recorded. {taken} Each still has enough volunteers."
    lines = [
        f"{a.activity} on {show_date(a.starts_at.date())} at {show_time(a.starts_at)}: "
        f"{a.still_on} of {a.min_volunteers} needed"
        for a in short
    ]
    return f"Leaving is recorded. {taken} These now need someone else:\n• " + "\n• ".join(lines)


class EqualityBox(QGroupBox):
    """The optional answers, each in the person's own words or "Prefer not to say"."""

    def __init__(self) -> None:
        super().__init__("Equality monitoring (optional)")
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                "Only the volunteer and the coordinators see these answers; reports count them "
                "without names. Leave any blank, or choose \u201cPrefer not to say\u201d.",
                wordWrap=True,
            )
        )
        self.answers: dict[str, QComboBox] = {}
        for name, label in EQUALITY_QUESTIONS.items():
            box = QComboBox(editable=True)
            box.addItems(["", PREFER_NOT_TO_SAY])
            box.setAccessibleName(label.replace("&", ""))
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            form.addRow(f"{label}:", box)
            self.answers[name] = box

    def show_answers(self, given: EqualityAnswers) -> None:
        for name, box in self.answers.items():
            box.setEditText(getattr(given, name) or "")

    def values(self) -> EqualityAnswers:
        typed = {name: box.currentText().strip() or None for name, box in self.answers.items()}
        return EqualityAnswers(**typed)

    def clear(self) -> None:
        self.show_answers(EqualityAnswers())


@dataclass(frozen=True)
class StatusMove:
    status: VolunteerStatus
    on: date
    note: str | None


class StatusDialog(FormDialog):
    """Straight to the status wanted. What is not yet in place for delivering (training, DBS) is
    listed beneath, as information: it does not stop the change."""

    def __init__(
        self,
        name: str,
        moves: list[VolunteerStatus],
        parent: QWidget,
        missing: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            f"Change {name}'s status",
            f"Where is {name} now? Choose it directly: the steps in between can be skipped.",
            "&Change status",
            parent,
        )
        self.status = QComboBox()
        for status in in_path_order(moves):
            self.status.addItem(word(status), status)
        # The next step is offered first (the usual case); later ones are one key away.
        self.on = day_field("Date of the change", clock.today())
        self.note = QLineEdit(placeholderText="Optional, e.g. induction finished")
        self.form.addRow("&New status:", self.status)
        self.form.addRow("&From:", self.on)
        self.form.addRow("N&ote:", self.note)
        self.missing = QLabel(wordWrap=True)
        self.missing.setAccessibleName("Not yet in place")
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        self.body.insertWidget(self.body.indexOf(self.problem), self.missing)
        self.gaps = list(missing if missing is not None else _missing_for(parent))
        self.status.currentIndexChanged.connect(self._show_missing)
        self._show_missing()

    def _show_missing(self) -> None:
        shown = bool(self.gaps) and self.status.currentData() in DELIVERING
        self.missing.setVisible(shown)
        if shown:
            self.missing.setText(
                "Not yet in place (for your information; it does not stop the change):\n• "
                + "\n• ".join(self.gaps)
            )

    def values(self) -> StatusMove:
        on = read_day(self.on, "date of the change", required=True)
        assert on is not None
        return StatusMove(self.status.currentData(), on, self.note.text().strip() or None)


def _missing_for(editor: object) -> list[str]:
    """What is not yet in place for the volunteer a record window shows (its store, actor and
    record), read in one short session; nothing if it cannot be read (the change itself is
    still checked by the service)."""
    store, actor = getattr(editor, "store", None), getattr(editor, "actor", None)
    record = getattr(editor, "record", None)
    if store is None or actor is None or record is None:
        return []
    try:
        with store.read() as s:
            return not_yet_in_place(s, actor, record.id, clock.today())
    except PeerdeskError:
        return []


@dataclass(frozen=True)
class Leaving:
    on: date
    reason: str | None


class LeavingDialog(FormDialog):
    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(
            f"{name} is leaving",
            f"peerdesk takes {name} off any shifts after the leaving date and tells you which "
            "of those shifts then need someone else. The reason is seen by coordinators only.",
            "Record lea&ving",
            parent,
        )
        self.on = day_field("Leaving date", clock.today())
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for leaving")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        self.form.addRow("&Leaving date:", self.on)
        self.form.addRow("&Reason:", self.reason)

    def values(self) -> Leaving:
        on = read_day(self.on, "leaving date", required=True)
        assert on is not None
        return Leaving(on, self.reason.toPlainText().strip() or None)


@dataclass(frozen=True)
class NewDBSCheck:
    level: DBSLevel
    certificate_number: str | None
    issued_on: date
    update_service: bool


class DBSDialog(FormDialog):
    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(
            f"Record a DBS check for {name}",
            "DBS certificates do not expire: peerdesk works out when to ask for a new check "
            "from your group's policy.",
            "&Record check",
            parent,
        )
        self.level = QComboBox()
        for level in DBSLevel:
            self.level.addItem(word(level), level)
        self.level.setCurrentIndex(self.level.findData(DBSLevel.ENHANCED))
        self.number = QLineEdit(placeholderText="12 digits, top right of the certificate")
        self.number.setAccessibleName("Certificate number")
        self.issued_on = day_field("Issue date")
        self.update_service = QCheckBox("On the DBS &Update Service")
        self.form.addRow("&Level:", self.level)
        self.form.addRow("Certificate &number:", self.number)
        self.form.addRow("&Issued on:", self.issued_on)
        self.form.addRow("", self.update_service)

    def values(self) -> NewDBSCheck:
        issued = read_day(self.issued_on, "issue date", required=True)
        assert issued is not None
        number = self.number.text().strip() or None
        return NewDBSCheck(
            self.level.currentData(), number, issued, self.update_service.isChecked()
        )


@dataclass(frozen=True)
class NewCompletion:
    course_id: uuid.UUID
    completed_on: date
    provider: str | None
    notes: str | None


class TrainingDialog(FormDialog):
    """A course someone has done: which course, when, who ran it, and any notes."""

    def __init__(self, name: str, courses: list[CourseInfo], parent: QWidget) -> None:
        super().__init__(
            f"Record training for {name}",
            f"Choose the course {name} completed and the day they finished it.",
            "&Record training",
            parent,
        )
        self.course = QComboBox()
        self.course.setAccessibleName("Course")
        for course in courses:
            self.course.addItem(course.name, course.id)
        self.completed_on = day_field("Date completed", clock.today())
        self.provider = QLineEdit(placeholderText="Optional, e.g. the county council")
        self.provider.setAccessibleName("Provider")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().height() * 4)
        self.form.addRow("&Course:", self.course)
        self.form.addRow("&Date completed:", self.completed_on)
        self.form.addRow("&Provider:", self.provider)
        self.form.addRow("&Notes:", self.notes)

    def values(self) -> NewCompletion:
        if self.course.currentData() is None:
            raise ValidationError("There are no courses yet; add one on the Courses tab first.")
        done = read_day(self.completed_on, "date completed", required=True)
        assert done is not None
        if done > clock.today():
            raise ValidationError(
                "The date completed is in the future; enter the day the course was done."
            )
        return NewCompletion(
            self.course.currentData(),
            done,
            self.provider.text().strip() or None,
            self.notes.toPlainText().strip() or None,
        )


def status_words(record: VolunteerRecord | None) -> str:
    if record is None:
        return "Applicant (every new volunteer starts here)"
    text = word(record.status)
    if record.left_on:
        text += f", left on {show_date(record.left_on)}"
    if record.leaving_reason:
        text += f" ({record.leaving_reason})"
    return text
