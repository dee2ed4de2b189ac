"""What each CLI command does, over the store and services. Output goes to stdout; progress and
problems to stderr."""

import sys
from pathlib import Path

from peerdesk.dates import show_datetime
from peerdesk.db import health as health_check
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import FileState, classify
from peerdesk.db.store import Store
from peerdesk.db.store import restore as restore_store
from peerdesk.errors import StoreError
from peerdesk.services.organisation import create_organisation


def _progress(what: str, done: int, total: int) -> None:
    if done == 0 or done == total:
        print(f"{what}… {'done' if done == total else ''}".rstrip(), file=sys.stderr)


def _require_new(folder: DataFolder) -> None:
    state, _ = classify(folder.db_file)
    if state is not FileState.MISSING:
        raise StoreError(
            f"{folder.root} already holds peerdesk data. Choose an empty folder with --data-dir, "
            "or keep using the data that is there."
        )


def init(folder: DataFolder, org_name: str, take_over: bool) -> int:
    _require_new(folder)
    store = Store.open(folder, take_over=take_over)
    try:
        with store.session() as s:
            org = create_organisation(s, org_name)
    except BaseException:
        store.close(backup=False)
        folder.db_file.unlink(missing_ok=True)  # nothing half-made is left behind
        raise
    store.close()
    print(f"Created {org.name} in {folder.db_file}")
    return 0


def demo(folder: DataFolder, seed: int, size: str, take_over: bool) -> int:
    from peerdesk.services.demo import generate_demo

    _require_new(folder)
    store = Store.open(folder, take_over=take_over)
    try:
        summary = generate_demo(
            store, seed=seed, size="large" if size == "large" else "small", progress=_progress
        )
    except BaseException:
        store.close(backup=False)
        for side in folder.db_file.parent.glob(folder.db_file.name + "*"):
            side.unlink(missing_ok=True)
        raise
    store.close()
    print(f"Demo data (invented people, seed {seed}, {size}) written to {folder.db_file}")
    print(summary)
    return 0


def check(folder: DataFolder) -> int:
    health = health_check.check_folder(folder)
    size_mb = health.size_bytes / 1_000_000
    print(f"Data file:   {folder.db_file} ({size_mb:.1f} MB)")
    print(f"Schema:      {health_check.describe_schema(health)}")
    if health.state in (FileState.CURRENT, FileState.OLDER):
        print("Integrity:   " + ("ok" if not health.problems else "; ".join(health.problems[:5])))
    if health.last_backup:
        b = health.last_backup
        print(
            f"Last backup: {show_datetime(b.taken_at)} ({health_check.backup_age(b)}), "
            f"{health.backup_count} kept in {folder.backup_dir}"
        )
    else:
        print("Last backup: none yet")
    if health.held_by:
        print(f"In use by:   {health.held_by}")
    if health.state is FileState.MISSING:
        print("Start with 'peerdesk init --org NAME' or 'peerdesk demo', or pass --data-dir.")
    print("Healthy" if health.healthy else "NOT healthy")
    return 0 if health.healthy else 1


def backup(folder: DataFolder, out: Path | None, take_over: bool) -> int:
    if out is not None and out.is_dir():
        raise StoreError(
            f"{out} is a folder; give a file name for the backup, such as {out}/peerdesk.sqlite3."
        )
    _require_existing(folder)
    store = Store.open(folder, take_over=take_over)
    try:
        path = store.backup(dest=out.resolve() if out else None, progress=_progress)
    finally:
        store.close(backup=False)
    print(f"Backup written to {path}")
    return 0


def restore(folder: DataFolder, source: Path, take_over: bool) -> int:
    kept = restore_store(folder, source.resolve(), take_over=take_over, progress=_progress)
    print(f"Restored {source} into {folder.db_file}")
    if kept:
        print(f"The data it replaced was backed up to {kept}")
    return 0


def _require_existing(folder: DataFolder) -> None:
    if not folder.db_file.exists():
        raise StoreError(
            f"There is no peerdesk data in {folder.root} yet. "
            "Start with 'peerdesk init --org NAME' or 'peerdesk demo', or pass --data-dir."
        )
