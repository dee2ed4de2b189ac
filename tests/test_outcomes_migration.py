"""Migration 0013_outcomes: an existing database gains the measures library with ONS4 and the
peer questions; stepping back drops the new tables while nothing was recorded, and keeps them
(so nothing anyone said is lost) once feedback exists; upgrading again carries on."""

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from peerdesk.db.engine import make_engine
from peerdesk.db.keyslots import new_data_key
from peerdesk.db.migrate import alembic_config, upgrade
from peerdesk.db.schema import read_revision
from peerdesk.db.store import Store
from peerdesk.models import EnteredFrom, FeedbackResponse, MeasureItem
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.feedback import FeedbackForm, record_feedback

NEW_TABLES = {"measures", "measure_items", "participants", "feedback_responses", "goals"}


def _downgrade(db: Path, key: bytes, target: str) -> None:
    engine = make_engine(db, key)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, target)
    finally:
        engine.dispose()


def _tables(db: Path, key: bytes) -> set[str]:
    engine = make_engine(db, key)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_older_database_gains_the_measures_and_steps_back_cleanly(tmp_path: Path) -> None:
    db, key = tmp_path / "db.sqlite3", new_data_key()
    engine = make_engine(db, key)
    upgrade(engine, "0012_sealed_fields")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO venues (id, created_at, updated_at, name, active) "
                          "VALUES ('00000000000000000000000000000001', '2026-01-01', "
                          "'2026-01-01', 'Church hall', 1)"))  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM measure_items ORDER BY key")).scalars().all()
        kinds = dict(conn.execute(text("SELECT key, kind FROM measures")).all())
        venues = conn.execute(text("SELECT name FROM venues")).scalars().all()
    engine.dispose()
    assert kinds == {"ons4": "built_in", "peer": "group_set"}
    assert len(keys) == 8 and "ons4.anxious" in keys and "peer.what_helped" in keys
    assert venues == ["Church hall"]
    _downgrade(db, key, "0012_sealed_fields")
    assert not NEW_TABLES & _tables(db, key)
    assert read_revision(db, key) == "0012_sealed_fields"
    engine = make_engine(db, key)
    upgrade(engine)
    engine.dispose()
    assert _tables(db, key) >= NEW_TABLES


@pytest.mark.file_only  # steps the data file back with its own key
def test_stepping_back_keeps_recorded_feedback_for_the_next_upgrade(
    coordinator: SignedIn,
) -> None:
    store = coordinator.store
    form = FeedbackForm(EnteredFrom.PAPER, answers={"ons4.happy": 7})
    with store.session(coordinator.actor) as s:
        response_id = record_feedback(s, coordinator.actor, form)
    vault, folder = store.vault, store.folder
    store.close(backup=False)
    _downgrade(folder.db_file, vault.key, "0012_sealed_fields")
    assert _tables(folder.db_file, vault.key) >= NEW_TABLES
    engine = make_engine(folder.db_file, vault.key)
    upgrade(engine)
    engine.dispose()
    reopened = Store.open(vault)
    try:
        with reopened.read() as s:
            assert s.get(FeedbackResponse, response_id) is not None
            assert len(s.scalars(select(MeasureItem)).all()) == 8  # not seeded twice
    finally:
        reopened.close(backup=False)
