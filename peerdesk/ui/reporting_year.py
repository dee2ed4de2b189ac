"""The Settings page's box for the month the organisation's financial year starts: coordinators
change it, trustees see it (it decides which financial years a public report may cover)."""

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from peerdesk.db.store import Store
from peerdesk.services.organisation import organisation_settings, set_financial_year_start
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui.action import Action
from peerdesk.wording import MONTHS


class ReportingYearBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Financial year")
        self.month = QComboBox()
        self.month.setAccessibleName("Month the financial year starts")
        self.save = QPushButton("Save &year start")
        self.save.clicked.connect(self._save)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("The financial year starts in"))
        row.addWidget(self.month)
        row.addWidget(self.save)
        row.addStretch(1)
        note = QLabel(
            "Public reports may cover the financial year as well as calendar months, quarters, "
            "halves and years; it starts on the 1st of this month."
        )
        note.setWordWrap(True)
        inner = QVBoxLayout(self)
        inner.addLayout(row)
        inner.addWidget(note)
        inner.addWidget(self.problem)
        self._store: Store | None = None
        self._actor: Actor | None = None
        self.hide()

    def attach(self, store: Store, actor: Actor) -> None:
        """Show the month for whoever sees the figures; only those who may change the
        organisation's settings can change it."""
        self._store, self._actor = store, actor
        with store.read() as s:
            month = organisation_settings(s).financial_year_start_month
        self.month.clear()  # filled while signed in: locking leaves no model with rows
        for number in range(1, 13):
            self.month.addItem(MONTHS[number - 1], number)
        self.month.setCurrentIndex(self.month.findData(month))
        editable = can(actor, Permission.CHANGE_SETTINGS)
        self.month.setEnabled(editable)
        self.save.setVisible(editable)
        self.problem.hide()
        self.setVisible(editable or can(actor, Permission.VIEW_FIGURES))

    def clear(self) -> None:
        self._store = self._actor = None
        self.month.clear()
        self.problem.clear()
        self.hide()

    def _save(self) -> None:
        store, actor = self._store, self._actor
        if store is None or actor is None:
            return
        month = int(self.month.currentData())
        with Action(self._say) as action, store.session(actor) as s:
            set_financial_year_start(s, actor, month)
        if not action.failed:
            self._say(f"Saved: the financial year starts in {MONTHS[month - 1]}.")

    def _say(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
