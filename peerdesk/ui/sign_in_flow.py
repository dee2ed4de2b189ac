"""Getting someone signed in: what the data folder needs at start-up, the sign-in screen, and
the dialogs that make the first account or use the recovery key.

- an empty folder: the welcome (a new organisation, or the demo);
- a database from before encryption and no keys file: the first coordinator, then encrypt;
- otherwise: the sign-in screen; someone signing in with a password a coordinator handed over
  chooses their own before the window opens for them.

Unlocking (Argon2 and opening the database) runs in the background. A password lives only in
the work given to the background and in the closures that retry it (taking over the lock,
restoring a damaged file); nothing keeps it once the attempt is over.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import has_sqlite_header
from peerdesk.db.server_url import describe
from peerdesk.errors import DamagedStoreError, LockedError, PeerdeskError
from peerdesk.services import auth, backups, setup
from peerdesk.services.secrets_policy import may_use_pin
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import (
    ChooseOwnSecretDialog,
    EncryptDialog,
    FormDialog,
    NewAccount,
    RecoverDialog,
    Recovery,
)
from peerdesk.ui.clipboard import CLEAR_AFTER_MS
from peerdesk.ui.messages import sentence
from peerdesk.ui.recovery_key_dialog import RecoveryKeyDialog
from peerdesk.ui.server_dialog import ServerChoice, ServerDialog, remember, remembered
from peerdesk.ui.tasks import Progress
from peerdesk.ui.welcome import NewOrganisation, WelcomeDialog

if TYPE_CHECKING:
    from peerdesk.ui.store_control import StoreControl

TAKE_OVER = "Take over"
RESTORE_NEWEST = "Restore the newest backup"
NOT_SET_UP = "peerdesk has not been set up on this computer yet."
NOT_ENCRYPTED = "This data is not encrypted yet: set up its first coordinator to use it."
NO_KEYS = (
    "The keys file that unlocks your data is missing or damaged. A coordinator can use the "
    "recovery key to set it up again."
)
CHOOSE_YOUR_OWN = (
    "You need to choose your own password before using peerdesk. Sign in again with the one "
    "you were given when you are ready."
)
# work(take_over, progress): a step that takes the folder's lock, so may meet another copy
Locking = Callable[[bool, Progress], Any]


def is_plaintext(folder: DataFolder) -> bool:
    db = folder.db_file
    return db.exists() and not folder.keys_file.exists() and has_sqlite_header(db)


DEMO_ACCOUNTS = (
    "You are signed in to the demo as its coordinator. Everyone in it is made up. To see "
    "peerdesk as others do, lock the screen (Ctrl+L) and sign in as supervisor, volunteer or "
    f"trustee; every demo account's password is {setup.DEMO_PASSWORD}."
)


class SignInFlow(QObject):
    def __init__(self, control: "StoreControl") -> None:
        super().__init__(control)
        self.control = control
        self.window = control.window
        self.folder = control.folder
        self.tasks = control.tasks
        self.dialog: FormDialog | None = None  # the set-up or recovery dialog that is open
        # Signed in, but still choosing their own password: not the window's person yet.
        self.choosing: auth.SignedIn | None = None
        self.recovery_dialog: RecoveryKeyDialog | None = None
        self.clipboard_ms = CLEAR_AFTER_MS  # how long a copied recovery key stays (tests: less)
        page = self.window.sign_in_page
        assert page is not None
        self.page = page
        page.sign_in_requested.connect(self.sign_in)
        page.recovery_requested.connect(self.use_recovery_key)
        page.set_up.clicked.connect(self.start)
        # The group's database on a server, when one was chosen with "Use a server…".
        self.server = remembered()
        page.server_requested.connect(self.choose_server)

    def start(self) -> None:
        if self.server.url is not None:
            self.show_sign_in()
        elif setup.folder_is_empty(self.folder):
            self.show_sign_in(message=NOT_SET_UP)
            self.welcome()
        elif is_plaintext(self.folder):
            self.show_sign_in(message=NOT_ENCRYPTED)
            self.encrypt_existing()
        else:
            self.show_sign_in()

    def show_sign_in(self, chosen: str = "", message: str = "") -> None:
        try:
            names = [] if self.server.url else auth.sign_in_usernames(self.folder)
        except PeerdeskError:
            names = []
        if self.server.url is not None:  # who may sign in is known once connected
            message = message or f"Your group's data is on the server {describe(self.server.url)}."
        elif not names and not message:
            message = NO_KEYS
        self.window.show_signed_out()
        self.page.show_names(names, chosen)
        self.page.set_up.setVisible(message in (NOT_SET_UP, NOT_ENCRYPTED))
        self.page.show_message(message)
        if not chosen:  # nobody chosen yet: the cursor starts in the username, not the password
            self.page.username.setFocus()

    # Signing in -------------------------------------------------------------------------------
    def sign_in(self, username: str, secret: str) -> None:
        control, folder = self.control, self.folder

        server = self.server.url

        def work(take_over: bool, progress: Progress) -> auth.SignedIn:
            if server is not None:
                control.kept_lock = None  # a server has no folder lock to keep
                return auth.sign_in_to_server(server, folder, username, secret, progress)
            # Runs on the serial worker after any sign-out, so a kept lock is already there.
            signed = auth.sign_in(
                folder,
                username,
                secret,
                lock=control.kept_lock,
                take_over=take_over,
                progress=progress,
            )
            control.kept_lock = None  # the open store holds it now
            return signed

        def failed(err: BaseException) -> None:
            if isinstance(err, DamagedStoreError) and err.newest_backup:
                self._offer_restore(err, username, secret)
            else:
                self.page.show_message(sentence(err))

        self._run(
            work, "Opening your data", lambda signed: self._own_secret_first(signed, secret), failed
        )

    def choose_server(self) -> None:
        """ "Use a server…": a PostgreSQL server's URL, or back to this laptop's folder."""
        dialog = ServerDialog(self.server, self.window)

        def chosen(choice: ServerChoice) -> None:
            remember(choice)
            self.server = choice
            dialog.finish()
            self.start()

        dialog.submitted.connect(chosen)
        self._open(dialog)

    def _own_secret_first(self, signed: auth.SignedIn, given: str) -> None:
        """A password a coordinator handed over opens nothing until the person has chosen
        their own; `given` (what they typed) is kept only until then."""
        if not signed.must_change_secret:
            self._signed_in(signed)
            return
        self.page.signed_in()
        self.choosing = signed
        dialog = ChooseOwnSecretDialog(may_use_pin(signed.actor.role), self.window)

        def submitted(new: str) -> None:
            def done(_result: object) -> None:
                self.choosing = None
                dialog.finish()
                self._signed_in(signed)

            self.tasks.run(
                lambda _p: auth.change_own_secret(signed, given, new),
                on_done=done,
                on_error=lambda e: dialog.show_problem(sentence(e)),
            )

        def cancelled() -> None:
            if self.choosing is not signed:  # signed out already (the window closed)
                return
            self.choosing = None

            def work(_progress: object) -> None:
                self.control.kept_lock = auth.sign_out(signed, keep_lock=True)

            self.tasks.run(work, on_error=lambda e: self.page.show_message(sentence(e)))
            self.page.show_message(CHOOSE_YOUR_OWN)

        dialog.submitted.connect(submitted)
        dialog.rejected.connect(cancelled)
        self._open(dialog)

    def _signed_in(self, signed: auth.SignedIn) -> None:
        self.page.signed_in()
        self._enter(signed)

    def _enter(self, signed: auth.SignedIn) -> None:
        self.control.enter(signed)

    def _offer_restore(self, err: DamagedStoreError, username: str, secret: str) -> None:
        choice = messages.choose(
            self.window, "Your data file could not be opened.", str(err), [RESTORE_NEWEST]
        )
        if choice != RESTORE_NEWEST or err.newest_backup is None:
            self.page.show_message(
                "Your data file could not be opened. Sign in again to restore the newest backup."
            )
            return
        source, control, folder = Path(err.newest_backup), self.control, self.folder

        def work(take_over: bool, progress: Progress) -> auth.SignedIn:
            control.release_kept_lock()  # restoring takes the folder's lock itself
            backups.restore_backup(
                folder, username, secret, source, take_over=take_over, progress=progress
            )
            return auth.sign_in(folder, username, secret, progress=progress)

        self._run(
            work,
            "Restoring the newest backup",
            self._signed_in,
            lambda e: self.page.show_message(sentence(e)),
        )

    # Set-up and recovery dialogs --------------------------------------------------------------
    def welcome(self) -> None:
        dialog = WelcomeDialog(self.window)
        folder = self.folder

        def new(org: NewOrganisation) -> None:
            self._set_up(
                dialog,
                lambda take_over, progress: setup.start_organisation(
                    folder,
                    org.name,
                    org.username,
                    org.display_name,
                    org.secret,
                    take_over=take_over,
                    progress=progress,
                ),
            )

        def demo() -> None:
            # Loaded only when asked for: a trimmed copy may leave the generator out.
            from peerdesk.demo.folder import create_demo

            self._set_up(
                dialog,
                lambda take_over, progress: create_demo(
                    folder, take_over=take_over, progress=progress
                ),
                demo=True,
            )

        dialog.submitted.connect(new)
        dialog.demo_requested.connect(demo)
        self._open(dialog)

    def encrypt_existing(self) -> None:
        dialog = EncryptDialog(self.window)
        folder = self.folder

        def submitted(account: NewAccount) -> None:
            self._set_up(
                dialog,
                lambda take_over, _progress: setup.encrypt_existing(
                    folder,
                    account.username,
                    account.display_name,
                    account.secret,
                    take_over=take_over,
                ),
            )

        dialog.submitted.connect(submitted)
        self._open(dialog)

    def use_recovery_key(self) -> None:
        try:
            names = auth.sign_in_usernames(self.folder)
        except PeerdeskError:
            names = []
        dialog = RecoverDialog(names, self.window)
        control, folder = self.control, self.folder

        def submitted(typed: Recovery) -> None:
            def work(take_over: bool, _progress: Progress) -> auth.SignedIn:
                control.release_kept_lock()  # recovery opens the data with its own lock
                return auth.recover(
                    folder, typed.recovery_key, typed.username, typed.secret, take_over=take_over
                )

            def done(signed: auth.SignedIn) -> None:
                dialog.finish()
                self._signed_in(signed)

            self._run(work, "Opening your data", done, lambda e: dialog.show_problem(sentence(e)))

        dialog.submitted.connect(submitted)
        self._open(dialog)

    def _set_up(self, dialog: FormDialog, work: Locking, demo: bool = False) -> None:
        def done(made: setup.NewVault) -> None:
            dialog.finish()
            self._enter(made.signed_in)
            if demo:  # a recovery key for made-up data would only confuse
                messages.inform(self.window, DEMO_ACCOUNTS)
            else:
                self.show_recovery_key(made.recovery_key)

        self._run(work, "Setting up", done, lambda e: dialog.show_problem(sentence(e)))

    def show_recovery_key(self, recovery_key: str) -> None:
        """Once, over the window: the control keeps the screen from locking while it is open,
        because closing it would lose the key for good."""
        from peerdesk.services.signing_key import public_key

        store = self.control.store
        shown = RecoveryKeyDialog(
            recovery_key,
            self.control.organisation_name,
            self.window,
            self.clipboard_ms,
            report_key=public_key(store).shown if store is not None else "",
        )
        self.recovery_dialog = shown
        shown.finished.connect(lambda _result: self._recovery_key_kept(shown))
        shown.open()

    def _recovery_key_kept(self, shown: RecoveryKeyDialog) -> None:
        self.recovery_dialog = None
        shown.deleteLater()

    def _open(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    # Running ----------------------------------------------------------------------------------
    def _run(
        self,
        work: Locking,
        title: str,
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        take_over: bool = False,
    ) -> None:
        """Run `work` in the background; if another copy holds the folder, offer to take it
        over and run it again."""

        def failed(err: BaseException) -> None:
            if isinstance(err, LockedError) and not take_over:
                choice = messages.choose(
                    self.window, "Your data is open in another peerdesk.", str(err), [TAKE_OVER]
                )
                if choice == TAKE_OVER:
                    self._run(work, title, on_done, on_error, take_over=True)
                    return
            on_error(err)

        self.tasks.run(
            lambda progress: work(take_over, progress),
            title=title,
            on_done=on_done,
            on_error=failed,
        )
