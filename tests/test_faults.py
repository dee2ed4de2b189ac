"""Faults an outside test found: audit trails cut by someone with the key, backups that never
finished under a writer, leftovers of killed backups, take-overs that lost work, and damaged
data files taken for another organisation's keys."""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from peerdesk.db import backup as backup_module
from peerdesk.db.audit import GENESIS, event_hash, record
from peerdesk.db.backup import read_anchor, remove_leftovers
from peerdesk.db.engine import make_engine
from peerdesk.db.keyslots import KeyFile
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import FileState, classify
from peerdesk.db.store import Store, classify_for, restore
from peerdesk.db.vault import Vault
from peerdesk.errors import DamagedStoreError, LockedError, LostLockError
from peerdesk.models import AuditEvent, Venue
from peerdesk.services.auth import SignedIn, sign_out

# About the file (cut trails, backups, take-overs of the folder): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


def add_venues(store: Store, *names: str) -> None:
    with store.session() as s:
        for name in names:
            s.add(Venue(name=name))


def anchored(vault: Vault, events: int = 30) -> None:
    """A trail of at least `events` events, anchored in the keys file by closing the store."""
    store = Store.open(vault)
    for i in range(events):
        with store.session() as s:
            record(s, "test", changes={"n": i})
    store.close(backup=False)


def tampered(vault: Vault) -> Session:
    """A session on the raw database with the trail's append-only triggers dropped, as someone
    with the data key and sqlcipher3 could."""
    engine = make_engine(vault.folder.db_file, vault.key)
    s = Session(engine)
    triggers = s.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    ).scalars()
    for name in list(triggers):
        s.execute(text(f'DROP TRIGGER "{name}"'))
    return s


def problems_after_reopening(vault: Vault) -> list[str]:
    store = Store.open(vault)
    try:
        return store.anchor_problems()
    finally:
        store.close(backup=False)


def test_an_untouched_trail_reaches_its_anchor(vault: Vault) -> None:
    anchored(vault)
    assert vault.keyfile.audit_anchor["count"] >= 30
    assert problems_after_reopening(vault) == []


@pytest.mark.parametrize("removed", [1, 25])
def test_removing_the_newest_events_is_detected(vault: Vault, removed: int) -> None:
    anchored(vault)
    with tampered(vault) as s:
        newest = s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(removed))
        s.execute(delete(AuditEvent).where(AuditEvent.seq.in_(list(newest))))
        s.commit()
    problems = problems_after_reopening(vault)
    assert problems and "removed" in problems[0]


def test_removing_one_event_and_rechaining_is_detected(vault: Vault) -> None:
    anchored(vault)
    with tampered(vault) as s:
        events = list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        s.delete(events[5])
        prev = GENESIS
        for ev in events[:5] + events[6:]:
            ev.prev_hash = prev
            ev.hash = event_hash(ev)
            prev = ev.hash
        s.commit()
    problems = problems_after_reopening(vault)
    assert problems and "rewritten" in problems[0]


def test_wiping_the_trail_is_detected_however_often_people_sign_in_after(vault: Vault) -> None:
    anchored(vault)
    with tampered(vault) as s:
        s.execute(delete(AuditEvent))
        s.commit()
    anchored(vault, events=3)  # people carry on: the anchor is not moved past the cut
    problems = problems_after_reopening(vault)
    assert problems and "removed" in problems[0]


def test_each_backup_records_its_anchor_and_a_cut_after_it_is_detected(store: Store) -> None:
    add_venues(store, "Anchored")
    saved = store.backup(reason="auto")
    anchor = read_anchor(saved)
    assert anchor is not None and anchor.count > 0
    store.close(backup=False)
    vault = store.vault
    vault.note_audit_anchor({})  # even with the keys file's anchor gone
    with tampered(vault) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == anchor.seq))
        s.commit()
    problems = problems_after_reopening(vault)
    assert any(saved.name in p for p in problems)


def test_a_restore_moves_the_anchor_on_purpose(store: Store) -> None:
    add_venues(store, "Before")
    old = store.backup()
    add_venues(store, "After")
    vault = store.vault
    store.close(backup=False)
    from peerdesk.services.backups import _record_restore

    restore(vault, old)
    _record_restore(vault, "nobody", old)
    assert problems_after_reopening(vault) == []


WRITER = """
import os, sys, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1])
conn.execute("PRAGMA key = \\"x'" + os.environ["KEY"] + "'\\"")
print("writing", flush=True)
while not os.path.exists(sys.argv[2]):
    conn.execute("UPDATE filler SET x = randomblob(200) WHERE rowid = abs(random()) % 50000")
    conn.commit()
"""


def test_a_backup_finishes_while_another_process_keeps_writing(
    store: Store, tmp_path: Path
) -> None:
    with store.engine.begin() as conn:  # ten megabytes: a backup of many steps
        conn.execute(text("CREATE TABLE filler (x BLOB)"))
        conn.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
                "INSERT INTO filler SELECT randomblob(200) FROM n"
            )
        )
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store.path), str(stop)],
        env={**os.environ, "KEY": store.vault.key.hex()},
        stdout=subprocess.PIPE,
        text=True,
    )
    finished = threading.Event()
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        # Before, the copy started again at every commit of the other process and never
        # finished; the thread lets the test fail instead of hanging.
        saved: list[Path] = []
        thread = threading.Thread(target=lambda: (saved.append(store.backup()), finished.set()))
        thread.start()
        finished.wait(timeout=300)
    finally:
        stop.touch()
        writer.wait()
    assert finished.is_set() and writer.returncode == 0
    thread.join()
    assert backup_module.verify_backup(saved[0], [store.vault.key])


def test_leftovers_of_killed_backups_are_removed_but_not_one_being_written(
    store: Store,
) -> None:
    backups = store.folder.backup_dir
    old = backups / "peerdesk-20261101-100000-auto.sqlite3.partial"
    fresh = backups / "peerdesk-20261207-100000-auto.sqlite3.partial"
    busy = backups / "peerdesk-20261102-100000-auto.sqlite3.partial"
    for path in (old, fresh, busy):
        path.write_bytes(b"x" * 4096)
    # Ages are read against the process's clock: set every file's time from it, so a faked clock
    # (the tests on other days) agrees with the files' times.
    now = time.time()
    os.utime(fresh, (now, now))
    for path in (old, busy):
        os.utime(path, (now - 120, now - 120))
    with backup_module._partial_lock(busy):
        assert remove_leftovers(backups) == [old]
    assert fresh.exists() and busy.exists()
    add_venues(store, "Changed")
    store.backup()
    assert not old.exists()


def test_the_copy_that_lost_the_folder_stops_writing_and_says_so(coordinator: SignedIn) -> None:
    first = coordinator.store
    second = Store.open(first.vault, take_over=True)
    try:
        with pytest.raises(LostLockError, match="took over this data folder"):
            add_venues(first, "Lost")
        assert not first.holds_folder()
        sign_out(coordinator)  # says nothing more and leaves the new holder's lock alone
        assert first.folder.lock_file.exists()
        add_venues(second, "Kept")
    finally:
        second.close(backup=False)
    assert not first.folder.lock_file.exists()


def test_restore_is_refused_while_a_live_copy_holds_the_folder(store: Store) -> None:
    saved = store.backup()
    with pytest.raises(LockedError, match="will not restore a backup"):
        restore(store.vault, saved)
    add_venues(store, "Still writing")


def test_an_empty_data_file_is_damaged_not_another_organisations(store: Store) -> None:
    good = store.backup()
    vault = store.vault
    store.close(backup=False)
    vault.folder.db_file.write_bytes(b"")
    assert classify_for(vault)[0] is FileState.DAMAGED
    with pytest.raises(DamagedStoreError, match="empty") as caught:
        Store.open(vault)
    assert str(good) in str(caught.value)
    restore(vault, good)  # the way out it names works
    Store.open(vault).close(backup=False)


def test_a_damaged_first_page_is_not_taken_for_another_organisations_keys(store: Store) -> None:
    good = store.backup()
    vault = store.vault
    store.close(backup=False)
    with vault.folder.db_file.open("r+b") as f:
        f.write(b"\0" * 4096)
    assert classify(vault.folder.db_file, vault.key, vault.keyfile.database_salt)[0] is (
        FileState.OTHER_KEYS
    )
    with pytest.raises(DamagedStoreError, match="first page") as caught:
        Store.open(vault)
    assert f"peerdesk restore {good}" in str(caught.value)
    restore(vault, good)
    Store.open(vault).close(backup=False)


def test_the_right_recovery_key_works_past_another_organisations_keys_file(
    tmp_path: Path,
) -> None:
    ours_folder, other_folder = DataFolder(tmp_path / "ours"), DataFolder(tmp_path / "other")
    ours, recovery = Vault.create(ours_folder, "coordinator", "correct horse battery")
    Store.open(ours).close(backup=False)
    Vault.create(other_folder, "coordinator", "correct horse battery")
    shutil.copyfile(other_folder.keys_file, ours_folder.keys_file)
    recovered = Vault.recover(ours_folder, recovery)
    assert recovered.key == ours.key
    [set_aside] = ours_folder.root.glob("peerdesk.keys.other-*")
    # Set aside as it was (apart from the failed attempt the wrong slot counted).
    assert KeyFile.load(set_aside).vault_id == KeyFile.load(other_folder.keys_file).vault_id
    Store.open(recovered).close(backup=False)
