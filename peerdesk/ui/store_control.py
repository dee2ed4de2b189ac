"""The signed-in person's data while the window is open.

Holds who is signed in (`SignedIn`: the open store and the `Actor`) and nothing else of theirs:
every page reads through short sessions for that actor. Fills the pages a role may use, backs up
on request and automatically, restores a backup, changes the person's own password, and locks
the screen on request or after the organisation's idle minutes: signing out but keeping the data
folder's lock, so the next person signs in without another copy slipping in between.
"""

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QListWidgetItem

from peerdesk import clock
from peerdesk.dates import show_datetime
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import ServerStore
from peerdesk.db.store import Store
from peerdesk.errors import LostLockError, PeerdeskError
from peerdesk.services import accounts, backups, browse, dbs, rota, training
from peerdesk.services.audit_view import chain_problems
from peerdesk.services.auth import SignedIn, change_own_secret, sign_out
from peerdesk.services.organisation import (
    current_organisation,
    idle_lock_minutes,
    organisation_settings,
)
from peerdesk.services.permissions import Permission, can
from peerdesk.services.secrets_policy import may_use_pin
from peerdesk.services.today_attention import needs_attention
from peerdesk.services.volunteers import anonymise_leavers
from peerdesk.ui import areas, messages
from peerdesk.ui.account_dialogs import ChangeSecretDialog, SecretChange
from peerdesk.ui.accounts_page import AccountsDesk
from peerdesk.ui.action import Action
from peerdesk.ui.compliance_page import CourseDesk
from peerdesk.ui.feedback_desk import FeedbackDesk
from peerdesk.ui.idle_lock import IdleLock
from peerdesk.ui.import_wizard import DataTransfer
from peerdesk.ui.main_window import KEY, MainWindow
from peerdesk.ui.messages import sentence
from peerdesk.ui.outcomes_desk import OutcomesDesk
from peerdesk.ui.report_desk import ReportDesk
from peerdesk.ui.sign_in_flow import SignInFlow
from peerdesk.ui.supervision_desk import SupervisionDesk
from peerdesk.ui.tasks import Progress, TaskRunner
from peerdesk.ui.volunteer_editor import VolunteerDesk

log = logging.getLogger(__name__)
AUTO_BACKUP_CHECK_MS = 60_000
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
        window.sidebar.currentItemChanged.connect(self._area_changed)
        self.folder = folder
        self.signed_in: SignedIn | None = None
        self.kept_lock: FolderLock | None = None  # held while the screen is locked
        self.organisation_name = ""
        self.closing = False
        self.idle_ms = idle_ms
        self.tasks = TaskRunner(window)
        self.idle = IdleLock(self)
        self.idle.idle.connect(self._idle)
        self.auto_backup = QTimer(self, interval=AUTO_BACKUP_CHECK_MS)
        self.auto_backup.timeout.connect(self.back_up_if_due)
        self.folder_watch = QTimer(self, interval=FOLDER_CHECK_MS)
        self.folder_watch.timeout.connect(self.check_folder_still_ours)
        window.build_pages()
        self.flow = SignInFlow(self)
        window.control = self
        window.backup_action.triggered.connect(self.back_up_now)
        window.restore_action.triggered.connect(self.choose_backup_to_restore)
        window.lock_action.triggered.connect(self.lock_screen)
        window.change_secret_action.triggered.connect(self.change_secret)
        window.anonymise_action.triggered.connect(self.remove_past_volunteers)
        self.accounts_desk = AccountsDesk(self)
        window.accounts_action.triggered.connect(self.accounts_desk.open)
        self.volunteer_desk = VolunteerDesk(window.lists["volunteers"], self)
        assert window.training_page is not None
        self.course_desk = CourseDesk(window.training_page, self)
        assert window.supervision_page is not None
        self.supervision_desk = SupervisionDesk(window.supervision_page, self)
        assert window.reports_page is not None
        self.report_desk = ReportDesk(window.reports_page, self)
        self.transfer = DataTransfer(self)
        self.outcomes_desk = OutcomesDesk(self)
        self.feedback_desk = FeedbackDesk(self)

    @property
    def store(self) -> Store | None:
        return self.signed_in.store if self.signed_in else None

    def start(self) -> None:
        self.flow.start()

    # Signed in ---------------------------------------------------------------------------------
    def enter(self, signed_in: SignedIn) -> None:
        """Show the window for this person: their areas, read for them."""
        if self.closing:  # the window closed while the data was opening
            sign_out(signed_in)
            return
        self.signed_in = signed_in
        actor, store = signed_in.actor, signed_in.store
        keys = areas.areas_for(actor)
        for key, page in self.window.lists.items():
            if key in keys:
                source, other = areas.sources(key)
                page.attach(source, store.read, actor, other)
        if "training" in keys and self.window.training_page is not None:
            self.window.training_page.attach(store.read, actor, areas.sees_compliance(actor))
        if "supervision" in keys and self.window.supervision_page is not None:
            self.window.supervision_page.attach(
                store.read, actor, can(actor, Permission.LEAD_SUPERVISION)
            )
        if "audit" in keys and self.window.audit_page is not None:
            self.window.audit_page.attach(store.read, actor)
            self._check_audit_chain()
        assert self.window.settings_page is not None
        on_server = isinstance(store, ServerStore)  # backups and the folder are the server's
        where = Path(store.where) if isinstance(store, ServerStore) else store.path
        self.window.settings_page.show_folder(self.folder.root, where)
        from peerdesk.services.signing_key import public_key, stored_public_key

        if signed_in.read_only:  # making the key would write: show it only if it exists
            with store.read() as s:
                kept = stored_public_key(s)
            self.window.settings_page.show_report_key(kept.shown if kept else "")
        else:
            self.window.settings_page.show_report_key(public_key(store).shown)
        self.window.settings_page.reporting_year.attach(store, actor)
        self.window.settings_page.measures.attach(store, actor)
        who = f"{actor.display_name} ({actor.role.value})"
        self.window.show_signed_in(who, keys, can(actor, Permission.MANAGE_DATA) and not on_server)
        self.volunteer_desk.signed_in(actor)
        self.course_desk.signed_in(actor)
        self.supervision_desk.signed_in(actor)
        self.report_desk.signed_in(actor)
        self.outcomes_desk.signed_in(signed_in)
        self.feedback_desk.signed_in(signed_in)
        self.window.anonymise_action.setVisible(can(actor, Permission.EDIT_VOLUNTEERS))
        manages_users = can(actor, Permission.MANAGE_USERS)
        self.window.accounts_action.setVisible(manages_users)
        self.window.settings_page.show_accounts(manages_users)
        self.transfer.show_for(actor)
        self.refresh()
        self.idle.start(self._idle_ms())
        if signed_in.read_only:  # a full disk or read-only folder: no lock to watch, no writes
            self.window.statusBar().showMessage(signed_in.read_only)
            return
        self._keep_rota_ahead()
        self.auto_backup.start()
        self.folder_watch.start()

    def check_folder_still_ours(self) -> None:
        """Another copy of peerdesk took over the folder: stop at once, write nothing more,
        and say so on the sign-in screen."""
        signed = self.signed_in
        if signed is None or self.tasks.busy:
            return  # a task still using the store: the next tick looks again
        try:
            signed.store.ensure_holds_folder()
        except LostLockError as lost:
            self.signed_in = None
            self.idle.stop()
            self.auto_backup.stop()
            self.folder_watch.stop()
            sign_out(signed)  # writes nothing and leaves the new holder's lock alone
            self.flow.show_sign_in(signed.actor.username, str(lost))

    def refresh(self) -> None:
        """Re-read every page that is showing data."""
        if self.signed_in is None:
            return
        self.refresh_today()
        self.window.setWindowTitle(f"{self.organisation_name} – peerdesk")
        for page in self.window.lists.values():
            page.reload()
        if self.window.audit_page is not None:
            self.window.audit_page.reload()
        if self.window.training_page is not None:
            self.window.training_page.reload()
        if self.window.supervision_page is not None:
            self.window.supervision_page.reload()
        self._show_status()

    def _area_changed(
        self, current: QListWidgetItem | None, before: QListWidgetItem | None
    ) -> None:
        """Coming back to Today from another area reads it again (signing in reads it anyway)."""
        if current is not None and before is not None and current.data(KEY) == "today":
            self.refresh_today()

    def refresh_today(self) -> None:
        """The Today page's figures and what needs attention: read again whenever it is shown,
        since the rota, sessions and supervision change them from their own pages."""
        signed = self.signed_in
        if signed is None:
            return
        today = clock.today()
        with signed.store.read() as session:
            org = current_organisation(session)
            summary = browse.today_summary(session, signed.actor, today)
            attention = needs_attention(session, signed.actor, clock.now())
        self.organisation_name = org.name if org else "peerdesk"
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

    def _check_audit_chain(self) -> None:
        """Reading the whole trail takes a moment on ten years of data: in the background."""
        signed = self.signed_in
        assert signed is not None

        def work(_progress: object) -> list[str]:
            with signed.store.read() as session:
                return chain_problems(session, signed.actor)

        def done(problems: list[str]) -> None:
            if self.signed_in is signed and self.window.audit_page is not None:
                self.window.audit_page.show_chain(problems)

        self.tasks.run(work, on_done=done, on_error=self._audit_check_failed)

    def _audit_check_failed(self, err: BaseException) -> None:
        if isinstance(err, PeerdeskError):  # e.g. signed out meanwhile: the next sign-in checks
            log.warning("audit check: %s", err)
        else:
            messages.show_error(self.window, err)

    def _show_status(self) -> None:
        if self.store is None:
            return
        last = self.store.last_backup()
        self.window.show_status(show_datetime(last.taken_at) if last else "none yet")

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
        self.signed_in = None
        self.idle.stop()
        self.auto_backup.stop()
        self.folder_watch.stop()
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

            self.tasks.run(
                lambda _p: change_own_secret(signed, change.current, change.new),
                on_done=done,
                on_error=lambda e: dialog.show_problem(sentence(e)),
            )

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
                    self.refresh()

        def failed(err: BaseException) -> None:
            if isinstance(err, PeerdeskError):
                log.warning("Could not extend the rota at sign-in: %s", err)
            else:  # a bug, logged in full; still never stops anyone signing in
                log.error("Could not extend the rota at sign-in", exc_info=err)

        self.tasks.run(work, on_done=done, on_error=failed)

    # Past volunteers -------------------------------------------------------------------------
    def remove_past_volunteers(self) -> None:
        """Anonymise everyone who left longer ago than the group keeps records, after saying
        plainly what that does and asking first."""
        signed = self.signed_in
        if signed is None or not can(signed.actor, Permission.EDIT_VOLUNTEERS):
            return
        with signed.store.read() as session:
            months = organisation_settings(session).retention_months
        explained = (
            f"Your group keeps a past volunteer's details for {months} months after they leave. "
            "For everyone who left longer ago than that, peerdesk removes their name, contact "
            "details and notes, here and in the audit trail, and keeps only the counts (shifts, "
            "training, how many people volunteered). This cannot be undone."
        )
        if not messages.confirm(self.window, explained, "Remove details"):
            return
        with Action(parent=self.window) as action:
            with signed.store.session(signed.actor) as session:
                removed = anonymise_leavers(session, signed.actor, clock.today())
            accounts.remove_closed_slots(signed.store, signed.actor)
        if action.failed:
            return
        self.refresh()
        if removed == 0:
            messages.inform(self.window, "Nobody left longer ago than that, so nothing changed.")
        else:
            plural = "" if removed == 1 else "s"
            done = f"Personal details were removed for {removed} past volunteer{plural}."
            messages.inform(self.window, done)

    # Backups -----------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        store = self.store
        if store is None:
            return

        def done(path: Path) -> None:
            self._show_status()
            messages.inform(self.window, f"Your data was backed up to {path}.")

        signed = self.signed_in
        if signed is None:
            return
        self.tasks.run(
            lambda progress: backups.back_up(signed, progress=progress),
            title="Backing up",
            on_done=done,
        )

    def back_up_if_due(self) -> None:
        store = self.store
        if store is None or self.tasks.busy or not store.backup_due():
            return
        self.tasks.run(
            lambda _p: store.backup(reason="auto"),
            on_done=lambda _p: self._show_status(),
            on_error=self._auto_backup_failed,
        )

    def _auto_backup_failed(self, err: BaseException) -> None:
        if isinstance(err, PeerdeskError):
            log.error("automatic backup failed: %s", err)
        said = sentence(err)  # a bug is logged with its traceback, and described plainly
        self.window.statusBar().showMessage(f"The automatic backup did not work: {said}")

    def choose_backup_to_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Restore from backup",
            str(self.folder.backup_dir),
            "peerdesk backups (*.sqlite3)",
        )
        if path and messages.confirm(
            self.window,
            "Restoring replaces the data you have now with the backup. peerdesk keeps a copy "
            "of what you have now in the backups folder first. Everyone signs in again "
            "afterwards.",
            "Restore",
        ):
            self.restore_backup(Path(path))

    def restore_backup(self, source: Path) -> None:
        """Sign out, restore with the data's keys, then back to the sign-in screen: the
        restored data may hold other accounts than the ones signed in now."""
        signed = self.signed_in
        if signed is None:
            return
        username = signed.actor.username
        self.signed_in = None
        self.idle.stop()
        self.auto_backup.stop()
        self.folder_watch.stop()
        self.window.show_signed_out()

        def work(progress: Progress) -> Path | None:
            return backups.restore_as(signed, source, progress)  # signs out first

        def done(kept: Path | None) -> None:
            note = f" What you had before is kept at {kept}." if kept else ""
            self.flow.show_sign_in(username, f"The backup was restored.{note} Sign in again.")

        def failed(err: BaseException) -> None:
            self.flow.show_sign_in(username, sentence(err))

        self.tasks.run(work, title="Restoring", on_done=done, on_error=failed)

    # Closing -----------------------------------------------------------------------------------
    def shut_down(self) -> None:
        """The window is closing: finish queued work, sign out (backing up what changed) and
        let go of the data folder."""
        self.closing = True
        self.idle.remove()
        self.auto_backup.stop()
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
