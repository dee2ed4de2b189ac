"""Opening the store: creation, refusals that change nothing, damaged files set aside, the lock,
and the database-level rules (UTC datetimes, CHECK constraints, v7 ids, BEGIN IMMEDIATE)."""

import hashlib
import importlib
import os
import shutil
import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from peerdesk.db import cipher, migrate
from peerdesk.db import lock as lock_module
from peerdesk.db.engine import make_engine
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, has_sqlite_header, read_revision
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.errors import DamagedStoreError, LockedError, NewerSchemaError, StoreError
from peerdesk.models import Activity, ActivityKind, Organisation, Shift
from peerdesk.models.ids import new_id
from tests.tools.dump import dump

# About the file (opening, refusing and setting aside the encrypted file): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_file_creates_the_database_at_head(folder: DataFolder) -> None:
    vault, _ = Vault.create(folder, "coordinator", "correct horse battery")
    store = Store.open(vault)
    store.close(backup=False)
    assert read_revision(folder.db_file, vault.key) == HEAD
    assert not has_sqlite_header(folder.db_file)  # encrypted


def test_newer_schema_is_refused_and_left_byte_identical(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Future Group"))
    folder, vault = store.folder, store.vault
    store.close(backup=False)
    conn = cipher.connect(folder.db_file, vault.key)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    before = digest(folder.db_file)
    with pytest.raises(NewerSchemaError, match="newer version of peerdesk"):
        Store.open(vault)
    assert digest(folder.db_file) == before
    assert not folder.lock_file.exists()


@pytest.mark.parametrize(
    "content",
    [b"name,email\nSam,sam@example.org\n", os.urandom(8192), b""],
    ids=["text", "random-bytes", "empty"],
)
def test_a_non_database_is_set_aside_unchanged(vault: Vault, content: bytes) -> None:
    folder = vault.folder
    folder.db_file.write_bytes(content)
    vault.keyfile.database_salt = ""  # as if the keys file never saw a database
    with pytest.raises(DamagedStoreError) as caught:
        Store.open(vault)
    moved = Path(caught.value.set_aside or "")
    assert moved.read_bytes() == content
    assert not folder.db_file.exists()
    assert "no backup" in str(caught.value)


def test_damaged_file_points_to_the_newest_good_backup(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Group"))
    good = store.backup()
    folder, vault = store.folder, store.vault
    store.close(backup=False)
    damaged = bytearray(folder.db_file.read_bytes())
    damaged[100:4096] = b"\x00" * (4096 - 100)  # same salt, unreadable first page
    folder.db_file.write_bytes(bytes(damaged))
    with pytest.raises(DamagedStoreError) as caught:
        Store.open(vault)
    assert caught.value.newest_backup == str(good)
    assert f"peerdesk restore {good}" in str(caught.value)


def test_a_plaintext_sqlite_file_is_refused_and_left_alone(vault: Vault) -> None:
    folder = vault.folder
    folder.db_file.unlink()
    conn = sqlite3.connect(folder.db_file)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(folder.db_file)
    with pytest.raises(StoreError, match="not encrypted"):
        Store.open(vault)
    assert digest(folder.db_file) == before


def test_a_keys_file_from_another_organisation_is_refused(vault: Vault, tmp_path: Path) -> None:
    other_folder = DataFolder(tmp_path / "other")
    other, _ = Vault.create(other_folder, "coordinator", "correct horse battery")
    Store.open(other).close(backup=False)
    shutil.copyfile(other_folder.keys_file, vault.folder.keys_file)
    before = digest(vault.folder.db_file)
    mixed, _ = Vault.unlock(vault.folder, "coordinator", "correct horse battery")
    with pytest.raises(StoreError, match="do not belong together"):
        Store.open(mixed)
    assert digest(vault.folder.db_file) == before


def test_sqlcipher_missing_means_refusal_not_plaintext(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = importlib.import_module

    def no_sqlcipher(name: str, *args: object) -> object:
        if name == "sqlcipher3":
            raise ImportError(name)
        return real_import(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib, "import_module", no_sqlcipher)
    with pytest.raises(StoreError, match="SQLCipher"):
        Store.open(vault)


@pytest.mark.expect_unexpected_error  # the failed upgrade is logged at ERROR, as it should be
def test_failed_upgrade_restores_the_data_and_says_where_the_copy_is(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, _ = Vault.create(folder, "coordinator", "correct horse battery")
    engine = make_engine(folder.db_file, vault.key)
    migrate.upgrade(engine, "0001_initial")
    engine.dispose()
    vault.note_database()
    dump_before = dump(folder.db_file, vault.key)

    def broken_upgrade(engine: object, target: str = "head") -> None:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(migrate, "upgrade", broken_upgrade)
    with pytest.raises(StoreError, match="could not upgrade") as caught:
        Store.open(vault)
    assert "before-upgrade" in str(caught.value)
    assert dump(folder.db_file, vault.key) == dump_before


def test_unwritable_folder_gets_a_plain_message(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("peerdesk.db.paths._can_write", lambda _folder: False)
    with pytest.raises(StoreError, match="cannot be written to"):
        Store.open(vault)


def test_second_copy_is_told_who_holds_the_folder(store: Store) -> None:
    with pytest.raises(LockedError) as caught:
        Store.open(store.vault)
    assert os.uname().nodename in str(caught.value)
    assert "take over" in str(caught.value)


def test_take_over_then_first_copy_does_not_release_the_new_lock(store: Store) -> None:
    second = Store.open(store.vault, take_over=True)
    store.close(backup=False)
    assert store.folder.lock_file.exists()
    second.close(backup=False)
    assert not store.folder.lock_file.exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Store.open(vault)
    monkeypatch.setattr(lock_module, "_process_running", lambda pid: False)
    second = Store.open(vault)
    second.close(backup=False)
    first.engine.dispose()


def test_datetimes_come_back_as_utc_and_naive_ones_are_refused(store: Store) -> None:
    with store.session() as s:
        activity = Activity(name="Drop-in", kind=ActivityKind.GROUP)
        s.add(activity)
        s.flush()
        bst = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
        s.add(Shift(activity_id=activity.id, starts_at=bst, ends_at=bst + timedelta(hours=2)))
    with store.read() as s:
        starts = s.scalars(select(Shift.starts_at)).one()
    assert starts == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert starts.tzinfo is not None
    with pytest.raises(StatementError, match="timezone-aware"), store.session() as s:
        s.add(
            Shift(
                activity_id=activity.id,
                starts_at=datetime(2026, 7, 1, 10),
                ends_at=datetime(2026, 7, 1, 12),
            )
        )


def test_the_database_rejects_a_shift_ending_before_it_starts(store: Store) -> None:
    with store.session() as s:
        activity = Activity(name="Walk", kind=ActivityKind.WALK_AND_TALK)
        s.add(activity)
    start = datetime(2026, 5, 1, 9, tzinfo=UTC)
    with pytest.raises(IntegrityError, match="ck_shifts_ends_after_start"), store.session() as s:
        s.add(Shift(activity_id=activity.id, starts_at=start, ends_at=start - timedelta(hours=1)))


def test_the_database_rejects_unknown_enum_values(store: Store) -> None:
    with pytest.raises(IntegrityError, match="ck_activities_kind"), store.session() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO activities (id, name, kind, active, created_at, updated_at) "
            "VALUES ('x', 'y', 'juggling', 1, '2026-01-01', '2026-01-01')"
        )


def test_ids_are_time_ordered_uuid7() -> None:
    ids = [new_id() for _ in range(50)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert [i.int >> 80 for i in ids] == sorted(i.int >> 80 for i in ids)


def test_read_then_write_from_two_connections_never_reports_locked(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Group"))
    second = make_engine(store.path, store.vault.key)
    errors: list[Exception] = []

    def bump(engine_store: Store | None) -> None:
        from sqlalchemy.orm import Session

        from peerdesk.db.engine import writer

        for _ in range(40):
            try:
                if engine_store is not None:
                    with engine_store.session() as s:
                        org = s.scalars(select(Organisation)).one()
                        org.idle_lock_minutes = org.idle_lock_minutes % 100 + 1
                else:
                    with Session(writer(second)) as s, s.begin():
                        org = s.scalars(select(Organisation)).one()
                        org.idle_lock_minutes = org.idle_lock_minutes % 100 + 1
            except Exception as err:  # collected: the assertion below reports them
                errors.append(err)

    threads = [
        threading.Thread(target=bump, args=(store,)),
        threading.Thread(target=bump, args=(None,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    second.dispose()
    assert errors == []
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 1


def test_sessions_commit_on_success_and_roll_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Organisation(name="Half made"))
        s.flush()
        raise RuntimeError("form failed")
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_missing_data_file_is_not_silently_replaced_by_an_empty_one(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Group"))
    good = store.backup()
    folder, vault = store.folder, store.vault
    store.close(backup=False)
    folder.db_file.unlink()
    with pytest.raises(StoreError, match="is missing") as caught:
        Store.open(vault)
    assert str(good) in str(caught.value)
    assert not folder.db_file.exists()
