"""Backups and restore: verified copies, round trips, refusals, a full disk, tiered retention,
and backups from before a change of data key."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk import clock
from peerdesk.db import backup as backup_module
from peerdesk.db import cipher
from peerdesk.db.backup import BackupFile, backups_to_keep, list_backups, verify_backup
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store, restore
from peerdesk.db.vault import Vault
from peerdesk.errors import BackupError
from peerdesk.models import Organisation, Venue
from peerdesk.services.auth import SignedIn
from tests.tools.dump import dump

# About the file (backups and restore are of the encrypted file): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


def add_venues(store: Store, *names: str) -> None:
    with store.session() as s:
        for name in names:
            s.add(Venue(name=name))


def test_backup_and_restore_round_trip(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Round Trip"))
    add_venues(store, "Library", "Café")
    saved = store.backup()
    expected = dump(saved, store.vault.key)
    add_venues(store, "Added after the backup")
    folder, vault = store.folder, store.vault
    store.close(backup=False)

    kept = restore(vault, saved)

    assert dump(folder.db_file, vault.key) == expected
    assert kept is not None and "Added after the backup" in "\n".join(dump(kept, vault.key))


def test_backup_includes_rows_still_in_the_wal_and_is_encrypted(store: Store) -> None:
    add_venues(store, *[f"Room {i}" for i in range(300)])
    saved = store.backup()
    conn = cipher.connect(saved, store.vault.key)
    assert conn.execute("SELECT count(*) FROM venues").fetchone()[0] == 300
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert b"Room 1" not in saved.read_bytes()


@pytest.mark.parametrize("content", [b"hello", b"SQLite format 3\x00" + b"\x00" * 100])
def test_restore_refuses_a_file_that_is_not_a_backup(
    store: Store, tmp_path: Path, content: bytes
) -> None:
    add_venues(store, "Keep me")
    folder, vault = store.folder, store.vault
    store.close(backup=False)
    before = dump(folder.db_file, vault.key)
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(content)
    with pytest.raises(BackupError, match="not a peerdesk backup"):
        restore(vault, bogus)
    assert dump(folder.db_file, vault.key) == before


def test_restore_refuses_another_organisations_backup(store: Store, tmp_path: Path) -> None:
    other, _ = Vault.create(DataFolder(tmp_path / "other"), "someone", "correct horse battery")
    other_store = Store.open(other)
    foreign = other_store.backup()
    other_store.close(backup=False)
    vault = store.vault
    store.close(backup=False)
    with pytest.raises(BackupError, match="this organisation's keys"):
        restore(vault, foreign)


def test_a_backup_from_before_a_change_of_key_can_still_be_restored(store: Store) -> None:
    add_venues(store, "Before the new key")
    old_backup = store.backup()
    store.change_data_key()
    add_venues(store, "After the new key")
    vault = store.vault
    store.close(backup=False)
    restore(vault, old_backup)
    reopened = Store.open(vault)
    with reopened.read() as s:
        assert [v.name for v in s.query(Venue)] == ["Before the new key"]
    reopened.close(backup=False)


def test_restore_refuses_a_backup_from_a_newer_peerdesk(store: Store) -> None:
    saved = store.backup()
    conn = cipher.connect(saved, store.vault.key)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="newer version"):
        verify_backup(saved, [store.vault.key])


def test_a_full_disk_leaves_earlier_backups_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_venues(store, "Hall")
    first = store.backup()
    first_bytes = first.read_bytes()

    def fill_disk(source: Path, dest: Path, key: bytes, progress: object = None) -> None:
        dest.write_bytes(b"SQLite format 3\x00partial")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_module, "copy_database", fill_disk)
    with pytest.raises(BackupError, match="disk is full"):
        store.backup()
    assert first.read_bytes() == first_bytes
    assert [b.path for b in list_backups(store.folder.backup_dir)] == [first]
    assert not list(store.folder.backup_dir.glob("*.partial"))


def test_close_backs_up_what_changed(store: Store) -> None:
    assert not store.backup_due()
    add_venues(store, "Changed")
    assert store.backup_due()
    folder = store.folder
    store.close()
    backups = list_backups(folder.backup_dir)
    assert [b.reason for b in backups] == ["auto"]
    assert verify_backup(backups[0].path, [store.vault.key])


def test_automatic_backup_at_most_once_an_hour(store: Store) -> None:
    add_venues(store, "First")
    store.backup(reason="auto")
    add_venues(store, "Second")
    now = clock.now()
    assert not store.backup_due(now + timedelta(minutes=59))
    assert store.backup_due(now + timedelta(minutes=61))


def test_closing_within_the_hour_copies_nothing(store: Store) -> None:
    add_venues(store, "First")
    store.backup(reason="auto")
    add_venues(store, "Second")
    store.close()
    assert len(list_backups(store.folder.backup_dir)) == 1


def _daily(days: int, end: datetime) -> list[BackupFile]:
    return [BackupFile(Path(f"b{i}"), end - timedelta(days=i), "auto") for i in range(days)]


def test_tiered_retention_keeps_a_day_for_a_month_and_a_week_for_a_year() -> None:
    end = datetime(2026, 11, 26, 18, tzinfo=UTC)
    hourly = [BackupFile(Path(f"h{i}"), end - timedelta(hours=i), "auto") for i in range(48)]
    backups = hourly + _daily(800, end - timedelta(days=2))
    keep = backups_to_keep(backups, end)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.taken_at, reverse=True)
    assert kept[0].taken_at == end
    days = [b.taken_at.date() for b in kept if end - b.taken_at < timedelta(days=31)]
    assert len(days) == len(set(days)) + 2  # one a day, and the newest three of today
    assert len(set(days)) == 31
    older = [b for b in kept if end - b.taken_at >= timedelta(days=31)]
    weeks = [b.taken_at.isocalendar()[:2] for b in older]
    assert len(weeks) == len(set(weeks))  # at most one a week after the first month
    assert min(b.taken_at for b in kept) > end - timedelta(days=366)
    assert len(kept) <= 3 + 31 + 53


def test_retention_keeps_everything_when_there_is_little() -> None:
    end = datetime(2026, 11, 26, tzinfo=UTC)
    backups = _daily(5, end)
    assert backups_to_keep(backups, end) == {b.path for b in backups}


def test_pruning_happens_after_each_backup(store: Store) -> None:
    folder = store.folder
    old = datetime(2020, 1, 1, tzinfo=UTC)
    source = store.backup()
    for i in range(40):
        name = backup_module.backup_name(old + timedelta(days=i), "auto")
        (folder.backup_dir / name).write_bytes(source.read_bytes())
    store.backup()
    assert len(list_backups(folder.backup_dir)) <= 2 + 3  # what was asked for, the newest 3


def test_copies_made_before_an_upgrade_or_restore_are_kept_for_ninety_days() -> None:
    end = datetime(2026, 11, 26, 18, tzinfo=UTC)
    regular = _daily(40, end)
    safety = [
        BackupFile(Path("before-restore-10-days-ago"), end - timedelta(days=10), "before-restore"),
        BackupFile(
            Path("before-upgrade-200-days-ago"), end - timedelta(days=200), "before-upgrade"
        ),
    ]
    keep = backups_to_keep(regular + safety, end)
    assert Path("before-restore-10-days-ago") in keep
    assert Path("before-upgrade-200-days-ago") not in keep


def test_a_backup_is_never_pruned_straight_after_it_is_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(20):  # plenty of newer backups, as if the clock had gone back
        name = backup_module.backup_name(
            datetime(2030, 1, 1, tzinfo=UTC) + timedelta(days=i), "auto"
        )
        (store.folder.backup_dir / name).write_bytes(b"")
    written = store.backup()
    assert written.exists()


def test_a_backup_stamped_in_the_future_does_not_stop_automatic_backups(store: Store) -> None:
    name = backup_module.backup_name(clock.now() + timedelta(days=400), "auto")
    (store.folder.backup_dir / name).write_bytes(b"")
    add_venues(store, "Changed")
    assert store.backup_due()


def test_signing_in_and_out_alone_makes_no_backup(coordinator: SignedIn) -> None:
    from peerdesk.services.auth import sign_in, sign_out
    from tests.conftest import TEST_SECRET, TEST_USER

    folder = coordinator.store.folder
    sign_out(coordinator)  # backs up the account the fixture made
    before = list_backups(folder.backup_dir)
    sign_out(sign_in(folder, TEST_USER, TEST_SECRET))
    assert list_backups(folder.backup_dir) == before


def test_trying_earlier_keys_prints_nothing_on_the_terminal(
    store: Store, capfd: pytest.CaptureFixture[str]
) -> None:
    old_backup = store.backup()
    store.change_data_key()
    vault = store.vault
    store.close(backup=False)
    capfd.readouterr()
    restore(vault, old_backup)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_signing_in_does_not_count_as_a_change_to_back_up(coordinator: SignedIn) -> None:
    from peerdesk.services.auth import sign_in, sign_out
    from tests.conftest import TEST_SECRET, TEST_USER

    folder = coordinator.store.folder
    sign_out(coordinator)
    person = sign_in(folder, TEST_USER, TEST_SECRET)  # writes last_sign_in_at and an event
    assert not person.store.backup_due()
    sign_out(person)
