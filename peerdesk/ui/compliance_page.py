"""The Training area: a compliance matrix (volunteers down, mandatory courses across) for
coordinators and supervisors, and the course catalogue, which everyone may read.

The matrix is read in one short session each time the page is shown (the service takes a few
tens of milliseconds for 300 volunteers, so it stays on the GUI thread) and kept only as plain
rows in the model; the name filter and "problems only" narrow those rows without reading again.
Each cell shows a word as well as a colour, so nobody has to tell colours apart.
"""

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.services.compliance import TrainingStatus
from peerdesk.services.permissions import Permission, can
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.list_page import ListPage, list_table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from peerdesk.services.permissions import Actor
    from peerdesk.services.training import (
        ComplianceMatrix,
        CourseInfo,
        CourseInput,
        MatrixCell,
        MatrixRow,
    )
    from peerdesk.ui.paged_model import Reader

Index = QModelIndex | QPersistentModelIndex

# The short word in each cell; the tooltip says the rest.
CELL_WORDS = {
    TrainingStatus.IN_DATE: "✓ in date",
    TrainingStatus.RENEWAL_DUE: "due",
    TrainingStatus.IN_GRACE: "grace",
    TrainingStatus.EXPIRED: "✗ expired",
    TrainingStatus.MISSING: "✗ missing",
}
# A second cue only, tinted (partly transparent) so the text stays readable on light and dark
# palettes alike.
CELL_COLOURS = {
    TrainingStatus.IN_DATE: QColor(46, 139, 87, 70),
    TrainingStatus.RENEWAL_DUE: QColor(230, 170, 0, 90),
    TrainingStatus.IN_GRACE: QColor(230, 110, 0, 90),
    TrainingStatus.EXPIRED: QColor(200, 40, 40, 90),
    TrainingStatus.MISSING: QColor(160, 40, 120, 70),
}
MAX_COURSE_WIDTH = 170


class ComplianceModel(QAbstractTableModel):
    """The matrix's rows, narrowed by a name and by "problems only"; nothing read from here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.courses: tuple[str, ...] = ()
        self._all: tuple[MatrixRow, ...] = ()
        self._shown: list[MatrixRow] = []
        self.name_filter = ""
        self.problems_only = False

    def show_matrix(self, matrix: "ComplianceMatrix") -> None:
        self.beginResetModel()
        self.courses, self._all = matrix.courses, matrix.rows
        self._narrow()
        self.endResetModel()

    def set_filter(self, name: str, problems_only: bool) -> None:
        self.beginResetModel()
        self.name_filter, self.problems_only = name.strip().casefold(), problems_only
        self._narrow()
        self.endResetModel()

    def forget(self) -> None:
        """Drop every name and status at once (signing out)."""
        self.beginResetModel()
        self.courses, self._all, self._shown = (), (), []
        self.name_filter = ""
        self.endResetModel()

    def _narrow(self) -> None:
        self._shown = [
            r
            for r in self._all
            if self.name_filter in r.name.casefold() and (r.has_problem or not self.problems_only)
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.courses) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        row = self._shown[index.row()]
        if index.column() == 0:
            return row.name if role == Qt.ItemDataRole.DisplayRole else None
        cell = row.cells[index.column() - 1]
        if cell is None:  # not required for this person's roles: left blank
            return None
        return self._cell_data(cell, self.courses[index.column() - 1], role)

    def _cell_data(self, cell: "MatrixCell", course: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return CELL_WORDS[cell.status]
        if role == Qt.ItemDataRole.BackgroundRole:
            return CELL_COLOURS[cell.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(course, cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if role not in shown or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "Volunteer"
        return self.courses[section - 1] if 0 < section <= len(self.courses) else None


def cell_tooltip(course: str, cell: "MatrixCell") -> str:
    """The status in full, with when the course was done and when it lapses."""
    status = cell.status.value.capitalize()
    if cell.last_completed is None:
        return f"{course}: {status}. Not completed yet."
    done = f"Completed {show_date(cell.last_completed)}"
    lapses = cell.expires_on
    until = f"runs out {show_date(lapses)}" if lapses else "does not need renewing"
    return f"{course}: {status}. {done}; {until}."


def counts_sentence(counts: Any) -> str:
    """ "32 in date · 3 renewal due · 0 in grace · …" in the order of the statuses."""
    return " · ".join(f"{counts.get(s, 0):,} {s.value}" for s in TrainingStatus)


class CompliancePanel(QWidget):
    """The matrix with its counts, name filter and "problems only" box."""

    def __init__(self) -> None:
        super().__init__()
        self.model = ComplianceModel(self)
        self.counts = QLabel()
        self.counts.setAccessibleName("Training counts")
        self.shown = QLabel()
        self.filter = QLineEdit(placeholderText="Filter by name", clearButtonEnabled=True)
        self.filter.setAccessibleName("Filter the compliance matrix by name")
        self.problems_only = QCheckBox("&Problems only")
        self.problems_only.setToolTip("Show only people with a course that is not in date")
        self.table = list_table("Compliance matrix")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Data protection and c…"
        self.filter.textChanged.connect(self._narrow)
        self.problems_only.toggled.connect(self._narrow)
        self._lay_out()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.problems_only)
        bar.addWidget(self.shown, 1, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        # The same heading as the Courses tab, so switching tabs does not move the page.
        layout.addWidget(QLabel("<h2>Training</h2>"))
        layout.addWidget(self.counts)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def show_matrix(self, matrix: "ComplianceMatrix") -> None:
        self.model.show_matrix(matrix)
        self.counts.setText(counts_sentence(matrix.counts))
        header = self.table.horizontalHeader()
        header.resizeSection(0, 180)
        for column in range(1, self.model.columnCount()):
            # Room for "✗ expired" and most of the course's name; a long name is shortened in
            # the heading (the full name is its tooltip) so more courses fit side by side.
            width = header.fontMetrics().horizontalAdvance(self.model.courses[column - 1])
            header.resizeSection(column, min(max(100, width + 24), MAX_COURSE_WIDTH))
        self._show_count()

    def clear(self) -> None:
        self.model.forget()
        for box in (self.filter, self.problems_only):
            box.blockSignals(True)
        self.filter.clear()
        self.problems_only.setChecked(False)
        for box in (self.filter, self.problems_only):
            box.blockSignals(False)
        self.counts.clear()
        self.shown.clear()

    def _narrow(self) -> None:
        self.model.set_filter(self.filter.text(), self.problems_only.isChecked())
        self._show_count()

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.shown.setText(f"{n:,} {'volunteer' if n == 1 else 'volunteers'} shown")


class TrainingPage(QWidget):
    """The Training area: "Compliance" and "Courses" tabs for those who may see the matrix,
    the course catalogue alone for everyone else."""

    def __init__(self, courses: ListPage) -> None:
        super().__init__()
        self.courses = courses
        self.matrix = CompliancePanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.matrix, "&Compliance")
        self.tabs.addTab(courses, "C&ourses")
        self._read: Reader | None = None
        self._actor: Actor | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def attach(self, read: "Reader", actor: "Actor", sees_matrix: bool) -> None:
        """Read for `actor`; the matrix tab only when their role may see it."""
        self._read, self._actor = (read, actor) if sees_matrix else (None, None)
        self.tabs.setTabVisible(0, sees_matrix)
        self.tabs.setCurrentIndex(0 if sees_matrix else 1)
        if self.isVisible():
            self.reload()

    def show_place(self, place: str) -> None:
        """Open on a tab: "courses" (where Roles… is) or "compliance"."""
        if place == "courses":
            self.tabs.setCurrentWidget(self.courses)
        elif place == "compliance" and self.tabs.isTabVisible(0):
            self.tabs.setCurrentWidget(self.matrix)

    def detach(self) -> None:
        self._read, self._actor = None, None
        self.matrix.clear()

    def reload(self) -> None:
        """Read the matrix again, if this person may see it and the page is on screen (it is
        read again each time it is shown)."""
        if self._read is None or self._actor is None or not self.isVisible():
            return
        from peerdesk.services.training import compliance_matrix

        with self._read() as session:
            matrix = compliance_matrix(session, self._actor, clock.today())
        self.matrix.show_matrix(matrix)

    def focus_filter(self) -> None:
        if self.tabs.currentWidget() is self.courses:
            self.courses.focus_filter()
        else:
            self.matrix.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.matrix.filter.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()


def _spin(name: str, top: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox(minimum=0, maximum=top, value=value, suffix=suffix)
    box.setAccessibleName(name)
    return box


class CourseDialog(FormDialog):
    """A course in the catalogue: its name, the roles that must have it and how long it lasts."""

    def __init__(
        self, roles: list[tuple[uuid.UUID, str]], course: "CourseInfo | None", parent: QWidget
    ) -> None:
        title = f"Change {course.name}" if course else "Add a course"
        super().__init__(
            title,
            "Everyone in a ticked role must have this course. peerdesk works out who is in "
            "date from when each person last did it.",
            "&Save course" if course else "&Add course",
            parent,
        )
        self.course = course
        self.name = QLineEdit(course.name if course else "")
        self.name.setAccessibleName("Course name")
        self.name.setPlaceholderText("e.g. Safeguarding adults")
        self.roles = QListWidget()
        self.roles.setAccessibleName("Roles that must have it")
        self.roles.setMaximumHeight(self.fontMetrics().height() * 7)
        required = set(course.required_for) if course else set()
        for role_id, role_name in roles:
            item = QListWidgetItem(role_name)
            item.setData(Qt.ItemDataRole.UserRole, role_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = role_name in required
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.roles.addItem(item)
        months = course.validity_months if course else 12
        self.never = QCheckBox("Never e&xpires")
        self.never.setChecked(course is not None and months is None)
        self.months = _spin("Valid for, in months", 120, months or 12, " months")
        self.months.setMinimum(1)
        self.months.setEnabled(not self.never.isChecked())
        self.never.toggled.connect(lambda on: self.months.setEnabled(not on))
        renewal = course.renewal_window_days if course else 60
        self.renewal = _spin("Renewal window, in days", 365, renewal, " days")
        self.renewal.setToolTip("How long before it runs out to show it as due for renewal")
        self.grace = _spin(
            "Grace period, in days", 365, course.grace_days if course else 0, " days"
        )
        self.grace.setToolTip("How long after it runs out before it counts as expired")
        valid = QHBoxLayout()
        valid.addWidget(self.months)
        valid.addWidget(self.never)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Required for:", self.roles)
        valid_label = QLabel("&Valid for:")  # a row of two widgets: the label needs its buddy
        valid_label.setBuddy(self.months)
        self.form.addRow(valid_label, valid)
        self.form.addRow("Renewal &window:", self.renewal)
        self.form.addRow("&Grace period:", self.grace)

    def values(self) -> "CourseInput":
        from peerdesk.services.training import CourseInput

        items = (self.roles.item(n) for n in range(self.roles.count()))
        ticked = frozenset(
            i.data(Qt.ItemDataRole.UserRole)
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        )
        old = self.course
        return CourseInput(
            name=self.name.text(),
            validity_months=None if self.never.isChecked() else self.months.value(),
            renewal_window_days=self.renewal.value(),
            grace_days=self.grace.value(),
            description=old.description if old else None,
            required_role_ids=ticked,
            active=old.active if old else True,
        )


class CourseDesk(QObject):
    """ "Add course…" and "Edit course…" above the course list, for coordinators; each change
    is one short session, and the list and the matrix are read again after it."""

    def __init__(self, page: TrainingPage, control: Any) -> None:
        super().__init__(control)
        self.page, self.control = page, control
        self.dialog: CourseDialog | None = None
        self.roles_dialog: QDialog | None = None
        self.add_button = QPushButton("&Add course…")
        self.edit_button = QPushButton("Ed&it course…")
        self.edit_button.setToolTip("Change the course chosen in the list")
        self.roles_button = QPushButton("&Roles…")
        self.roles_button.setToolTip("Add and change volunteer roles, which courses require")
        self.add_button.clicked.connect(lambda: self.open_course(None))
        self.edit_button.clicked.connect(self.edit_chosen)
        self.roles_button.clicked.connect(self.open_roles)
        for button in (self.add_button, self.edit_button, self.roles_button):
            button.hide()
            page.courses.add_tool(button)
        page.courses.tools.addStretch(1)  # the buttons side by side, not spread across the page
        page.courses.row_opened.connect(lambda row: self.open_course(row.id))

    def signed_in(self, actor: "Actor") -> None:
        for button in (self.add_button, self.edit_button, self.roles_button):
            button.setVisible(can(actor, Permission.KEEP_TRAINING))

    def open_roles(self) -> None:
        from peerdesk.ui.roles_dialog import RolesDialog

        signed = self.control.signed_in
        if signed is None or not can(signed.actor, Permission.KEEP_TRAINING):
            return
        dialog = RolesDialog(signed, self.control.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.roles_dialog = dialog
        dialog.open()

    def edit_chosen(self) -> None:
        courses = self.page.courses
        index = courses.table.currentIndex()
        if courses.model is None or not index.isValid():
            messages.inform(self.control.window, "Choose a course in the list first.")
            return
        self.open_course(courses.model.row(index.row()).id)

    def open_course(self, course_id: uuid.UUID | None) -> None:
        from sqlalchemy import select

        from peerdesk.models import Role
        from peerdesk.services import training

        signed = self.control.signed_in
        if signed is None or not can(signed.actor, Permission.KEEP_TRAINING):
            return
        actor, store = signed.actor, signed.store
        with store.read() as s:
            roles = [
                (r.id, r.name) for r in s.execute(select(Role.id, Role.name).order_by(Role.name))
            ]
            known = {c.id: c for c in training.list_courses(s, actor)}
        course = known.get(course_id) if course_id is not None else None
        if course_id is not None and course is None:
            messages.inform(self.control.window, "That course is no longer in the catalogue.")
            return
        dialog = CourseDialog(roles, course, self.control.window)

        def submitted(typed: "CourseInput") -> None:
            def write(s: "Session") -> None:
                if course is None:
                    training.add_course(s, actor, typed)
                else:
                    training.edit_course(s, actor, course.id, typed)

            # The list, the matrix, Today and the rota's checks read the catalogue again.
            action = Action(dialog.show_problem, parent=dialog, changes={Change.TRAINING})
            action.write(store, actor, write)
            if action.failed:
                return
            dialog.finish()

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
