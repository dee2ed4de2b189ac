"""Migrations: one head, empty to head, models equal to the migrated schema, and an older
database upgraded with its data intact (and a backup taken first)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from peerdesk import clock
from peerdesk.db import cipher
from peerdesk.db.backup import list_backups
from peerdesk.db.engine import make_engine
from peerdesk.db.keyslots import new_data_key
from peerdesk.db.migrate import script_heads, script_revisions, upgrade
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, REVISIONS, read_revision
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import (
    AuditEvent,
    Base,
    Organisation,
    Role,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from peerdesk.models.ids import new_id
from peerdesk.services.auth import SignedIn
from tests import engines


def test_one_head_and_the_package_knows_every_revision() -> None:
    assert script_heads() == (HEAD,)
    assert script_revisions() == list(REVISIONS)


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    key = new_data_key()
    engine = make_engine(tmp_path / "db.sqlite3", key)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert read_revision(tmp_path / "db.sqlite3", key) == HEAD


def test_models_match_the_migrated_schema(vault: Vault) -> None:
    engine = make_engine(vault.folder.db_file, vault.key)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_migrated_schema_has_named_check_constraints(vault: Vault) -> None:
    conn = cipher.connect(vault.folder.db_file, vault.key)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'shifts'").fetchone()[0]
    conn.close()
    assert "CONSTRAINT ck_shifts_ends_after_start CHECK (ends_at > starts_at)" in sql


def test_older_database_upgrades_with_data_intact(folder: DataFolder) -> None:
    vault, _ = Vault.create(folder, "coordinator", "correct horse battery")
    engine = make_engine(folder.db_file, vault.key)
    upgrade(engine, REVISIONS[0])
    with engine.begin() as conn:
        conn.execute(
            Organisation.__table__.insert().values(
                id=new_id(),
                name="Old Group",
                timezone="Europe/London",
                dbs_recheck_months=36,
                suppression_threshold=5,
                idle_lock_minutes=5,
                retention_months=72,
                first_supervision_weeks=6,
                lone_working_margin_minutes=30,
                volunteers_may_use_pin=True,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_events (occurred_at, action, prev_hash, hash) "
                "VALUES ('2025-01-01 00:00:00', 'create', '', 'h1')"
            )
        )
    engine.dispose()
    vault.note_database()
    assert read_revision(folder.db_file, vault.key) == REVISIONS[0]

    store = Store.open(vault)
    try:
        with store.session() as s:
            s.add(
                Volunteer(
                    preferred_name="Sam", status=VolunteerStatus.ACTIVE, started_on=date(2024, 1, 2)
                )
            )
        with store.read() as s:
            assert s.scalars(select(Organisation.name)).all() == ["Old Group"]
        # The new revision's rule is in force on the upgraded file.
        with pytest.raises(IntegrityError, match="append-only"), store.session() as s:
            s.execute(text("DELETE FROM audit_events"))
    finally:
        store.close(backup=False)
    assert read_revision(folder.db_file, vault.key) == HEAD
    saved = [b for b in list_backups(folder.backup_dir) if b.reason == "before-upgrade"]
    assert len(saved) == 1
    assert read_revision(saved[0].path, vault.key) == REVISIONS[0]


@pytest.mark.file_only
def test_the_newest_revision_steps_back_and_up_again_with_accounts_and_a_trail(
    coordinator: SignedIn,
) -> None:
    """What the installer's smoke test does to a demo: one revision down with the app's own
    migrations, then opened (and so upgraded) again. A revision that rebuilds a table the audit
    trail refers to would be refused by the append-only trail here."""
    from alembic import command

    from peerdesk.db.migrate import alembic_config

    store = coordinator.store
    with store.session(coordinator.actor) as s:
        s.add(Volunteer(preferred_name="Sam", status=VolunteerStatus.ACTIVE))
    vault, folder = store.vault, store.folder
    store.close(backup=False)
    engine = make_engine(folder.db_file, vault.key)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, REVISIONS[-2])
    finally:
        engine.dispose()
    assert read_revision(folder.db_file, vault.key) == REVISIONS[-2]
    reopened = Store.open(vault)
    try:
        with reopened.read() as s:
            assert s.scalars(select(Volunteer.preferred_name)).all() == ["Sam"]
    finally:
        reopened.close(backup=False)
    assert read_revision(folder.db_file, vault.key) == HEAD


@pytest.mark.skipif(engines.server_url() is None, reason="the file's own test is the one above")
def test_the_newest_revision_steps_back_and_up_again_on_postgresql(coordinator: SignedIn) -> None:
    """The same on a PostgreSQL group's database, with a link-table row (a 73-character id) in
    the trail: stepping back keeps the wider column rather than cut the trail, and the append-only
    triggers refuse with an integrity error only after the upgrade."""
    from alembic import command

    from peerdesk.db.migrate import alembic_config

    store = coordinator.store
    with store.session(coordinator.actor) as s:
        role, sam = Role(name="Peer supporter"), Volunteer(preferred_name="Sam")
        s.add_all([role, sam])
    with store.session(coordinator.actor) as s:
        s.add(VolunteerRole(volunteer_id=sam.id, role_id=role.id))
    config = alembic_config()

    def migrate(step: Callable[[Config, str], None], target: str) -> None:
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, target)

    migrate(command.downgrade, REVISIONS[-2])
    with store.read() as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == REVISIONS[-2]
        assert s.scalar(select(func.count()).where(AuditEvent.entity_type == "volunteer_roles"))
    migrate(command.upgrade, "head")
    with store.read() as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
        assert s.scalars(select(Volunteer.preferred_name)).all() == ["Sam"]
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    with pytest.raises(IntegrityError, match="append-only"), store.session() as s:
        s.execute(text("DELETE FROM audit_events"))
