"""Backing up and restoring, with the rules of who may.

A coordinator backs up and restores. When the data file is missing or damaged nobody's role can
be read, so then (and only then) anyone with an account on this laptop may restore a backup:
their key opens every backup anyway (encryption is all-or-nothing), and what the restore
replaces is kept.
"""

from pathlib import Path

from sqlalchemy import select

from peerdesk.db import audit
from peerdesk.db.lock import refuse_if_in_use
from peerdesk.db.outputs import check_output
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import FileState
from peerdesk.db.store import Progress, Store, classify_for, restore
from peerdesk.db.vault import Vault
from peerdesk.models import User
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.permissions import Permission, require


def back_up(
    person: SignedIn,
    dest: Path | None = None,
    progress: Progress | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """A backup now, to the backups folder or to `dest` (checked like every output file; an
    existing `dest` is replaced only with `overwrite`)."""
    require(person.actor, Permission.MANAGE_DATA)
    if dest is not None:
        dest = check_output(dest, person.store.folder, overwrite=overwrite)
    with person.store.session(person.actor) as s:
        audit.record(s, "backup")
    return person.store.backup(dest=dest, progress=progress, overwrite=overwrite)


def restore_backup(
    folder: DataFolder,
    username: str,
    secret: str,
    source: Path,
    *,
    take_over: bool = False,
    progress: Progress | None = None,
) -> Path | None:
    """Replace the data with the backup `source`; returns where the replaced data was kept.
    `take_over` only takes over a lock whose process is provably gone: restoring under a copy
    that is still writing would lose its work."""
    refuse_if_in_use(folder.lock_file, "restore a backup")
    vault, _ = Vault.unlock(folder, username, secret)
    state, _ = classify_for(vault)
    if state not in (FileState.MISSING, FileState.DAMAGED):
        person = sign_in(folder, username, secret)
        try:
            require(person.actor, Permission.MANAGE_DATA)
        finally:
            sign_out(person)
    kept = restore(vault, source, progress=progress)
    _record_restore(vault, username, source)
    return kept


def restore_as(person: SignedIn, source: Path, progress: Progress | None = None) -> Path | None:
    """The signed-in coordinator restores `source`: signed out first, since the restored data
    may hold other accounts; returns where the replaced data was kept."""
    require(person.actor, Permission.MANAGE_DATA)
    vault, username = person.store.vault, person.actor.username
    sign_out(person)
    kept = restore(vault, source, progress=progress)
    _record_restore(vault, username, source)
    return kept


def _record_restore(vault: Vault, username: str, source: Path) -> None:
    """Write the restore into the restored trail (the trail it replaced is in the kept copy)."""
    store = Store.open(vault)
    try:
        store.anchor_audit_trail(restored=True)  # the trail was replaced on purpose
        with store.session() as s:
            user_id = s.scalar(select(User.id).where(User.username == username))
            audit.record(s, "restore", changes={"backup": source.name}, user_id=user_id)
    finally:
        store.close(backup=False)
