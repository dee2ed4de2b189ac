"""Shared fixtures: a fresh, migrated store in its own data folder for every test.

The schema is migrated once per test run into a template file; each test gets a copy made with
SQLite's backup API, which is much faster than running alembic again.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from peerdesk.db.backup import copy_database
from peerdesk.db.engine import make_engine
from peerdesk.db.migrate import upgrade
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "peerdesk.sqlite3"
    engine = make_engine(path)
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    return DataFolder(tmp_path / "data")


@pytest.fixture
def store(folder: DataFolder, migrated_template: Path) -> Iterator[Store]:
    folder.ensure()
    copy_database(migrated_template, folder.db_file)
    opened = Store.open(folder)
    yield opened
    opened.close(backup=False)
