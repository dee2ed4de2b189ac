"""Opening the store: creation, refusals that change nothing, damaged files set aside, the lock,
and the database-level rules (UTC datetimes, CHECK constraints, v7 ids, BEGIN IMMEDIATE)."""

import hashlib
import os
import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from peerdesk.db import lock as lock_module
from peerdesk.db import migrate
from peerdesk.db.engine import make_engine
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, read_revision
from peerdesk.db.store import Store
from peerdesk.errors import DamagedStoreError, LockedError, NewerSchemaError, StoreError
from peerdesk.models import Activity, ActivityKind, Organisation, Shift
from peerdesk.models.ids import new_id


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_file_creates_the_database_at_head(folder: DataFolder) -> None:
    store = Store.open(folder)
    store.close(backup=False)
    assert read_revision(folder.db_file) == HEAD


def test_newer_schema_is_refused_and_left_byte_identical(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Future Group"))
    folder = store.folder
    store.close(backup=False)
    conn = sqlite3.connect(folder.db_file)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    before = digest(folder.db_file)
    with pytest.raises(NewerSchemaError, match="newer version of peerdesk"):
        Store.open(folder)
    assert digest(folder.db_file) == before
    assert not folder.lock_file.exists()


@pytest.mark.parametrize(
    "content",
    [b"name,email\nSam,sam@example.org\n", os.urandom(8192), b""],
    ids=["text", "random-bytes", "empty"],
)
def test_a_non_database_is_set_aside_unchanged(folder: DataFolder, content: bytes) -> None:
    folder.ensure()
    folder.db_file.write_bytes(content)
    with pytest.raises(DamagedStoreError) as caught:
        Store.open(folder)
    moved = Path(caught.value.set_aside or "")
    assert moved.read_bytes() == content
    assert not folder.db_file.exists()
    assert "no backup" in str(caught.value)


def test_damaged_file_points_to_the_newest_good_backup(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Group"))
    good = store.backup()
    folder = store.folder
    store.close(backup=False)
    folder.db_file.write_bytes(b"\x00" * 4096)
    with pytest.raises(DamagedStoreError) as caught:
        Store.open(folder)
    assert caught.value.newest_backup == str(good)
    assert f"peerdesk restore {good}" in str(caught.value)


def test_a_foreign_sqlite_database_is_refused(folder: DataFolder) -> None:
    folder.ensure()
    conn = sqlite3.connect(folder.db_file)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedStoreError, match="not a peerdesk one"):
        Store.open(folder)


def test_failed_upgrade_restores_the_data_and_says_where_the_copy_is(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.ensure()
    engine = make_engine(folder.db_file)
    migrate.upgrade(engine, "0001_initial")
    engine.dispose()
    before = sqlite3.connect(folder.db_file)
    dump_before = list(before.iterdump())
    before.close()

    def broken_upgrade(engine: object, target: str = "head") -> None:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(migrate, "upgrade", broken_upgrade)
    with pytest.raises(StoreError, match="could not upgrade") as caught:
        Store.open(folder)
    assert "before-upgrade" in str(caught.value)
    after = sqlite3.connect(folder.db_file)
    assert list(after.iterdump()) == dump_before
    after.close()


def test_unwritable_folder_gets_a_plain_message(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("peerdesk.db.paths._can_write", lambda _folder: False)
    with pytest.raises(StoreError, match="cannot write to its data folder"):
        Store.open(folder)


def test_second_copy_is_told_who_holds_the_folder(store: Store) -> None:
    with pytest.raises(LockedError) as caught:
        Store.open(store.folder)
    assert os.uname().nodename in str(caught.value)
    assert "take over" in str(caught.value)


def test_take_over_then_first_copy_does_not_release_the_new_lock(store: Store) -> None:
    second = Store.open(store.folder, take_over=True)
    store.close(backup=False)
    assert store.folder.lock_file.exists()
    second.close(backup=False)
    assert not store.folder.lock_file.exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Store.open(folder)
    monkeypatch.setattr(lock_module, "_process_running", lambda pid: False)
    second = Store.open(folder)
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
    second = make_engine(store.path)
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
