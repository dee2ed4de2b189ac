"""What the Rota area does for the signed-in person: reads the page for them, and opens the
shift dialog and the forms that make shifts and patterns. Each change is one short audited
session through `peerdesk.services.rota`; the page is read again afterwards."""

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from peerdesk import clock
from peerdesk.errors import PeerdeskError
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse.calendar import CalendarShift
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Permission, can
from peerdesk.ui import messages
from peerdesk.ui.rota.rota_page import RotaPage

if TYPE_CHECKING:
    from peerdesk.ui.rota.shift_forms import RotaForm


class RotaDesk(QObject):
    def __init__(self, page: RotaPage, window: QWidget) -> None:
        super().__init__(window)
        self.page = page
        self.window = window
        self.signed: SignedIn | None = None
        self.dialog: Any = None  # the dialog open now (tests reach it here)
        page.shift_opened.connect(self.open_shift)
        page.new_shift_requested.connect(self.new_shift)
        page.new_pattern_requested.connect(self.new_pattern)
        page.places_requested.connect(self.open_places)
        page.patterns_requested.connect(self.open_patterns)
        page.mine.availability_requested.connect(self.my_availability)

    def signed_in(self, signed: SignedIn) -> None:
        self.signed = signed
        if can(signed.actor, Permission.VIEW_ROTA):
            self.page.attach(signed.store.read, signed.actor, self.today())

    def today(self) -> date:
        """Today in the organisation's time zone, which may not be the computer's."""
        assert self.signed is not None
        with self.signed.store.read() as session:
            return clock.today(group_zone(session))

    def open_shift(self, shift: CalendarShift) -> None:
        from peerdesk.ui.rota.shift_dialog import ShiftDialog

        if self.signed is None:
            return
        try:
            dialog = ShiftDialog(self.signed, shift.id, self.window)
        except PeerdeskError as err:  # the shift went while the view showed it
            messages.show_error(self.window, err)
            self.page.reload()
            return
        dialog.changed.connect(self.page.reload)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def new_shift(self, day: date) -> None:
        from peerdesk.ui.rota.shift_forms import NewShiftDialog

        if self.signed is None:
            return
        self._form(NewShiftDialog(self.signed, day, self.window))

    def new_pattern(self) -> None:
        from peerdesk.ui.rota.shift_forms import NewPatternDialog

        if self.signed is None:
            return
        self._form(NewPatternDialog(self.signed, self.page.day, self.window))

    def my_availability(self) -> None:
        """The signed-in volunteer's own usual times and dates away."""
        from peerdesk.ui.rota.availability_dialog import AvailabilityDialog

        signed = self.signed
        volunteer_id = signed.actor.volunteer_id if signed is not None else None
        if signed is None or volunteer_id is None:
            return
        try:
            dialog = AvailabilityDialog(signed.store, signed.actor, volunteer_id, None, self.window)
        except PeerdeskError as err:
            messages.show_error(self.window, err)
            return
        dialog.saved.connect(self._added)  # the page is read again: eligibility goes by it
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def open_places(self) -> None:
        from peerdesk.ui.rota.places_dialog import PlacesDialog

        if self.signed is None:
            return
        dialog = PlacesDialog(self.signed, self.window)
        dialog.changed.connect(self.page.choices_changed)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def open_patterns(self) -> None:
        from peerdesk.ui.rota.patterns_dialog import PatternsDialog

        if self.signed is None:
            return
        dialog = PatternsDialog(self.signed, self.today(), self.window)
        dialog.changed.connect(self._added)  # the rota shows the shifts as they now are
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def _form(self, dialog: "RotaForm") -> None:
        dialog.saved.connect(self._added)
        dialog.places_wanted.connect(self.open_places)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def _added(self, sentence: str) -> None:
        self.page.reload()
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(sentence, 10_000)
