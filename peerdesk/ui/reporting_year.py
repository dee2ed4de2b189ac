"""The Settings page's box for what the reports follow: the month the organisation's financial
year starts (it decides which financial years a public report may cover) and the value of an
hour of volunteer time (the board report's funders section). Coordinators change them,
trustees see them."""

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.services.organisation import (
    organisation_settings,
    pounds,
    set_financial_year_start,
    set_volunteer_hour_value,
)
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.wording import MONTHS


class ReportingYearBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Financial year")
        self.month = QComboBox()
        self.month.setAccessibleName("Month the financial year starts")
        self.rate = QLineEdit()
        self.rate.setAccessibleName("Value of an hour of volunteer time, in pounds")
        self.rate.setPlaceholderText("e.g. 12.50")
        self.rate.setMaximumWidth(110)
        self.save = QPushButton("Save &year start and value")
        self.save.clicked.connect(self._save)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("The financial year starts in"))
        row.addWidget(self.month)
        row.addWidget(QLabel("and an hour of volunteer time is worth £"))
        row.addWidget(self.rate)
        row.addWidget(self.save)
        row.addStretch(1)
        note = QLabel(
            "Public reports may cover the financial year as well as calendar months, quarters, "
            "halves and years; it starts on the 1st of this month. The board report values "
            "volunteer hours at the rate given (leave it empty for none)."
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
            org = organisation_settings(s)
        month = org.financial_year_start_month
        pence = org.volunteer_hour_pence
        self.rate.setText("" if pence is None else pounds(pence).removeprefix("£"))
        self.month.clear()  # filled while signed in: locking leaves no model with rows
        for number in range(1, 13):
            self.month.addItem(MONTHS[number - 1], number)
        self.month.setCurrentIndex(self.month.findData(month))
        editable = can(actor, Permission.CHANGE_SETTINGS)
        self.month.setEnabled(editable)
        self.rate.setReadOnly(not editable)
        self.save.setVisible(editable)
        self.problem.hide()
        self.setVisible(editable or can(actor, Permission.VIEW_FIGURES))

    def clear(self) -> None:
        self._store = self._actor = None
        self.month.clear()
        self.rate.clear()
        self.problem.clear()
        self.hide()

    def _save(self) -> None:
        store, actor = self._store, self._actor
        if store is None or actor is None:
            return
        month = int(self.month.currentData())
        action = Action(self._say, parent=self, changes={Change.SETTINGS, Change.REPORTS})

        def save(s: Session) -> int | None:
            set_financial_year_start(s, actor, month)
            return set_volunteer_hour_value(s, actor, self.rate.text())

        pence = action.write(store, actor, save)
        if not action.failed:
            worth = "is not valued" if pence is None else f"is worth {pounds(pence)}"
            self._say(
                f"Saved: the financial year starts in {MONTHS[month - 1]}, and an hour "
                f"of volunteer time {worth}."
            )

    def _say(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
