"""Errors that carry a plain sentence for the person using peerdesk.

Every layer raises a subclass of `PeerdeskError` when something the user can act on goes wrong;
the CLI prints its message on one line and the window shows it in a dialog. Anything else is a bug.
"""


class PeerdeskError(Exception):
    """A problem the user can understand and act on; `str(err)` is the message to show."""


class StoreError(PeerdeskError):
    """The data file cannot be opened, created, upgraded or written."""


class NewerSchemaError(StoreError):
    """The data file was written by a newer peerdesk."""


class DamagedStoreError(StoreError):
    """The data file is not a readable peerdesk database; it has been set aside."""

    def __init__(self, message: str, set_aside: str | None, newest_backup: str | None) -> None:
        super().__init__(message)
        self.set_aside = set_aside
        self.newest_backup = newest_backup


class LockedError(StoreError):
    """Another peerdesk holds the data folder."""

    def __init__(self, message: str, holder: str, stale: bool) -> None:
        super().__init__(message)
        self.holder = holder
        self.stale = stale


class FolderNotWritableError(StoreError):
    """The data folder exists but cannot be written (a read-only folder or disk)."""


class LostLockError(StoreError):
    """Another peerdesk took over the data folder: this copy must stop writing."""


class BackupError(PeerdeskError):
    """A backup could not be written, verified or restored."""


class OutputPathError(PeerdeskError):
    """A file cannot be written where the person asked (see `peerdesk.db.outputs`)."""


class ValidationError(PeerdeskError):
    """Input that breaks a rule of the domain."""
