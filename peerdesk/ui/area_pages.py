"""The lifecycle (`area_registry.AreaPage`) of each area the window had before the registry:
how its page and the desk behind its buttons are built, read for the person signed in, read
again after a change it shows, and cleared. A new area keeps its own in its own module."""

from typing import TYPE_CHECKING

from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, can
from peerdesk.ui import areas
from peerdesk.ui.list_page import ListPage

if TYPE_CHECKING:
    from peerdesk.ui.store_control import StoreControl


def _list(control: "StoreControl", key: str, title: str, option: str | None = None) -> ListPage:
    """A list page, kept by the window too: its columns are remembered when it closes."""
    page = ListPage(key, title, option)
    control.window.lists[key] = page
    return page


def _attach_list(page: ListPage, signed: SignedIn) -> None:
    source, other = areas.sources(page.key)
    page.attach(source, signed.store.read, signed.actor, other)


class TodayArea:
    """The page everyone signs in to: the group's figures and what needs attention. It is
    built with the window, so it is on screen first; it is read again whenever it is shown."""

    def __init__(self, control: "StoreControl") -> None:
        self.control = control
        self.widget = control.window.today

    def attach(self, signed: SignedIn) -> None:
        self.reload()

    def reload(self) -> None:
        self.control.refresh_today()

    def clear(self) -> None:
        self.widget.clear()


class VolunteersArea:
    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.volunteer_editor import VolunteerDesk

        self.widget = _list(control, "volunteers", "Volunteers")
        self.desk = VolunteerDesk(self.widget, control)

    def attach(self, signed: SignedIn) -> None:
        _attach_list(self.widget, signed)
        self.desk.signed_in(signed.actor)

    def reload(self) -> None:
        self.widget.reload()

    def clear(self) -> None:
        self.widget.detach()


class RotaArea:
    """Week and month calendars, the volunteer's own shifts, and the shift list."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.rota.desk import RotaDesk
        from peerdesk.ui.rota.rota_page import RotaPage

        self.shifts = _list(control, "rota", "Rota", "Show &past shifts")
        self.widget = RotaPage(self.shifts)
        self.desk = RotaDesk(self.widget, control.window)

    def attach(self, signed: SignedIn) -> None:
        _attach_list(self.shifts, signed)
        self.desk.signed_in(signed)

    def reload(self) -> None:
        self.shifts.reload()
        self.widget.reload()  # the view on screen; off screen, it reads when shown

    def clear(self) -> None:
        self.shifts.detach()
        self.widget.detach()


class TrainingArea:
    """The compliance matrix, and the course list in the second tab."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.compliance_page import CourseDesk, TrainingPage

        self.courses = _list(control, "training", "Training")
        self.widget = TrainingPage(self.courses)
        self.desk = CourseDesk(self.widget, control)

    def attach(self, signed: SignedIn) -> None:
        _attach_list(self.courses, signed)
        self.widget.attach(signed.store.read, signed.actor, areas.sees_compliance(signed.actor))
        self.desk.signed_in(signed.actor)

    def reload(self) -> None:
        self.courses.reload()
        self.widget.reload()

    def clear(self) -> None:
        self.courses.detach()
        self.widget.detach()


class SupervisionArea:
    """Who is due, agreed actions, follow-ups, and the sessions list in its own tab."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.supervision_desk import SupervisionDesk
        from peerdesk.ui.supervision_page import SupervisionPage

        self.sessions = _list(control, "supervision", "Supervision")
        self.widget = SupervisionPage(self.sessions)
        self.desk = SupervisionDesk(self.widget, control)

    def attach(self, signed: SignedIn) -> None:
        _attach_list(self.sessions, signed)
        leads = can(signed.actor, Permission.LEAD_SUPERVISION)
        self.widget.attach(signed.store.read, signed.actor, leads)
        self.desk.signed_in(signed.actor)

    def reload(self) -> None:
        self.sessions.reload()
        self.widget.reload()

    def clear(self) -> None:
        self.sessions.detach()
        self.widget.detach()


class ReportsArea:
    """Figures, exports and sign-off, and the list of past exports in the third tab."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.report_desk import ReportDesk
        from peerdesk.ui.reports_page import ReportsPage

        self.exports = _list(control, "reports", "Reports")
        self.widget = ReportsPage(self.exports)
        self.desk = ReportDesk(self.widget, control)

    def attach(self, signed: SignedIn) -> None:
        _attach_list(self.exports, signed)
        self.desk.signed_in(signed.actor)

    def reload(self) -> None:
        self.exports.reload()
        self.widget.set_year_start(self.desk.year_start_month())

    def clear(self) -> None:
        self.exports.detach()
        self.widget.clear()


class OutcomesArea:
    """What works: outcome and feedback figures broken down."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.outcomes_desk import OutcomesDesk
        from peerdesk.ui.outcomes_page import OutcomesPage

        self.widget = OutcomesPage()
        self.desk = OutcomesDesk(self.widget, control)

    def attach(self, signed: SignedIn) -> None:
        self.desk.signed_in(signed)

    def reload(self) -> None:
        """New answers show when the question is asked again: the page keeps what it shows."""

    def clear(self) -> None:
        self.widget.clear()


class AuditArea:
    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.audit_page import AuditPage

        self.control = control
        self.widget = AuditPage()

    def attach(self, signed: SignedIn) -> None:
        self.widget.attach(signed.store.read, signed.actor)
        self.control.check_audit_chain(self.widget)

    def reload(self) -> None:
        self.widget.reload()

    def clear(self) -> None:
        self.widget.detach()


class SettingsArea:
    """The person's account, the data folder and backups, the group's reporting year."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.settings_page import SettingsPage

        self.control = control
        window = control.window
        self.widget = page = SettingsPage()
        page.backup_requested.connect(window.backup_action.trigger)
        page.restore_requested.connect(window.restore_action.trigger)
        page.change_secret_requested.connect(window.change_secret_action.trigger)
        page.accounts_requested.connect(window.accounts_action.trigger)

    def attach(self, signed: SignedIn) -> None:
        from peerdesk.db.server_store import ServerStore
        from peerdesk.services.signing_key import public_key, stored_public_key

        page, store, actor = self.widget, signed.store, signed.actor
        where = store.where if isinstance(store, ServerStore) else store.path
        page.show_folder(self.control.folder.root, where)
        if signed.read_only:  # making the key would write: show it only if it exists
            with store.read() as s:
                kept = stored_public_key(s)
            page.show_report_key(kept.shown if kept else "")
        else:
            page.show_report_key(public_key(store).shown)
        page.reporting_year.attach(store, actor)
        page.measures.attach(store, actor)
        page.show_backups(self.control.manages_data(signed))
        page.show_accounts(can(actor, Permission.MANAGE_USERS))
        page.show_last_backup(self.control.last_backup_words())

    def reload(self) -> None:
        signed = self.control.signed_in
        if signed is not None:
            self.widget.reporting_year.attach(signed.store, signed.actor)
            self.widget.measures.reload()

    def clear(self) -> None:
        self.widget.clear()


# The three session areas share one desk -----------------------------------------------------
class SessionParts:
    """The desk behind "Log a session", Sessions and Safeguarding (and the feedback tools it
    carries), built once for the three areas and read for the person once."""

    def __init__(self, control: "StoreControl") -> None:
        from peerdesk.ui.feedback_desk import FeedbackDesk
        from peerdesk.ui.sessions_page import SessionDesk

        _list(control, "sessions", "Sessions")
        self.desk: SessionDesk = SessionDesk(control.window)
        control.window.session_desk = self.desk
        self.feedback: FeedbackDesk = FeedbackDesk(control)
        self._read_for: SignedIn | None = None

    @staticmethod
    def of(control: "StoreControl") -> "SessionParts":
        parts = control.session_parts
        if parts is None:
            parts = control.session_parts = SessionParts(control)
        return parts

    def attach(self, signed: SignedIn) -> bool:
        """Read for `signed` once; False when it was already (by another of the three)."""
        if self._read_for is signed:
            return False
        self._read_for = signed
        self.desk.signed_in(signed, areas.areas_for(signed.actor))
        self.feedback.signed_in(signed)
        return True

    def clear(self) -> None:
        if self._read_for is not None:
            self._read_for = None
            self.desk.list_page.detach()
            self.desk.signed_out()


class LogArea:
    def __init__(self, control: "StoreControl") -> None:
        self.parts = SessionParts.of(control)
        self.widget = self.parts.desk.log_page

    def attach(self, signed: SignedIn) -> None:
        self.parts.attach(signed)

    def reload(self) -> None:
        """The shifts not yet logged, unless a session is being typed in now."""
        if self.widget.shifts.currentItem() is None:
            self.widget.load()

    def clear(self) -> None:
        self.parts.clear()


class SessionsArea:
    def __init__(self, control: "StoreControl") -> None:
        self.parts = SessionParts.of(control)
        self.widget = self.parts.desk.list_page

    def attach(self, signed: SignedIn) -> None:
        if not self.parts.attach(signed):  # read with "Log a session": sessions logged since
            self.reload()

    def reload(self) -> None:
        self.widget.reload()
        self.parts.desk.show_totals()

    def clear(self) -> None:
        self.parts.clear()


class SafeguardingArea:
    def __init__(self, control: "StoreControl") -> None:
        self.parts = SessionParts.of(control)
        self.widget = self.parts.desk.concerns_page

    def attach(self, signed: SignedIn) -> None:
        self.parts.attach(signed)

    def reload(self) -> None:
        if self.widget.isVisible():  # off screen, it reads when shown
            self.widget.load()

    def clear(self) -> None:
        self.parts.clear()
