"""Encryption at rest: nothing personal readable in any file of the data folder, no plaintext
fallback, conversion of a plaintext database, changing the data key, interrupted re-keying."""

import logging
import sqlite3
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from peerdesk.db import cipher
from peerdesk.db.keyring import open_value
from peerdesk.db.migrate import upgrade
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import has_sqlite_header
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.logsetup import configure
from peerdesk.models import (
    ConcernCategory,
    Organisation,
    SafeguardingConcern,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    Volunteer,
)
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.setup import encrypt_existing, start_organisation

# About the file (encryption of the data folder's files): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only

SENTINELS = ("Zephyrine Quillfeather", "SENTINEL-NOTE-wellbeing-7731", "SENTINEL-CONCERN-4402")


def plant(person: SignedIn) -> None:
    with person.store.session(person.actor) as s:
        s.add(Volunteer(preferred_name=SENTINELS[0], email="zq@example.org"))
        sup = SupervisionSession(
            kind=SupervisionKind.ONE_TO_ONE,
            held_on=date(2026, 11, 1),
            duration_minutes=50,
            supervisor_user_id=person.actor.user_id,
        )
        s.add(sup)
        s.flush()
        s.add(
            SupervisionNote(
                session_id=sup.id, author_user_id=person.actor.user_id, body=SENTINELS[1]
            )
        )
        s.add(
            SafeguardingConcern(
                occurred_at=datetime(2026, 11, 1, tzinfo=UTC),
                category=ConcernCategory.RISK_TO_SELF,
                what_happened=SENTINELS[2],
            )
        )


def leaks(folder: DataFolder) -> list[str]:
    found = []
    for path in folder.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for sentinel in SENTINELS:
                for encoded in (sentinel.encode(), sentinel.encode("utf-16-le")):
                    if encoded in data:
                        found.append(f"{path.name}: {sentinel}")
    return found


def test_no_personal_bytes_in_any_file_of_the_data_folder(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging.getLogger("peerdesk"), "handlers", [])  # log to this folder
    configure(folder.log_dir)
    made = start_organisation(folder, "Riverside", "ffion", "Ffion", "a long passphrase!")
    plant(made.signed_in)
    made.signed_in.store.backup()
    assert (folder.root / "peerdesk.sqlite3-wal").exists()  # checked while the WAL is live
    assert leaks(folder) == []
    sign_out(made.signed_in)
    names = {p.name for p in folder.root.rglob("*") if p.is_file()}
    assert {"peerdesk.sqlite3", "peerdesk.keys", "peerdesk.log"} <= names
    assert leaks(folder) == []
    # ...and the data really is there for the person with the password.
    person = sign_in(folder, "ffion", "a long passphrase!")
    with person.store.read() as s:
        # Sealed at the coordinator's first sign-in (keys by role), and open to her.
        assert open_value(s, s.scalar(select(SupervisionNote.body))) == SENTINELS[1]
    sign_out(person)


def test_pythons_sqlite3_cannot_read_the_database(store: Store) -> None:
    with store.session() as s:
        s.add(Organisation(name="Group"))
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def plaintext_peerdesk(folder: DataFolder) -> None:
    """A database as the first, unencrypted peerdesk made it, with a plaintext backup."""
    folder.ensure()
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{folder.db_file}")
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA journal_mode = WAL"))
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organisations (id, name, timezone, dbs_recheck_months, "
            "suppression_threshold, idle_lock_minutes, retention_months, first_supervision_weeks,"
            " lone_working_margin_minutes, volunteers_may_use_pin, created_at, updated_at) "
            "VALUES ('0192aaaa0000700080000000000000aa', 'Old Group', 'Europe/London', 36, 5, 5, "
            "72, 6, 30, 1, '2025-01-01', '2025-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO volunteers (id, preferred_name, status, created_at, updated_at) VALUES "
            f"('0192aaaa0000700080000000000000bb', '{SENTINELS[0]}', 'active', '2025-01-01', "
            "'2025-01-01')"
        )
    engine.dispose()
    src, dst = (
        sqlite3.connect(folder.db_file),
        sqlite3.connect(folder.backup_dir / "peerdesk-20250101-000000-auto.sqlite3"),
    )
    src.backup(dst)
    src.close()
    dst.close()


def test_a_plaintext_database_is_encrypted_in_place_with_its_backups(folder: DataFolder) -> None:
    plaintext_peerdesk(folder)
    assert leaks(folder)  # the starting point really is readable
    made = encrypt_existing(folder, "ffion", "Ffion", "a long passphrase!")
    with made.signed_in.store.read() as s:
        assert s.scalar(select(Volunteer.preferred_name)) == SENTINELS[0]
        assert s.scalar(select(Organisation.name)) == "Old Group"
    sign_out(made.signed_in)
    assert leaks(folder) == []
    assert not has_sqlite_header(folder.db_file)
    for backup in folder.backup_dir.glob("peerdesk-*.sqlite3"):
        assert not has_sqlite_header(backup)


def test_store_refuses_a_plaintext_database_until_it_is_set_up(folder: DataFolder) -> None:
    plaintext_peerdesk(folder)
    vault, _ = Vault.create(DataFolder(folder.root), "ffion", "a long passphrase!")
    from peerdesk.errors import StoreError

    with pytest.raises(StoreError, match="not encrypted"):
        Store.open(vault)


def test_rekey_changes_the_file_and_keeps_every_password(coordinator: SignedIn) -> None:
    store = coordinator.store
    with store.session() as s:
        s.add(Organisation(name="Group"))
    old_key = store.vault.key
    from peerdesk.services.setup import change_data_key

    change_data_key(coordinator)
    assert store.vault.key != old_key
    with store.read() as s:
        assert s.scalar(select(Organisation.name)) == "Group"
    with pytest.raises(cipher.database_errors()):
        cipher.connect(store.path, old_key).execute("SELECT 1 FROM sqlite_master").fetchall()
    folder = store.folder
    sign_out(coordinator)
    from tests.conftest import TEST_SECRET, TEST_USER

    sign_out(sign_in(folder, TEST_USER, TEST_SECRET))


def test_an_interrupted_rekey_is_finished_on_the_next_open(vault: Vault) -> None:
    store = Store.open(vault)
    with store.session() as s:
        s.add(Organisation(name="Group"))
    store.close(backup=False)
    from peerdesk.db.keyslots import new_data_key

    vault.change_data_key(new_data_key())  # saved in the keys file; the file not yet re-keyed
    reopened = Store.open(vault)
    with reopened.read() as s:
        assert s.scalar(select(Organisation.name)) == "Group"
    reopened.close(backup=False)
    conn = cipher.connect(vault.folder.db_file, vault.key)
    assert conn.execute("SELECT count(*) FROM organisations").fetchone()[0] == 1
    conn.close()


def test_a_damaged_old_backup_does_not_stop_encryption_or_lose_the_keys(
    folder: DataFolder,
) -> None:
    plaintext_peerdesk(folder)
    damaged = folder.backup_dir / "peerdesk-20240101-000000-auto.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    made = encrypt_existing(folder, "ffion", "Ffion", "a long passphrase!")
    assert made.unreadable_backups == [damaged]
    sign_out(made.signed_in)
    assert folder.keys_file.exists()
    sign_out(sign_in(folder, "ffion", "a long passphrase!"))
