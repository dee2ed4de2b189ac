"""The coordinator's tabs of the shift dialog: "Put someone on" (choose a volunteer and see
every eligibility reason named before saving, or pick from "Suggest volunteers", fairest first)
and "Change" (times, staffing, roles; cancel the shift, or for a pattern's shift move or cancel
that one date). A stale edit (someone else saved first) says so and keeps what was typed."""

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.errors import PeerdeskError
from peerdesk.services import rota
from peerdesk.services.browse import calendar_choices
from peerdesk.services.browse.calendar_choices import ShiftExtras
from peerdesk.services.rota import ShiftDetail, ShiftInput, Suggestion
from peerdesk.ui import messages
from peerdesk.ui.rota.fields import (
    RotaChoices,
    ShiftFields,
    add_choices,
    choose,
    chosen_id,
    row,
)

if TYPE_CHECKING:
    from peerdesk.ui.rota.shift_dialog import ShiftDialog

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1


class CoordinatorTabs:
    def __init__(self, dialog: "ShiftDialog") -> None:
        self.dialog = dialog
        self.detail: ShiftDetail | None = None
        self.extras = ShiftExtras(frozenset(), None, {})
        self.volunteer = QComboBox()
        self.volunteer.setAccessibleName("Volunteer to put on")
        self.volunteer.setEditable(True)  # type a name to find it among hundreds
        self.volunteer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # A hint, not an item: a "Choose…" item's text stayed in the box and a typed name was
        # added to it, so nobody was ever chosen by keys.
        typed = self.volunteer.lineEdit()
        assert typed is not None  # an editable box has one
        typed.setPlaceholderText("Type a name")
        self.typed: QLineEdit = typed
        self.concerns = QLabel(wordWrap=True)
        self.concerns.setAccessibleName("Eligibility")
        self.put_on = QPushButton("Put o&n shift")
        self.offer = QPushButton("Offer it to &them")
        self.suggest = QPushButton("S&uggest volunteers")
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Suggested volunteers")
        self.form = QFormLayout()
        self.fields: ShiftFields | None = None
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Notes")
        self.pattern_note = QLabel(wordWrap=True)
        self.save = QPushButton("&Save changes")
        self.reason = QLineEdit(placeholderText="Why (optional), e.g. venue closed")
        self.reason.setAccessibleName("Reason for cancelling")
        self.cancel = QPushButton("Cancel this shi&ft…")
        for button in (self.put_on, self.offer, self.suggest, self.save, self.cancel):
            button.setAutoDefault(False)
        dialog.tabs.addTab(self._assign_tab(), "&Put someone on")
        self.change_tab = QWidget()
        dialog.tabs.addTab(self.change_tab, "Chan&ge")
        self._connect()

    def _assign_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        form.addRow("&Volunteer:", self.volunteer)
        layout.addLayout(form)
        layout.addWidget(self.concerns)
        layout.addLayout(row(self.put_on, self.offer))
        layout.addWidget(
            QLabel(
                "Suggestions are active volunteers with nothing against this shift and not "
                "known to be busy then (each says whether they are usually free), fewest recent "
                "shifts first. Double-click one to choose them.",
                wordWrap=True,
            )
        )
        layout.addLayout(row(self.suggest))
        layout.addWidget(self.suggestions, 1)
        return tab

    def _change_tab(self, choices: RotaChoices) -> None:
        self.fields = ShiftFields(self.form, choices)
        self.form.addRow("N&otes:", self.notes)
        layout = QVBoxLayout(self.change_tab)
        layout.addWidget(self.pattern_note)
        layout.addLayout(self.form)
        layout.addLayout(row(self.save))
        layout.addStretch(1)
        layout.addLayout(row(self.reason, self.cancel))

    def _connect(self) -> None:
        self.volunteer.currentIndexChanged.connect(lambda _i: self.check())
        self.typed.textChanged.connect(self._typed)
        self.put_on.clicked.connect(lambda: self.assign(offer=False))
        self.offer.clicked.connect(lambda: self.assign(offer=True))
        self.suggest.clicked.connect(self.show_suggestions)
        self.suggestions.itemActivated.connect(self._choose_suggestion)
        self.save.clicked.connect(self.save_changes)
        self.cancel.clicked.connect(self.cancel_shift)

    def read_choices(self, session: Session) -> None:
        actor = self.dialog.actor
        self.volunteer.blockSignals(True)
        add_choices(self.volunteer, calendar_choices.volunteer_choices(session, actor))
        self.volunteer.setCurrentIndex(-1)  # nobody until a name is typed or picked
        self.volunteer.blockSignals(False)
        self._change_tab(RotaChoices.read(session, actor))

    def show_shift(self, detail: ShiftDetail, extras: ShiftExtras, refill: bool) -> None:
        """`refill`: put the shift's values in the Change tab (on opening and after a save;
        never after another action, which would throw away what is being typed)."""
        self.detail, self.extras = detail, extras
        if refill and self.fields is not None:
            start, end = detail.local_start, detail.local_end
            self.fields.load(
                detail.activity_id,
                detail.venue_id,
                start.date(),
                start.time(),
                end.time(),
                detail.min_volunteers,
                detail.max_volunteers,
                extras.required_role_ids,
                detail.lone_working,
            )
            self.notes.setText(detail.notes or "")
        if detail.pattern_id is not None:
            self.pattern_note.setText(
                f"This shift is one date of the pattern “{detail.title}”. Changing its date or "
                "time moves only this date; cancelling cancels only this date."
            )
        self.cancel.setEnabled(not detail.cancelled)
        self.check()

    # Putting someone on ------------------------------------------------------------------------
    def chosen(self) -> uuid.UUID | None:
        """The volunteer whose whole name is in the box (the completer fills it in as a name
        is typed); nobody while the text names nobody, whatever was chosen before."""
        box = self.volunteer
        named = box.itemText(box.currentIndex()).casefold()
        if box.currentIndex() < 0 or named != box.currentText().strip().casefold():
            return None
        return chosen_id(box)

    def _typed(self, text: str) -> None:
        found = self.volunteer.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if found >= 0 and found != self.volunteer.currentIndex():
            self.volunteer.setCurrentIndex(found)  # and so `check` for them
        else:
            self.check()  # the name is whole now, or names nobody: the words follow

    def check(self) -> None:
        """Name every reason against the chosen volunteer before anything is saved."""
        chosen = self.chosen()
        if chosen is None or self.detail is None:
            self.concerns.clear()
            return
        signed = self.dialog.signed
        with signed.store.read() as session:
            checked = rota.check_eligibility(session, signed.actor, self.detail.id, chosen)
        if checked.clear:
            self.concerns.setText(f"Nothing stands in the way of {checked.name} on this shift.")
            return
        lines = [f"<b>Before you put {checked.name} on:</b>"]
        for concern in checked.concerns:
            how = (
                "your group's policy does not allow this"
                if concern.blocks
                else "a warning: you can put them on anyway"
            )
            lines.append(f"• {concern.sentence} <i>({how})</i>")
        self.concerns.setText("<br>".join(lines))

    def assign(self, offer: bool) -> None:
        chosen = self.chosen()
        if chosen is None or self.detail is None:
            self.dialog.show_problem("Choose who to put on the shift first.")
            return
        shift_id, actor = self.detail.id, self.dialog.actor
        name = self.volunteer.currentText()
        self.dialog.with_override(
            lambda s, override: rota.assign(
                s, actor, shift_id, chosen, override=override, offer=offer
            ),
            f"{name} has been offered the shift." if offer else f"{name} is on the shift.",
        )

    def show_suggestions(self) -> None:
        if self.detail is None:
            return
        signed = self.dialog.signed
        try:
            with signed.store.read() as session:
                found = rota.suggest_volunteers(session, signed.actor, self.detail.id, clock.now())
        except PeerdeskError as err:
            self.dialog.show_problem(str(err))
            return
        self.suggestions.clear()
        for suggestion in found:
            item = QListWidgetItem(suggestion_words(suggestion), self.suggestions)
            item.setData(SUGGESTION_ROLE, suggestion.volunteer_id)
        if not found:
            QListWidgetItem("Nobody is clear and free for this shift.", self.suggestions)

    def _choose_suggestion(self, item: QListWidgetItem) -> None:
        volunteer_id = item.data(SUGGESTION_ROLE)
        if choose(self.volunteer, volunteer_id):
            self.put_on.setFocus()

    # Changing and cancelling -------------------------------------------------------------------
    def save_changes(self) -> None:
        detail, fields = self.detail, self.fields
        if detail is None or fields is None:
            return
        try:
            data = fields.shift_input(self.notes.text())
        except PeerdeskError as err:
            self.dialog.show_problem(str(err))
            return
        moved = (data.day, data.local_start, data.duration_minutes) != (
            detail.local_start.date(),
            detail.local_start.time(),
            int((detail.ends_at - detail.starts_at).total_seconds() // 60),
        )
        if self.dialog.act(lambda s: self._edit(s, detail, data, moved), "The shift is saved."):
            assert self.dialog.detail is not None
            self.show_shift(self.dialog.detail, self.dialog.extras, refill=True)

    def _edit(self, session: Session, detail: ShiftDetail, data: ShiftInput, moved: bool) -> None:
        """The edit is checked against the version opened (a stale one is refused); moving a
        pattern's date also records it on the pattern, so making shifts again keeps it."""
        actor = self.dialog.actor
        rota.edit_shift(session, actor, detail.id, detail.version, data)
        on = self.extras.occurrence_on
        if moved and detail.pattern_id is not None and on is not None:
            rota.move_occurrence(
                session,
                actor,
                detail.pattern_id,
                on,
                data.day,
                data.local_start,
                data.duration_minutes,
            )

    def cancel_shift(self) -> None:
        detail = self.detail
        if detail is None:
            return
        what = "this date of the pattern" if detail.pattern_id else "this shift"
        if not messages.confirm(
            self.dialog,
            f"Cancel {what}? Everyone on it stays listed, so you can tell them.",
            "Cancel shift",
        ):
            return
        reason, actor, on = self.reason.text(), self.dialog.actor, self.extras.occurrence_on

        def cancel(session: Session) -> None:
            rota.cancel_shift(session, actor, detail.id, detail.version, reason)
            if detail.pattern_id is not None and on is not None:
                rota.cancel_occurrence(session, actor, detail.pattern_id, on, reason)

        self.dialog.act(cancel, "The shift is cancelled.")


def suggestion_words(s: Suggestion) -> str:
    roles = f" ({', '.join(s.roles)})" if s.roles else ""
    recent = f"{s.recent_shifts} recent shift{'' if s.recent_shifts == 1 else 's'}"
    free = {True: "usually free then", None: "has not said when they are free"}.get(
        s.usually_available, ""
    )
    return f"{s.name}{roles} – {recent}" + (f" – {free}" if free else "")
