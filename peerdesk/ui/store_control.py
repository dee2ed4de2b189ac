"""The signed-in person while the window is open: signing in, locking and signing out.

Holds who is signed in (`SignedIn`: the open store and the `Actor`) and nothing else of theirs:
every page reads through short sessions for that actor. At sign-in it tells the window which
areas the person's role may open (each is built and read when first opened: see
`ui/area_registry.py`); it changes the person's own password, tops up the rota in the
background, and locks the screen on request or after the organisation's idle minutes: signing
out but keeping the data folder's lock, so the next person signs in without another copy
slipping in between. Backups and restoring one are `BackupControl`'s.
"""

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from peerdesk import clock
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import ServerStore
from peerdesk.db.store import Store
from peerdesk.errors import LostLockError, PeerdeskError
from peerdesk.services import browse, dbs, rota, training
from peerdesk.services.audit_view import chain_problems
from peerdesk.services.auth import SignedIn, change_own_secret, sign_out
from peerdesk.services.organisation import current_organisation, idle_lock_minutes
from peerdesk.services.permissions import Permission, can, starts_at_logging
from peerdesk.services.secrets_policy import may_use_pin
from peerdesk.services.today_attention import needs_attention
from peerdesk.ui import areas, messages
from peerdesk.ui.account_dialogs import ChangeSecretDialog, SecretChange
from peerdesk.ui.accounts_page import AccountsDesk
from peerdesk.ui.action import Action
from peerdesk.ui.backup_control import BackupControl
from peerdesk.ui.changes import Change
from peerdesk.ui.idle_lock import IdleLock
from peerdesk.ui.import_wizard import DataTransfer
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.sign_in_flow import SignInFlow
from peerdesk.ui.tasks import Progress, TaskRunner

if TYPE_CHECKING:
    from peerdesk.ui.area_pages import SessionParts
    from peerdesk.ui.audit_page import AuditPage

log = logging.getLogger(__name__)
# How often the window reads the lock file back: a take-over by another copy is noticed within
# these few seconds, even by a window nobody is typing in (every write checks it too).
FOLDER_CHECK_MS = 3_000
SECRET_CHANGED = "Your password or PIN has been changed. Use the new one next time you sign in."


class StoreControl(QObject):
    def __init__(self, window: MainWindow, folder: DataFolder, idle_ms: int | None = None) -> None:
        """`idle_ms`: lock after this many idle milliseconds instead of the organisation's
        minutes (tests)."""
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.signed_in: SignedIn | None = None
        self.kept_lock: FolderLock | None = None  # held while the screen is locked
        self.organisation_name = ""
        self.closing = False
        self.idle_ms = idle_ms
        self.tasks = TaskRunner(window)
        self.idle = IdleLock(self)
        self.idle.idle.connect(self._idle)
        self.folder_watch = QTimer(self, interval=FOLDER_CHECK_MS)
        self.folder_watch.timeout.connect(self.check_folder_still_ours)
        window.control = self
        window.build_pages()
        self.session_parts: SessionParts | None = None  # built with the first session area
        self.flow = SignInFlow(self)
        self.backups = BackupControl(self)
        window.lock_action.triggered.connect(self.lock_screen)
        window.change_secret_action.triggered.connect(self.change_secret)
        window.anonymise_action.triggered.connect(self.remove_past_volunteers)
        self.accounts_desk = AccountsDesk(self)
        window.accounts_action.triggered.connect(self.accounts_desk.open)
        self.transfer = DataTransfer(self)

    @property
    def store(self) -> Store | None:
        return self.signed_in.store if self.signed_in else None

    def start(self) -> None:
        self.flow.start()

    # The desks behind each area's buttons, built with the area (tests reach them here).
    def _desk(self, key: str) -> Any:
        return self.window.area(key).desk  # type: ignore[attr-defined]

    @property
    def volunteer_desk(self) -> Any:
        return self._desk("volunteers")

    @property
    def course_desk(self) -> Any:
        return self._desk("training")

    @property
    def supervision_desk(self) -> Any:
        return self._desk("supervision")

    @property
    def report_desk(self) -> Any:
        return self._desk("reports")

    @property
    def outcomes_desk(self) -> Any:
        return self._desk("outcomes")

    @property
    def rota_desk(self) -> Any:
        return self._desk("rota")

    @property
    def feedback_desk(self) -> Any:
        self.window.session_desk  # noqa: B018 (builds the session areas, which carry it)
        assert self.session_parts is not None
        return self.session_parts.feedback

    # Signed in ---------------------------------------------------------------------------------
    def enter(self, signed_in: SignedIn) -> None:
        """Show the window for this person: their areas, each read for them when opened."""
        if self.closing:  # the window closed while the data was opening
            sign_out(signed_in)
            return
        self.signed_in = signed_in
        actor = signed_in.actor
        keys = areas.areas_for(actor)
        who = f"{actor.display_name} ({actor.role.value})"
        self.window.show_signed_in(signed_in, who, keys, self.manages_data(signed_in))
        if starts_at_logging(actor) and "log" in keys:
            self.window.show_area("log")  # what a volunteer signs in to do, straight away
        self.window.anonymise_action.setVisible(can(actor, Permission.EDIT_VOLUNTEERS))
        self.window.accounts_action.setVisible(can(actor, Permission.MANAGE_USERS))
        self.transfer.show_for(actor)
        self.backups.show_status()
        self.idle.start(self._idle_ms())
        if signed_in.read_only:  # a full disk or read-only folder: no lock to watch, no writes
            self.window.statusBar().showMessage(signed_in.read_only)
            return
        self._keep_rota_ahead()
        self.backups.timer.start()
        self.folder_watch.start()

    @staticmethod
    def manages_data(signed: SignedIn) -> bool:
        """Backups, restore and the data folder: a server keeps its own."""
        on_server = isinstance(signed.store, ServerStore)
        return can(signed.actor, Permission.MANAGE_DATA) and not on_server

    def last_backup_words(self) -> str:
        return self.backups.last_backup_words()

    def leave(self) -> None:
        """Forget who is signed in and stop everything that works for them."""
        self.signed_in = None
        self.idle.stop()
        self.backups.timer.stop()
        self.folder_watch.stop()

    def check_folder_still_ours(self) -> None:
        """Another copy of peerdesk took over the folder: stop at once, write nothing more,
        and say so on the sign-in screen."""
        signed = self.signed_in
        if signed is None or self.tasks.busy:
            return  # a task still using the store: the next tick looks again
        try:
            signed.store.ensure_holds_folder()
        except LostLockError as lost:
            self.leave()
            sign_out(signed)  # writes nothing and leaves the new holder's lock alone
            self.flow.show_sign_in(signed.actor.username, str(lost))

    def refresh_today(self) -> None:
        """The Today page's figures and what needs attention, and the window's title: read
        again whenever it is shown, since every other area changes them."""
        signed = self.signed_in
        if signed is None:
            return
        today = clock.today()
        with signed.store.read() as session:
            org = current_organisation(session)
            summary = browse.today_summary(session, signed.actor, today)
            attention = needs_attention(session, signed.actor, clock.now())
        self.organisation_name = org.name if org else "peerdesk"
        self.window.setWindowTitle(f"{self.organisation_name} – peerdesk")
        self.window.today.show_summary(self.organisation_name, summary)
        self.window.today.show_attention(attention, self.window.area_labels())
        self.window.keep_status_bar_last()  # the links may be new, so last in Tab order
        if can(signed.actor, Permission.KEEP_TRAINING):
            self._show_coming_up(signed, today)

    def _show_coming_up(self, signed: SignedIn, today: date) -> None:
        """Training running out in the next 90 days and DBS rechecks due, on the Today page."""
        with signed.store.read() as session:
            expiring = training.expiring_training(session, signed.actor, today, within_days=90)
            rechecks = dbs.dbs_rechecks_due(session, signed.actor, today)
        self.window.today.show_coming_up(expiring, rechecks, today)

    def _idle_ms(self) -> int:
        if self.idle_ms is not None:
            return self.idle_ms
        assert self.signed_in is not None
        with self.signed_in.store.read() as session:
            return idle_lock_minutes(session) * 60_000

    def check_audit_chain(self, page: "AuditPage") -> None:
        """Reading the whole trail takes a moment on ten years of data: in the background."""
        signed = self.signed_in
        if signed is None:
            return

        def work(_progress: object) -> list[str]:
            with signed.store.read() as session:
                return chain_problems(session, signed.actor)

        def done(problems: list[str]) -> None:
            if self.signed_in is signed:
                page.show_chain(problems)

        self.tasks.run(work, on_done=done, on_error=self._audit_check_failed)

    def _audit_check_failed(self, err: BaseException) -> None:
        if isinstance(err, PeerdeskError):  # e.g. signed out meanwhile: the next sign-in checks
            log.warning("audit check: %s", err)
        else:
            messages.show_error(self.window, err)

    # Locking -----------------------------------------------------------------------------------
    def _idle(self) -> None:
        dialog = self.flow.recovery_dialog
        if dialog is not None and dialog.isVisible():
            self.idle.start(self._idle_ms())  # the key is shown once: never close it unread
            return
        self.lock_screen()

    def lock_screen(self) -> None:
        """Lock / switch user: the screen forgets everything at once; signing out (which may
        back up) follows in the background, keeping the folder's lock for the next person."""
        signed = self.signed_in
        if signed is None:
            return
        self.leave()
        self.flow.show_sign_in()

        def work(_progress: object) -> None:
            self.kept_lock = sign_out(signed, keep_lock=True)

        self.tasks.run(work, on_error=lambda e: messages.show_error(self.window, e))

    def release_kept_lock(self) -> None:
        """Let go of the folder's lock kept while locked (called on the worker)."""
        lock, self.kept_lock = self.kept_lock, None
        if lock is not None:
            lock.release()

    # Own password ------------------------------------------------------------------------------
    def change_secret(self) -> None:
        signed = self.signed_in
        if signed is None:
            return
        dialog = ChangeSecretDialog(may_use_pin(signed.actor.role), self.window)

        def submitted(change: SecretChange) -> None:
            def done(_result: object) -> None:
                dialog.finish()
                messages.inform(self.window, SECRET_CHANGED)

            Action(dialog.show_problem, parent=dialog, changes={Change.ACCOUNTS}).run(
                self.tasks, lambda _p: change_own_secret(signed, change.current, change.new),
                on_done=done,
            )  # fmt: skip

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.secret_dialog = dialog
        dialog.open()

    def _keep_rota_ahead(self) -> None:
        """A coordinator signing in tops up the patterns' shifts to a year ahead when they run
        short (about once a week), on the worker thread: adding a month of shifts took 0.5 s on
        ten years of data, and the window is usable meanwhile. Once added, the pages showing
        data are read again. A failure is logged and never stops anyone signing in."""
        signed = self.signed_in
        if signed is None or not can(signed.actor, Permission.EDIT_ROTA):
            return

        def work(_progress: Progress) -> int | None:
            with signed.store.session(signed.actor) as session:
                made = rota.keep_rota_ahead(session, signed.actor, clock.today())
            return None if made is None else made.added

        def done(added: int | None) -> None:
            if added is not None:
                log.info("Rota extended at sign-in: %s shifts added", added)
                if self.signed_in is signed:
                    self.window.announce_changes({Change.ROTA})

        def failed(err: BaseException) -> None:
            if isinstance(err, PeerdeskError):
                log.warning("Could not extend the rota at sign-in: %s", err)
            else:  # a bug, logged in full; still never stops anyone signing in
                log.error("Could not extend the rota at sign-in", exc_info=err)

        self.tasks.run(work, on_done=done, on_error=failed)

    # Past volunteers -------------------------------------------------------------------------
    def remove_past_volunteers(self) -> None:
        from peerdesk.ui.leavers import remove_past_volunteers

        remove_past_volunteers(self)

    # Closing -----------------------------------------------------------------------------------
    def shut_down(self) -> None:
        """The window is closing: finish queued work, sign out (backing up what changed) and
        let go of the data folder."""
        self.closing = True
        self.idle.remove()
        self.backups.timer.stop()
        self.folder_watch.stop()
        try:
            self.tasks.wait()
            QCoreApplication.sendPostedEvents()  # deliver a result that is still queued
            signed, self.signed_in = self.signed_in or self.flow.choosing, None
            self.flow.choosing = None
            if signed is not None:
                self.window.show_signed_out()
                sign_out(signed)
            self.release_kept_lock()
        except PeerdeskError as err:
            messages.show_error(self.window, err)
