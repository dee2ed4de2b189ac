"""Venues and activities, for coordinators: the two lists (activities with their kind, venues
with their address), and Add, Change and Retire / Bring back for each.

Nothing is deleted: shifts, patterns and session logs point at venues and activities, so one no
longer used is retired (new shifts and patterns stop offering it) and can be brought back. Each
change is one audited session through `peerdesk.services.rota`; a refused save keeps what was
typed and shows the service's sentence. `changed` tells the rota page to read its filter boxes
again, so a new activity can be chosen at once."""

import uuid
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.models import ActivityKind
from peerdesk.services import rota
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import ActivityInfo, InUse, VenueInfo
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.changes import Change
from peerdesk.ui.records_dialog import RecordsDialog, Write
from peerdesk.ui.volunteer_parts import tree
from peerdesk.wording import word

ID_ROLE = Qt.ItemDataRole.UserRole
RETIRED = "Retired"

# Services that write; each runs in its own audited session and returns what it saved.


class PlacesDialog(RecordsDialog):
    """`changed`: a venue or activity was saved, so the rota reads its choices again."""

    changes = frozenset({Change.ROTA, Change.SESSIONS})  # both name the places

    def __init__(self, signed: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(signed, "Venues and activities", parent)
        intro = QLabel(
            "What shifts are and where they happen. Nothing here is ever deleted: retire "
            "what you no longer use and new shifts stop offering it, while past shifts and "
            "session logs keep it.",
            wordWrap=True,
        )
        self.activities = PlaceList("Activities", ["Activity", "Kind", "Status"], "activity")
        self.venues = PlaceList("Venues", ["Venue", "Address", "Status"], "venue")
        lists = QHBoxLayout()
        lists.addWidget(self.activities, 1)
        lists.addWidget(self.venues, 1)
        self.lay_out([intro, lists])
        self._connect()
        self.resize(920, 440)
        self.reload()

    def _connect(self) -> None:
        self.activities.add.clicked.connect(lambda: self.open_form(ActivityForm(self, None)))
        self.activities.change.clicked.connect(self._change_activity)
        self.activities.toggle.clicked.connect(lambda: self._toggle(self.activities))
        self.venues.add.clicked.connect(lambda: self.open_form(VenueForm(self, None)))
        self.venues.change.clicked.connect(self._change_venue)
        self.venues.toggle.clicked.connect(lambda: self._toggle(self.venues))
        for places in (self.activities, self.venues):
            places.view.itemActivated.connect(lambda _item, _col, p=places: p.change.click())

    # Reading -----------------------------------------------------------------------------------
    def reload(self, chosen: uuid.UUID | None = None) -> None:
        with self.signed.store.read() as session:
            activities = rota.list_activities(session, self.signed.actor)
            venues = rota.list_venues(session, self.signed.actor)
        self.activities.show_rows(
            [(a.id, [a.name, word(a.kind), _in_use(a.active)], a.active) for a in activities],
            chosen,
        )
        self.venues.show_rows(
            [(v.id, [v.name, _one_line(v.address), _in_use(v.active)], v.active) for v in venues],
            chosen,
        )
        self._activity_rows = {a.id: a for a in activities}
        self._venue_rows = {v.id: v for v in venues}
        if not activities and not self.outcome.text():
            self.outcome.setText(
                "Start with an activity (a drop-in, a group, a phone line): every shift is one. "
                "Venues are optional; a phone or online shift has none."
            )

    # Changing ----------------------------------------------------------------------------------
    def _change_activity(self) -> None:
        chosen = self.activities.chosen()
        if chosen is not None and chosen in self._activity_rows:
            self.open_form(ActivityForm(self, self._activity_rows[chosen]))

    def _change_venue(self) -> None:
        chosen = self.venues.chosen()
        if chosen is not None and chosen in self._venue_rows:
            self.open_form(VenueForm(self, self._venue_rows[chosen]))

    def _toggle(self, places: "PlaceList") -> None:
        chosen = places.chosen()
        if chosen is None:
            return
        if places is self.activities:
            activity = self._activity_rows[chosen]
            bring_back = not activity.active
            name = activity.name

            def write(s: Session) -> Any:
                return rota.set_activity_active(s, self.signed.actor, chosen, bring_back)
        else:
            venue = self._venue_rows[chosen]
            bring_back = not venue.active
            name = venue.name

            def write(s: Session) -> Any:
                return rota.set_venue_active(s, self.signed.actor, chosen, bring_back)

        if bring_back:
            said = f"“{name}” is back: new shifts and patterns can use it again."
        else:
            said = f"“{name}” is retired: new shifts and patterns no longer offer it."
        if self.save(write, said) is None and not bring_back:
            self._say_still_used(places, chosen)

    def _say_still_used(self, places: "PlaceList", chosen: uuid.UUID) -> None:
        """Retiring changes no shift: say what still uses it, so nobody is surprised to see it
        on next month's rota."""
        count = rota.activity_in_use if places is self.activities else rota.venue_in_use
        with self.signed.store.read() as session:
            uses = count(session, self.signed.actor, chosen, clock.now())
        if uses.shifts or uses.patterns:
            self.outcome.setText(f"{self.outcome.text()} {still_used(uses)}")


class PlaceList(QWidget):
    """One list (activities or venues) with its buttons; Retire reads "Bring back" for a
    retired row, and Change and Retire wait for a row to be chosen."""

    def __init__(self, title: str, headers: list[str], what: str) -> None:
        super().__init__()
        self.what = what
        heading = QLabel(f"<b>{title}</b>")
        self.view: QTreeWidget = tree(title, headers)
        heading.setBuddy(self.view)
        self.add = QPushButton(f"Add {what}…")
        self.change = QPushButton("Change…")
        self.toggle = QPushButton("Retire")
        for button, name in (
            (self.add, f"Add {what}"),
            (self.change, f"Change {what}"),
            (self.toggle, f"Retire or bring back {what}"),
        ):
            button.setAccessibleName(name)
        buttons = QHBoxLayout()
        for button in (self.add, self.change, self.toggle):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.currentItemChanged.connect(lambda *_: self._show_buttons())
        self._show_buttons()

    def show_rows(
        self, rows: list[tuple[uuid.UUID, list[str], bool]], chosen: uuid.UUID | None
    ) -> None:
        """The rows, keeping the one chosen (or choosing the one just saved)."""
        keep = chosen or self.chosen()
        self.view.clear()
        for row_id, texts, active in rows:
            item = QTreeWidgetItem(texts)
            item.setData(0, ID_ROLE, str(row_id))
            item.setToolTip(0, texts[0])
            item.setToolTip(1, texts[1])
            if not active:  # greyed as well as saying "Retired": colour is never the only cue
                grey = self.palette().color(self.palette().ColorRole.PlaceholderText)
                for column in range(len(texts)):
                    item.setForeground(column, grey)
            self.view.addTopLevelItem(item)
            if keep is not None and str(keep) == str(row_id):
                self.view.setCurrentItem(item)
        self._fit_columns()
        self._show_buttons()

    def _fit_columns(self) -> None:
        """Whole names where they fit, the status always whole, the middle column the rest
        (a long address is cut short in the list and shown whole in its tooltip)."""
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.resizeColumnToContents(0)
        self.view.setColumnWidth(0, max(160, min(self.view.columnWidth(0) + 12, 220)))

    def chosen(self) -> uuid.UUID | None:
        item = self.view.currentItem()
        return uuid.UUID(item.data(0, ID_ROLE)) if item is not None else None

    def _show_buttons(self) -> None:
        item = self.view.currentItem()
        self.change.setEnabled(item is not None)
        self.toggle.setEnabled(item is not None)
        retired = item is not None and item.text(2) == RETIRED
        self.toggle.setText("Bring back" if retired else "Retire")


class PlaceForm(FormDialog):
    """Add or change one activity or venue; its save runs in the places dialog, and a refusal
    is shown here with everything typed kept."""

    def __init__(self, places: PlacesDialog, title: str, intro: str, action: str) -> None:
        super().__init__(title, intro, action, places)
        self.places = places
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.form.addRow("&Name:", self.name)
        self.submitted.connect(self._save)

    def _save(self, typed: object) -> None:
        write, said = cast(tuple[Write, str], typed)
        refused = self.places.save(write, said)
        if refused is not None:
            self.places.problem.hide()  # said here, beside what was typed
            self.show_problem(refused)
            return
        self.finish()


class ActivityForm(PlaceForm):
    def __init__(self, places: PlacesDialog, activity: ActivityInfo | None) -> None:
        adding = activity is None
        super().__init__(
            places,
            "New activity" if adding else "Change activity",
            "What a shift is, such as a drop-in or a walking group. Its kind says how people "
            "meet, which the session log uses.",
            "Add &activity" if adding else "&Save",
        )
        self.activity = activity
        self.name.setPlaceholderText("e.g. Tuesday drop-in")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for kind in ActivityKind:
            self.kind.addItem(word(kind), kind.value)
        self.form.addRow("&Kind:", self.kind)
        self.funded_by = QLineEdit()
        self.funded_by.setAccessibleName("Funder or project")
        self.funded_by.setPlaceholderText("Optional: the board report splits its figures by it")
        self.form.addRow("&Funder or project:", self.funded_by)
        if activity is not None:
            self.name.setText(activity.name)
            self.kind.setCurrentIndex(self.kind.findData(activity.kind.value))
            self.funded_by.setText(activity.funded_by or "")

    def values(self) -> tuple[Write, str]:
        actor, name, kind = self.places.signed.actor, self.name.text(), self.kind.currentData()
        funder = self.funded_by.text()
        existing = self.activity
        if existing is None:
            return (
                lambda s: rota.create_activity(s, actor, name, kind, funder),
                f"“{' '.join(name.split())}” can now be chosen for shifts and patterns.",
            )
        return (
            lambda s: rota.change_activity(
                s, actor, existing.id, name, kind, was=existing, funded_by=funder
            ),
            f"“{' '.join(name.split())}” is saved.",
        )


class VenueForm(PlaceForm):
    def __init__(self, places: PlacesDialog, venue: VenueInfo | None) -> None:
        adding = venue is None
        super().__init__(
            places,
            "New venue" if adding else "Change venue",
            "Where shifts happen. The address (optional) is shown with each shift there.",
            "Add &venue" if adding else "&Save",
        )
        self.venue = venue
        self.name.setPlaceholderText("e.g. Riverside Community Centre")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Address")
        self.address.setPlaceholderText("Street, town, postcode (optional)")
        self.address.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 4 + 12)
        label = QLabel("A&ddress:")
        label.setBuddy(self.address)
        self.form.addRow(label, self.address)
        if venue is not None:
            self.name.setText(venue.name)
            self.address.setPlainText(venue.address or "")

    def values(self) -> tuple[Write, str]:
        actor, name = self.places.signed.actor, self.name.text()
        address = self.address.toPlainText()
        existing = self.venue
        if existing is None:
            return (
                lambda s: rota.create_venue(s, actor, name, address),
                f"“{' '.join(name.split())}” can now be chosen for shifts and patterns.",
            )
        return (
            lambda s: rota.change_venue(s, actor, existing.id, name, address, was=existing),
            f"“{' '.join(name.split())}” is saved.",
        )


def still_used(uses: InUse) -> str:
    parts = []
    if uses.shifts:
        parts.append(f"{uses.shifts} shift{'s' if uses.shifts != 1 else ''} to come")
    if uses.patterns:
        parts.append(f"{uses.patterns} repeating pattern{'s' if uses.patterns != 1 else ''}")
    return f"It is still on {' and '.join(parts)}, which stay as they are."


def _in_use(active: bool) -> str:
    return "In use" if active else RETIRED


def _one_line(address: str | None) -> str:
    return ", ".join(address.splitlines()) if address else ""
