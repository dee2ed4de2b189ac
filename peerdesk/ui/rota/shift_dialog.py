"""One shift in its own dialog, opened from any rota view: what, when and where, how it is
staffed (in colour and words), who is on it and how their place stands.

A volunteer signs up, accepts or declines an offer, says "I can't make it" (asking for cover)
or offers to cover someone else. A coordinator also puts people on or takes them off (with the
eligibility reasons named, and an override only where the group's policy allows one), asks
for suggestions, confirms cover, records who came, and changes or cancels the shift (the
`CoordinatorTabs`). Every action is one audited session through `peerdesk.services.rota`; a
refusal is shown in the dialog as the service's sentence and nothing typed is cleared.
"""

import uuid
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.models import AssignmentStatus
from peerdesk.services import rota
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse import calendar_choices
from peerdesk.services.browse.calendar_choices import ShiftExtras
from peerdesk.services.permissions import Permission, can
from peerdesk.services.rota import OnShift, ShiftDetail
from peerdesk.ui import messages
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.focus import start_on_first_field
from peerdesk.ui.rota.wording import DAY_NAMES, staffing_ink
from peerdesk.ui.volunteer_parts import tree
from peerdesk.wording import word

A = AssignmentStatus
PLACE_ROLE = Qt.ItemDataRole.UserRole + 1


class ShiftDialog(QDialog):
    changed = Signal()  # something about the shift was saved: the views read again

    def __init__(self, signed: SignedIn, shift_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.signed, self.actor, self.shift_id = signed, signed.actor, shift_id
        self.detail: ShiftDetail | None = None
        self.extras = ShiftExtras(frozenset(), None, {})
        self.summary = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.summary.setAccessibleName("Shift details")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        headers = ["Name", "Roles", "Place"]
        if can(self.actor, Permission.VIEW_CONTACT_DETAILS):
            headers.append("Phone")
        self.people = tree("People on the shift", headers)
        self.people.currentItemChanged.connect(lambda *_: self._show_actions())
        self.note = QLineEdit(placeholderText="A note for the coordinator (optional)")
        self.note.setAccessibleName("Note")
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        self.outcome = QLabel(wordWrap=True)
        self.outcome.setAccessibleName("Done")
        self.buttons: dict[str, QPushButton] = {}
        self.on_shift = QLabel("<b>On the shift</b>")
        self.tabs = QTabWidget()
        self.coordinator: Any = None  # the CoordinatorTabs, for coordinators
        self._lay_out()
        self.resize(720, 520)
        self.load(first=True)

    # Layout ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        start_on_first_field(self)  # not on the row of tabs: the first thing to read or change

    def _lay_out(self) -> None:
        shift_tab = QWidget()
        layout = QVBoxLayout(shift_tab)
        layout.addWidget(self.summary)
        layout.addWidget(self.on_shift)
        layout.addWidget(self.people, 1)
        layout.addLayout(self._action_row())
        layout.addWidget(self.note)
        self.tabs.addTab(shift_tab, "S&hift")
        if can(self.actor, Permission.EDIT_ROTA):
            from peerdesk.ui.rota.shift_tabs import CoordinatorTabs

            self.coordinator = CoordinatorTabs(self)
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QVBoxLayout(self)
        body.addWidget(self.tabs, 1)
        body.addWidget(self.problem)
        body.addWidget(self.outcome)
        body.addWidget(close)

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("sign_up", "&Sign up", self.sign_up),
            ("accept", "&Accept", self.accept_offer),
            ("decline", "&Decline", self.decline),
            ("cant_make_it", "I &can't make it", self.cant_make_it),
            ("offer_cover", "&Offer to cover", self.offer_cover),
            ("take_back", "&Take back my offer", self.decline),
        ]
        if can(self.actor, Permission.EDIT_ROTA):
            actions += [
                ("confirm_cover", "Con&firm cover", self.confirm_cover),
                ("attended", "Ca&me", lambda: self.record_attendance(True)),
                ("no_show", "Did &not come", lambda: self.record_attendance(False)),
                ("unassign", "Ta&ke off shift…", self.unassign),
            ]
        for key, text, slot in actions:
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
            button.hide()  # shown by _show_actions when it applies; all ten would widen the dialog
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    # Reading -----------------------------------------------------------------------------------
    def load(self, first: bool = False) -> None:
        with self.signed.store.read() as session:
            self.detail = rota.shift_detail(session, self.actor, self.shift_id)
            self.extras = calendar_choices.shift_extras(session, self.actor, self.shift_id)
            if self.coordinator is not None and first:
                self.coordinator.read_choices(session)
        detail = self.detail
        self.setWindowTitle(f"{detail.title} – {show_date(detail.local_start.date())}")
        self.summary.setText(summary_html(detail, self.extras.venue_address))
        self._show_people(detail)
        self._show_actions()
        if self.coordinator is not None:
            self.coordinator.show_shift(detail, self.extras, refill=first)

    def _show_people(self, detail: ShiftDetail) -> None:
        chosen = self.selected()
        self.people.clear()
        for place in detail.people:
            words = self._place_words(place, detail)
            note = self.extras.notes.get(place.assignment_id)
            if note:
                words += f" – “{note}”"
            values = [place.name, ", ".join(place.roles), words]
            if can(self.actor, Permission.VIEW_CONTACT_DETAILS):
                values.append(self.extras.phones.get(place.volunteer_id, ""))
            item = QTreeWidgetItem(self.people, values)
            item.setData(0, PLACE_ROLE, place)
            if chosen is not None and place.assignment_id == chosen.assignment_id:
                self.people.setCurrentItem(item)
        heading = "<b>On the shift</b>"
        if not detail.people and self.coordinator is not None:
            # Where to put someone on is a tab a newcomer may not look at: say which.
            heading += " (to put someone on, open the “Put someone on” tab: Alt+P)"
        self.on_shift.setText(heading)
        if not detail.people:
            QTreeWidgetItem(self.people, ["Nobody yet"]).setFlags(Qt.ItemFlag.NoItemFlags)
        elif self.people.currentItem() is None and can(self.actor, Permission.EDIT_ROTA):
            first = self.people.topLevelItem(0)
            if first is not None:
                self.people.setCurrentItem(first)  # its actions at hand
        for column in range(self.people.columnCount() - 1):
            self.people.resizeColumnToContents(column)
            self.people.setColumnWidth(column, self.people.columnWidth(column) + 16)

    @staticmethod
    def _place_words(place: OnShift, detail: ShiftDetail) -> str:
        text = word(place.status)
        if place.covering is not None:
            asker = next((p.name for p in detail.people if p.assignment_id == place.covering), "")
            text = f"Offered to cover {asker}".strip()
        return text

    def selected(self) -> OnShift | None:
        item = self.people.currentItem()
        return item.data(0, PLACE_ROLE) if item is not None else None

    def mine(self) -> OnShift | None:
        if self.detail is None or self.actor.volunteer_id is None:
            return None
        me = self.actor.volunteer_id
        return next((p for p in self.detail.people if p.volunteer_id == me), None)

    def _show_actions(self) -> None:
        """Only the actions that make sense now, for this person, on this shift."""
        detail = self.detail
        if detail is None:
            return
        ahead = detail.starts_at > clock.now() and not detail.cancelled
        mine = self.mine()
        free = mine is None or mine.status is A.DECLINED
        shown = {
            "sign_up": self.actor.volunteer_id is not None and free and ahead,
            "accept": mine is not None and mine.status is A.OFFERED and mine.covering is None,
            "decline": mine is not None and mine.status is A.OFFERED and mine.covering is None,
            "cant_make_it": mine is not None and mine.status is A.CONFIRMED and ahead,
            "offer_cover": self.actor.volunteer_id is not None
            and free
            and ahead
            and self._open_request() is not None,
            "take_back": mine is not None
            and mine.status is A.OFFERED
            and mine.covering is not None,
        }
        chosen = self.selected()
        if can(self.actor, Permission.EDIT_ROTA):
            started = detail.starts_at <= clock.now()
            shown |= {
                "confirm_cover": chosen is not None
                and chosen.status is A.OFFERED
                and chosen.covering is not None,
                "attended": chosen is not None
                and started
                and chosen.status in (A.CONFIRMED, A.NO_SHOW),
                "no_show": chosen is not None
                and started
                and chosen.status in (A.CONFIRMED, A.ATTENDED),
                "unassign": chosen is not None and chosen.status not in (A.ATTENDED, A.NO_SHOW),
            }
        for key, button in self.buttons.items():
            button.setVisible(shown.get(key, False))
        self.note.setVisible(shown["cant_make_it"] or shown["decline"])

    def _open_request(self) -> OnShift | None:
        assert self.detail is not None
        return next((p for p in self.detail.people if p.status is A.COVER_REQUESTED), None)

    # Doing -------------------------------------------------------------------------------------
    def act(self, work: Callable[[Session], object], done: str) -> bool:
        """Run one change in its own audited session; on a refusal say why and keep
        everything typed."""
        action = Action(self.show_problem, parent=self, changes={Change.ROTA})
        action.write(self.signed.store, self.actor, work)
        if action.failed:
            return False
        return self._done(done)

    def _done(self, done: str) -> bool:
        """After a change: say what happened, read the shift again, tell the rota."""
        self.problem.hide()
        self.outcome.setText(done)
        self.load()
        self.changed.emit()
        return True

    def show_problem(self, text: str) -> None:
        self.outcome.clear()
        self.problem.setText(text)
        self.problem.show()

    def _note(self) -> str | None:
        return self.note.text().strip() or None

    def sign_up(self) -> None:
        now = clock.now()
        self.act(
            lambda s: rota.sign_up(s, self.actor, self.shift_id, now), "You are on this shift."
        )

    def accept_offer(self) -> None:
        mine = self.mine()
        if mine is not None:
            self.act(
                lambda s: rota.accept_offer(s, self.actor, mine.assignment_id),
                "You are on this shift.",
            )

    def decline(self) -> None:
        mine = self.mine()
        if mine is not None:
            note = self._note()
            self.act(
                lambda s: rota.decline(s, self.actor, mine.assignment_id, note),
                "You have said no to this shift.",
            )

    def cant_make_it(self) -> None:
        mine = self.mine()
        if mine is None:
            return
        note, now = self._note(), clock.now()
        if self.act(
            lambda s: rota.cant_make_it(s, self.actor, mine.assignment_id, note, now),
            "Your coordinator has been asked to find cover; others can offer to take it.",
        ):
            self.note.clear()

    def offer_cover(self) -> None:
        request = self._open_request()
        if request is not None:
            now = clock.now()
            self.act(
                lambda s: rota.offer_cover(s, self.actor, request.assignment_id, now),
                "Thank you: a coordinator will confirm your offer to cover.",
            )

    def confirm_cover(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        now = clock.now()
        self.with_override(
            lambda s, override: rota.confirm_cover(
                s, self.actor, chosen.assignment_id, now, override=override
            ),
            f"{chosen.name} is covering the shift.",
        )

    def with_override(self, work: Callable[[Session, bool], object], done: str) -> bool:
        """A change that may need a knowing override: the warnings named, and asked once.
        A blocking reason (`NotEligible`) is only explained: the group's policy decides."""
        warned: rota.NeedsOverride | None = None
        with Action(self.show_problem, parent=self, changes={Change.ROTA}) as action:
            try:
                with self.signed.store.session(self.actor) as session:
                    work(session, False)
            except rota.NeedsOverride as err:
                warned = err
        if action.failed:
            return False
        if warned is None:
            return self._done(done)
        if not messages.confirm(self, str(warned), "Put them on anyway"):
            self.show_problem(str(warned))
            return False
        return self.act(lambda s: work(s, True), done)

    def record_attendance(self, came: bool) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        now = clock.now()
        self.act(
            lambda s: rota.record_attendance(s, self.actor, chosen.assignment_id, came, now),
            f"{chosen.name} {'came' if came else 'did not come'}.",
        )

    def unassign(self) -> None:
        chosen = self.selected()
        if chosen is None or not messages.confirm(
            self, f"Take {chosen.name} off this shift?", "Take off"
        ):
            return
        self.act(
            lambda s: rota.unassign(s, self.actor, chosen.assignment_id),
            f"{chosen.name} is no longer on this shift.",
        )


def summary_html(detail: ShiftDetail, address: str | None = None) -> str:
    """The shift in a few lines; staffing in its colour and in words; the venue's address on
    one line, when it has one."""
    start, end = detail.local_start, detail.local_end
    day = f"{DAY_NAMES[start.weekday()]} {show_date(start.date())}"
    until = f"{end:%H:%M}"
    if end.date() != start.date():
        until = f"{DAY_NAMES[end.weekday()]} {show_date(end.date())} {until}"
    wanted = (
        f"{detail.min_volunteers}"
        if detail.min_volunteers == detail.max_volunteers
        else f"{detail.min_volunteers} to {detail.max_volunteers}"
    )
    staffing = detail.staffing
    lines = [
        f"<h3>{escape(detail.title)}</h3>",
        f"<b>{day}, {start:%H:%M} – {until}</b>",
        f"{escape(detail.activity)} ({escape(word(detail.kind))})"
        f" · {escape(detail.venue or 'No venue')}"
        + (f" ({escape(', '.join(address.splitlines()))})" if address else ""),
        f"Needs {wanted} volunteer{'' if detail.max_volunteers == 1 else 's'}"
        + (
            f"; roles needed: {escape(', '.join(detail.required_roles))}"
            if detail.required_roles
            else ""
        )
        + ("; lone working" if detail.lone_working else ""),
        f"<span style='color:{staffing_ink(staffing, QGuiApplication.palette()).name()}'>"
        f"■ <b>{staffing.capitalize()}</b></span>:"
        f" {detail.filled} on, needs {wanted}",
    ]
    if detail.cancelled:
        lines.append("<b>This shift is cancelled.</b>")
    if detail.notes:
        lines.append(f"Notes: {escape(detail.notes)}")
    return "<br>".join(lines)
